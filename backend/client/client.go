// Package client is the typed Go client of Cruddur's JSON API. The frontend
// reads and writes through it, and the API tests drive the server with it.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Client calls one Cruddur backend, optionally as a signed-in user.
type Client struct {
	base  string
	http  *http.Client
	token string
}

// New returns a client of the API at baseURL (such as http://localhost:4567).
// httpClient may be nil.
func New(baseURL string, httpClient *http.Client) *Client {
	if httpClient == nil {
		httpClient = &http.Client{Timeout: 15 * time.Second}
	}
	return &Client{base: strings.TrimRight(baseURL, "/"), http: httpClient}
}

// WithToken returns a copy of c that sends token as its bearer token.
func (c *Client) WithToken(token string) *Client {
	cc := *c
	cc.token = token
	return &cc
}

// Error is an answer with a 4xx or 5xx status.
type Error struct {
	Status int
	Codes  []string
}

func (e *Error) Error() string {
	return fmt.Sprintf("cruddur api: %d %s", e.Status, strings.Join(e.Codes, ", "))
}

// Has reports whether the answer carried code.
func (e *Error) Has(code string) bool {
	for _, c := range e.Codes {
		if c == code {
			return true
		}
	}
	return false
}

// ErrorCodes returns the codes of an API error, or nil for any other error.
func ErrorCodes(err error) []string {
	var e *Error
	if errors.As(err, &e) {
		return e.Codes
	}
	return nil
}

// StatusOf returns the HTTP status of an API error, or 0.
func StatusOf(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}

// Page selects part of a newest-first list: up to Limit items (0: the
// server's default) after the opaque Cursor of a previous page.
type Page struct {
	Limit  int
	Cursor string
}

func (p Page) query() url.Values {
	q := url.Values{}
	if p.Limit > 0 {
		q.Set("limit", strconv.Itoa(p.Limit))
	}
	if p.Cursor != "" {
		q.Set("cursor", p.Cursor)
	}
	return q
}

var nextLink = regexp.MustCompile(`<([^>]*)>\s*;\s*rel="?next"?`)

// NextCursor reads the cursor of the next page from a Link header, "" on the last page.
func NextCursor(h http.Header) string {
	m := nextLink.FindStringSubmatch(h.Get("Link"))
	if m == nil {
		return ""
	}
	u, err := url.Parse(m[1])
	if err != nil {
		return ""
	}
	return u.Query().Get("cursor")
}

// do sends a request with an optional JSON body and decodes a JSON answer
// into out (when not nil). It returns the answer's headers.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, body, out any) (http.Header, error) {
	u := c.base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, r)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return resp.Header, err
	}
	if resp.StatusCode >= 400 {
		var e ErrorBody
		if json.Unmarshal(data, &e) != nil || len(e.Errors) == 0 {
			e.Errors = []string{http.StatusText(resp.StatusCode)}
		}
		return resp.Header, &Error{Status: resp.StatusCode, Codes: e.Errors}
	}
	if out != nil && resp.StatusCode != http.StatusNoContent {
		if err := json.Unmarshal(data, out); err != nil {
			return resp.Header, fmt.Errorf("cruddur api: decode %s %s: %w", method, path, err)
		}
	}
	return resp.Header, nil
}

// list fetches a page of activities and the next page's cursor.
func (c *Client) list(ctx context.Context, path string, q url.Values) ([]Activity, string, error) {
	var out []Activity
	h, err := c.do(ctx, http.MethodGet, path, q, nil, &out)
	if err != nil {
		return nil, "", err
	}
	return out, NextCursor(h), nil
}

func handlePath(handle string) string {
	return "@" + url.PathEscape(strings.TrimPrefix(handle, "@"))
}

// Health asks the backend how it and its dependencies are.
func (c *Client) Health(ctx context.Context) (Health, error) {
	var h Health
	_, err := c.do(ctx, http.MethodGet, "/api/health-check", nil, nil, &h)
	return h, err
}

// ActivityPath is the API path of one activity.
func ActivityPath(id uuid.UUID) string { return "/api/activities/" + id.String() }

// Probe is the healthcheck subcommands' check, for images with no shell or
// curl: nil only when url answers 200 within three seconds.
func Probe(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %s", url, resp.Status)
	}
	return nil
}
