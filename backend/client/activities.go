package client

import (
	"context"
	"net/http"

	"github.com/google/uuid"
)

// Home returns a page of the home feed and the next page's cursor.
func (c *Client) Home(ctx context.Context, p Page) ([]Activity, string, error) {
	return c.list(ctx, "/api/activities/home", p.query())
}

// UserActivities returns a page of one user's live cruds.
func (c *Client) UserActivities(ctx context.Context, handle string, p Page) ([]Activity, string, error) {
	return c.list(ctx, "/api/activities/"+handlePath(handle), p.query())
}

// Search returns live cruds and replies matching term.
func (c *Client) Search(ctx context.Context, term string, p Page) ([]Activity, string, error) {
	q := p.query()
	q.Set("term", term)
	return c.list(ctx, "/api/activities/search", q)
}

// CreateActivity posts a crud that lives for ttl (one of TTLs).
func (c *Client) CreateActivity(ctx context.Context, message, ttl string) (Activity, error) {
	var a Activity
	_, err := c.do(ctx, http.MethodPost, "/api/activities", nil, NewActivity{Message: message, TTL: ttl}, &a)
	return a, err
}

// Activity returns a live crud with its replies, or a reply.
func (c *Client) Activity(ctx context.Context, id uuid.UUID) (Activity, error) {
	var a Activity
	_, err := c.do(ctx, http.MethodGet, ActivityPath(id), nil, nil, &a)
	return a, err
}

// Status returns the crud at /@handle/status/uuid.
func (c *Client) Status(ctx context.Context, handle string, id uuid.UUID) (Activity, error) {
	var a Activity
	_, err := c.do(ctx, http.MethodGet, "/api/activities/"+handlePath(handle)+"/status/"+id.String(), nil, nil, &a)
	return a, err
}

// Reply replies to a live activity.
func (c *Client) Reply(ctx context.Context, to uuid.UUID, message string) (Activity, error) {
	var a Activity
	_, err := c.do(ctx, http.MethodPost, ActivityPath(to)+"/reply", nil, NewReply{Message: message}, &a)
	return a, err
}

// Like likes an activity and returns it as it now stands.
func (c *Client) Like(ctx context.Context, id uuid.UUID) (Activity, error) {
	var a Activity
	_, err := c.do(ctx, http.MethodPost, ActivityPath(id)+"/like", nil, nil, &a)
	return a, err
}

// Unlike takes a like back.
func (c *Client) Unlike(ctx context.Context, id uuid.UUID) (Activity, error) {
	var a Activity
	_, err := c.do(ctx, http.MethodDelete, ActivityPath(id)+"/like", nil, nil, &a)
	return a, err
}

// Repost reposts an activity.
func (c *Client) Repost(ctx context.Context, id uuid.UUID) (Activity, error) {
	var a Activity
	_, err := c.do(ctx, http.MethodPost, ActivityPath(id)+"/repost", nil, nil, &a)
	return a, err
}
