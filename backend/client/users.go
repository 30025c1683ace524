package client

import (
	"context"
	"net/http"
)

// UserShort returns a user's uuid, handle and display name.
func (c *Client) UserShort(ctx context.Context, handle string) (UserShort, error) {
	var u UserShort
	_, err := c.do(ctx, http.MethodGet, "/api/users/"+handlePath(handle)+"/short", nil, nil, &u)
	return u, err
}

// Profile returns a user's profile as the signed-in user sees it.
func (c *Client) Profile(ctx context.Context, handle string) (Profile, error) {
	var p Profile
	_, err := c.do(ctx, http.MethodGet, "/api/users/"+handlePath(handle), nil, nil, &p)
	return p, err
}

// UpdateProfile sets the signed-in user's display name and bio.
func (c *Client) UpdateProfile(ctx context.Context, u ProfileUpdate) (Profile, error) {
	var p Profile
	_, err := c.do(ctx, http.MethodPost, "/api/profile/update", nil, u, &p)
	return p, err
}

// Follow follows a user and returns their profile.
func (c *Client) Follow(ctx context.Context, handle string) (Profile, error) {
	var p Profile
	_, err := c.do(ctx, http.MethodPost, "/api/users/"+handlePath(handle)+"/follow", nil, nil, &p)
	return p, err
}

// Unfollow stops following a user and returns their profile.
func (c *Client) Unfollow(ctx context.Context, handle string) (Profile, error) {
	var p Profile
	_, err := c.do(ctx, http.MethodDelete, "/api/users/"+handlePath(handle)+"/follow", nil, nil, &p)
	return p, err
}

// SuggestedUsers returns users the signed-in user might follow.
func (c *Client) SuggestedUsers(ctx context.Context) ([]UserShort, error) {
	var out []UserShort
	_, err := c.do(ctx, http.MethodGet, "/api/users/suggested", nil, nil, &out)
	return out, err
}

// TrendingHashtags returns the most used hashtags of the last week.
func (c *Client) TrendingHashtags(ctx context.Context) ([]Hashtag, error) {
	var out []Hashtag
	_, err := c.do(ctx, http.MethodGet, "/api/hashtags/trending", nil, nil, &out)
	return out, err
}
