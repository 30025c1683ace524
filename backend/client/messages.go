package client

import (
	"context"
	"net/http"

	"github.com/google/uuid"
)

// MessageGroups returns my conversations, latest first.
func (c *Client) MessageGroups(ctx context.Context) ([]MessageGroup, error) {
	var out []MessageGroup
	_, err := c.do(ctx, http.MethodGet, "/api/message_groups", nil, nil, &out)
	return out, err
}

// Messages returns a conversation, oldest first.
func (c *Client) Messages(ctx context.Context, group uuid.UUID) ([]Message, error) {
	var out []Message
	_, err := c.do(ctx, http.MethodGet, "/api/messages/"+group.String(), nil, nil, &out)
	return out, err
}

// MessagesWith returns my conversation with a user, oldest first.
func (c *Client) MessagesWith(ctx context.Context, handle string) ([]Message, error) {
	var out []Message
	_, err := c.do(ctx, http.MethodGet, "/api/messages/"+handlePath(handle), nil, nil, &out)
	return out, err
}

// SendMessage sends a message to a handle or a message group.
func (c *Client) SendMessage(ctx context.Context, m NewMessage) (Message, error) {
	var out Message
	_, err := c.do(ctx, http.MethodPost, "/api/messages", nil, m, &out)
	return out, err
}
