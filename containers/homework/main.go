// Command homework checks a running Cruddur stack against the week-1
// homework and prints a checklist, each item ✅ or ❌ with the fix for a ❌.
// It exits 0 only when every check passes.
//
//	go run ./containers/homework      (make homework)
//
// It reaches the stack at BACKEND_URL (http://localhost:4567), FRONTEND_URL
// (http://localhost:3000), DATABASE_URL (the compose credentials on
// localhost:5432) and DYNAMODB_ENDPOINT (http://localhost:8000).
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"
)

func main() {
	cfg := configFromEnv(os.Getenv)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if !run(ctx, cfg, os.Stdout) {
		os.Exit(1)
	}
}

// Config says where the stack and the repository are.
type Config struct {
	BackendURL, FrontendURL, DatabaseURL, DynamoDBEndpoint string
	Repo                                                   string // the repository's root
	// Login and Password sign in to the frontend to see /notifications.
	Login, Password string
}

func configFromEnv(getenv func(string) string) Config {
	or := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	return Config{
		BackendURL:       or("BACKEND_URL", "http://localhost:4567"),
		FrontendURL:      or("FRONTEND_URL", "http://localhost:3000"),
		DatabaseURL:      or("DATABASE_URL", "postgresql://postgres:password@localhost:5432/cruddur"),
		DynamoDBEndpoint: or("DYNAMODB_ENDPOINT", "http://localhost:8000"),
		Repo:             or("CRUDDUR_REPO", "."),
		Login:            or("HOMEWORK_LOGIN", "andrewbrown"),
		Password:         or("HOMEWORK_PASSWORD", "cruddur-dev"),
	}
}

// result is one line of the checklist: skipped when it cannot apply here.
type result struct {
	ok, skipped bool
	detail, fix string
}

func pass(detail string) result            { return result{ok: true, detail: detail} }
func fail(detail, fix string) result       { return result{detail: detail, fix: fix} }
func skip(detail string) result            { return result{ok: true, skipped: true, detail: detail} }
func failErr(err error, fix string) result { return fail(err.Error(), fix) }

type check struct {
	name string
	run  func(context.Context, Config) result
}

var checks = []check{
	{"Backend: GET /api/activities/notifications answers a JSON array that matches the OpenAPI document", checkNotificationsEndpoint},
	{"OpenAPI document: has the /api/activities/notifications path", checkOpenAPIPath},
	{"Frontend: the /notifications page renders", checkNotificationsPage},
	{"PostgreSQL: accepts a connection with the compose credentials", checkPostgres},
	{"DynamoDB Local: create-table, put-item, scan, list-tables round trip", checkDynamoDB},
	{"Docker compose: every service is healthy", checkComposeHealthy},
	{"Dockerfiles: multi-stage builds", checkMultiStage},
	{"Docker compose: healthchecks on every long-running service", checkComposeHealthchecks},
	{"Dockerfiles: CMD runs an external script", checkCMDScript},
}

// run runs every check, prints the checklist, and reports whether all passed.
func run(ctx context.Context, cfg Config, out io.Writer) bool {
	fmt.Fprintln(out, "Cruddur week 1 homework self-check")
	all := true
	for _, c := range checks {
		r := c.run(ctx, cfg)
		mark := "✅"
		switch {
		case r.skipped:
			mark = "➖"
		case !r.ok:
			mark = "❌"
			all = false
		}
		fmt.Fprintf(out, "%s %s\n", mark, c.name)
		if r.detail != "" {
			fmt.Fprintf(out, "     %s\n", r.detail)
		}
		if !r.ok && r.fix != "" {
			fmt.Fprintf(out, "     fix: %s\n", r.fix)
		}
	}
	if all {
		fmt.Fprintln(out, "All week 1 checks pass.")
	} else {
		fmt.Fprintln(out, "Some checks failed: see the fixes above.")
	}
	return all
}
