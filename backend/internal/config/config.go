// Package config reads the backend's settings from the environment, once, at start.
package config

import (
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Config is every setting the backend takes. See the README's configuration table.
type Config struct {
	DatabaseURL string
	FrontendURL string
	BackendURL  string
	Port        int
	LogLevel    slog.Level
	// DemoHandle, when set, is the user that requests without a token act as.
	DemoHandle string
	DynamoDB   DynamoDB
}

// DynamoDB says where the notifications and messages tables are.
type DynamoDB struct {
	// Endpoint overrides the SDK's (DynamoDB Local: http://dynamodb-local:8000);
	// empty means AWS DynamoDB with the SDK's credential chain.
	Endpoint          string
	Region            string
	MessageTable      string
	NotificationTable string
}

// Error names the setting at fault and how to fix it, in one line.
type Error struct {
	Name, Problem, Fix string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s %s; %s", e.Name, e.Problem, e.Fix)
}

var (
	handlePattern = regexp.MustCompile(`^[a-z0-9_]{3,30}$`)
	tableName     = regexp.MustCompile(`^[a-zA-Z0-9_.-]{3,255}$`)
)

// Load reads the settings from getenv. needDatabase is false for subcommands
// such as healthcheck that never open a connection.
func Load(getenv func(string) string, needDatabase bool) (Config, error) {
	c := Config{
		FrontendURL: "http://localhost:3000",
		BackendURL:  "http://localhost:4567",
		Port:        4567,
		LogLevel:    slog.LevelInfo,
		DynamoDB: DynamoDB{
			Region:            "us-east-1",
			MessageTable:      "cruddur-messages",
			NotificationTable: "cruddur-notifications",
		},
	}

	c.DatabaseURL = getenv("DATABASE_URL")
	if c.DatabaseURL == "" {
		c.DatabaseURL = getenv("CONNECTION_URL")
	}
	if needDatabase {
		if c.DatabaseURL == "" {
			return c, &Error{"DATABASE_URL", "is not set", "set it (or CONNECTION_URL) to a PostgreSQL URL such as postgresql://postgres:password@localhost:5432/cruddur"}
		}
		if _, err := pgxpool.ParseConfig(c.DatabaseURL); err != nil {
			return c, &Error{"DATABASE_URL", "is not a valid PostgreSQL URL", "use the form postgresql://USER:PASSWORD@HOST:5432/DBNAME"}
		}
	}

	for _, u := range []struct {
		name string
		dst  *string
	}{{"FRONTEND_URL", &c.FrontendURL}, {"BACKEND_URL", &c.BackendURL}} {
		v := getenv(u.name)
		if v == "" {
			continue
		}
		parsed, err := url.Parse(v)
		if err != nil || (parsed.Scheme != "http" && parsed.Scheme != "https") || parsed.Host == "" {
			return c, &Error{u.name, fmt.Sprintf("is %q, not an http(s) URL", v), "use an origin such as http://localhost:3000"}
		}
		*u.dst = parsed.Scheme + "://" + parsed.Host
	}

	if v := getenv("PORT"); v != "" {
		p, err := strconv.Atoi(v)
		if err != nil || p < 1 || p > 65535 {
			return c, &Error{"PORT", fmt.Sprintf("is %q, not a port number", v), "use a number from 1 to 65535, such as 4567"}
		}
		c.Port = p
	}

	if v := getenv("LOG_LEVEL"); v != "" {
		if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
			return c, &Error{"LOG_LEVEL", fmt.Sprintf("is %q", v), "use debug, info, warn or error"}
		}
	}

	if v := getenv("DYNAMODB_ENDPOINT"); v != "" {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return c, &Error{"DYNAMODB_ENDPOINT", fmt.Sprintf("is %q, not an http(s) URL", v), "use http://dynamodb-local:8000 (compose), http://localhost:8000, or leave it unset for AWS"}
		}
		c.DynamoDB.Endpoint = v
	}
	if v := getenv("AWS_REGION"); v != "" {
		c.DynamoDB.Region = v
	} else if v := getenv("AWS_DEFAULT_REGION"); v != "" {
		c.DynamoDB.Region = v
	}
	for _, t := range []struct {
		name string
		dst  *string
	}{{"DDB_MESSAGE_TABLE", &c.DynamoDB.MessageTable}, {"DDB_NOTIFICATION_TABLE", &c.DynamoDB.NotificationTable}} {
		if v := getenv(t.name); v != "" {
			if !tableName.MatchString(v) {
				return c, &Error{t.name, fmt.Sprintf("is %q, not a DynamoDB table name", v), "use 3-255 of a-z, A-Z, 0-9, _ - and ."}
			}
			*t.dst = v
		}
	}

	if v := getenv("DEMO_HANDLE"); v != "" {
		v = strings.ToLower(strings.TrimPrefix(v, "@"))
		if !handlePattern.MatchString(v) {
			return c, &Error{"DEMO_HANDLE", fmt.Sprintf("is %q, not a handle", v), "use 3-30 of a-z, 0-9 and _, such as andrewbrown, or leave it unset"}
		}
		c.DemoHandle = v
	}
	return c, nil
}
