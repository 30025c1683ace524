package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cruddur/cruddur-go/backend/client"
	"github.com/cruddur/cruddur-go/backend/internal/database"
	"github.com/cruddur/cruddur-go/backend/testenv"
)

func TestBadInput_GetsAClearJSONError(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := token(t, e, "sender")
	auth := []string{"Authorization", "Bearer " + tok}
	big := `{"message":"` + strings.Repeat("a", 70<<10) + `","ttl":"1-hour"}`
	for _, c := range []struct {
		name, method, path, contentType, body string
		status                                int
		code                                  string
	}{
		{"malformed JSON", "POST", "/api/activities", "application/json", `{"message":`, 400, "invalid_json"},
		{"wrong type", "POST", "/api/activities", "application/json", `{"message": 5, "ttl": "1-hour"}`, 400, "invalid_json"},
		{"array body", "POST", "/api/activities", "application/json", `["hello"]`, 400, "invalid_json"},
		{"trailing data", "POST", "/api/activities", "application/json", `{"message":"a","ttl":"1-hour"} {}`, 400, "invalid_json"},
		{"empty body", "POST", "/api/activities", "application/json", ``, 400, "invalid_json"},
		{"NUL in text", "POST", "/api/activities", "application/json", `{"message":"a\u0000b","ttl":"1-hour"}`, 400, "invalid_text"},
		{"form post", "POST", "/api/activities", "application/x-www-form-urlencoded", `message=hi&ttl=1-hour`, 415, "unsupported_media_type"},
		{"no content type", "POST", "/api/activities", "", `{"message":"hi","ttl":"1-hour"}`, 415, "unsupported_media_type"},
		{"over 64 KiB", "POST", "/api/activities", "application/json", big, 413, "body_too_large"},
		{"over 64 KiB signup", "POST", "/api/auth/signup", "application/json", big, 413, "body_too_large"},
		{"wrong method", "PUT", "/api/activities/home", "", "", 405, "method_not_allowed"},
		{"unknown path", "GET", "/api/nothing-here", "", "", 404, "not_found"},
		{"unknown root path", "GET", "/", "", "", 404, "not_found"},
	} {
		status, h, codes := e.raw(c.method, c.path, c.contentType, c.body, auth...)
		if status != c.status || len(codes) != 1 || codes[0] != c.code {
			t.Errorf("%s: got %d %v, want %d [%s]", c.name, status, codes, c.status, c.code)
		}
		if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("%s: Content-Type %q", c.name, ct)
		}
	}
	var n int
	e.Pool.QueryRow(ctx, `SELECT count(*) FROM activities`).Scan(&n)
	if n != 0 {
		t.Fatalf("bad requests wrote %d rows", n)
	}
	// Cruddur's own clients send user_handle too; unknown fields are ignored.
	if status, _, codes := e.raw("POST", "/api/activities", "application/json; charset=utf-8", `{"user_handle":"sender","message":"hi","ttl":"1-hour"}`, auth...); status != 201 {
		t.Fatalf("Cruddur-shaped body: %d %v", status, codes)
	}
}

func TestCORS_AllowsOnlyConfiguredOriginsAndExposesLink(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, h, _ := e.raw("GET", "/api/activities/home", "", "", "Origin", "http://localhost:3000")
	if h.Get("Access-Control-Allow-Origin") != "http://localhost:3000" || !strings.Contains(h.Get("Access-Control-Expose-Headers"), "Link") || !strings.Contains(h.Get("Access-Control-Expose-Headers"), "Location") {
		t.Fatalf("allowed origin got headers %v", h)
	}
	_, h, _ = e.raw("GET", "/api/activities/home", "", "", "Origin", "https://evil.example")
	if h.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("foreign origin allowed: %v", h)
	}
	status, h, _ := e.raw("OPTIONS", "/api/activities", "", "", "Origin", "http://localhost:3000", "Access-Control-Request-Method", "POST")
	if status != 204 || !strings.Contains(h.Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Fatalf("preflight: %d %v", status, h)
	}
}

func TestHealthCheck_ReportsPostgres(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	h, err := e.Anon.Health(ctx)
	if err != nil || !h.Success || h.Dependencies["postgres"] != "ok" {
		t.Fatalf("%+v %v", h, err)
	}
}

// With PostgreSQL unreachable or hung, requests get a prompt 503, and the
// API recovers by itself when the database is back.
func TestDatabaseOutage_Gives503AndRecovers(t *testing.T) {
	t.Parallel()
	url := testenv.DatabaseURL(t)
	proxy := testenv.NewProxy(t, testenv.Host(url))
	pool, err := database.Open(ctx, proxy.Through(url))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	e := newEnvOnPool(t, pool, withDBTimeout(time.Second))
	alice := e.fastUsers(1)[0] // no bcrypt: the 1s budget is for the outage, not for hashing

	if _, err := alice.CreateActivity(ctx, "before the outage", "1-day"); err != nil {
		t.Fatal(err)
	}

	for _, outage := range []struct {
		name  string
		start func()
	}{{"down", proxy.Down}, {"frozen", proxy.Freeze}} {
		outage.start()
		began := time.Now()
		_, _, err := e.Anon.Home(ctx, client.Page{})
		wantCodes(t, err, 503, "database_unavailable")
		_, err = alice.CreateActivity(ctx, "during the outage", "1-day")
		if client.StatusOf(err) != 503 {
			t.Fatalf("%s: write during outage: %v", outage.name, err)
		}
		status, _, _ := e.raw("GET", "/api/health-check", "", "")
		if status != 503 {
			t.Fatalf("%s: health-check answered %d", outage.name, status)
		}
		if d := time.Since(began); d > 10*time.Second {
			t.Fatalf("%s: three requests took %v; the timeout is not bounding them", outage.name, d)
		}
		t.Logf("%s: outage requests took %v", outage.name, time.Since(began))
		proxy.Up()
		upAt := time.Now()
		var feed []client.Activity
		deadline := time.Now().Add(10 * time.Second)
		for {
			feed, _, err = e.Anon.Home(ctx, client.Page{})
			if err == nil || time.Now().After(deadline) {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if err != nil {
			t.Fatalf("%s: not recovered after the database came back: %v", outage.name, err)
		}
		t.Logf("%s: recovered in %v", outage.name, time.Since(upAt))
		if len(feed) != 1 || feed[0].Message != "before the outage" {
			t.Fatalf("%s: feed after outage = %+v (a write during the outage must not be half-done)", outage.name, feed)
		}
	}
}

var _ = http.StatusOK
