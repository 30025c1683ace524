package client

import (
	"context"
	"net/http"
)

// Signup creates an account and returns its first session.
func (c *Client) Signup(ctx context.Context, s Signup) (Session, error) {
	var out Session
	_, err := c.do(ctx, http.MethodPost, "/api/auth/signup", nil, s, &out)
	return out, err
}

// Signin exchanges a handle or email and password for a session.
func (c *Client) Signin(ctx context.Context, login, password string) (Session, error) {
	var out Session
	_, err := c.do(ctx, http.MethodPost, "/api/auth/signin", nil, Signin{Login: login, Password: password}, &out)
	return out, err
}

// Signout revokes the client's token.
func (c *Client) Signout(ctx context.Context) error {
	_, err := c.do(ctx, http.MethodPost, "/api/auth/signout", nil, nil, nil)
	return err
}

// Me returns the signed-in user.
func (c *Client) Me(ctx context.Context) (Me, error) {
	var m Me
	_, err := c.do(ctx, http.MethodGet, "/api/me", nil, nil, &m)
	return m, err
}
