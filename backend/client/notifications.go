package client

import (
	"context"
	"net/http"

	"github.com/google/uuid"
)

// Notifications returns a page of the signed-in user's notifications,
// newest first, optionally only of some types.
func (c *Client) Notifications(ctx context.Context, p Page, types ...string) ([]Notification, string, error) {
	q := p.query()
	for _, t := range types {
		q.Add("types[]", t)
	}
	var out []Notification
	h, err := c.do(ctx, http.MethodGet, "/api/activities/notifications", q, nil, &out)
	if err != nil {
		return nil, "", err
	}
	return out, NextCursor(h), nil
}

// UnreadCount returns how many notifications are unread.
func (c *Client) UnreadCount(ctx context.Context) (int, error) {
	var out UnreadCount
	_, err := c.do(ctx, http.MethodGet, "/api/notifications/unread_count", nil, nil, &out)
	return out.Count, err
}

// MarkRead marks all notifications read, or those up to and including upTo.
func (c *Client) MarkRead(ctx context.Context, upTo *uuid.UUID) (int, error) {
	var out Marked
	_, err := c.do(ctx, http.MethodPost, "/api/notifications/read", nil, MarkRead{UpTo: upTo}, &out)
	return out.Marked, err
}

// DismissNotification deletes one notification.
func (c *Client) DismissNotification(ctx context.Context, id uuid.UUID) error {
	_, err := c.do(ctx, http.MethodDelete, "/api/notifications/"+id.String(), nil, nil, nil)
	return err
}
