package config

import (
	"log/slog"
	"strings"
	"testing"
)

func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func TestLoad_DefaultsAndCruddurNames(t *testing.T) {
	c, err := Load(env("CONNECTION_URL", "postgresql://postgres:password@db:5432/cruddur", "DEMO_HANDLE", "@AndrewBrown", "LOG_LEVEL", "debug",
		"FRONTEND_URL", "https://3000-abc.gitpod.io/", "BACKEND_URL", "https://4567-abc.gitpod.io"), true)
	if err != nil {
		t.Fatal(err)
	}
	if c.DatabaseURL != "postgresql://postgres:password@db:5432/cruddur" || c.Port != 4567 || c.DemoHandle != "andrewbrown" ||
		c.LogLevel != slog.LevelDebug || c.FrontendURL != "https://3000-abc.gitpod.io" || c.BackendURL != "https://4567-abc.gitpod.io" {
		t.Fatalf("%+v", c)
	}
}

func TestLoad_NamesTheBadSettingAndTheFix(t *testing.T) {
	for _, c := range []struct {
		env  func(string) string
		want string
	}{
		{env(), "DATABASE_URL is not set; set it"},
		{env("DATABASE_URL", "postgres://x:bad port/db"), "DATABASE_URL is not a valid PostgreSQL URL"},
		{env("DATABASE_URL", "postgres://localhost/db", "PORT", "eighty"), `PORT is "eighty", not a port number`},
		{env("DATABASE_URL", "postgres://localhost/db", "PORT", "70000"), `PORT is "70000"`},
		{env("DATABASE_URL", "postgres://localhost/db", "LOG_LEVEL", "loud"), "LOG_LEVEL"},
		{env("DATABASE_URL", "postgres://localhost/db", "FRONTEND_URL", "localhost:3000"), "FRONTEND_URL"},
		{env("DATABASE_URL", "postgres://localhost/db", "DEMO_HANDLE", "not a handle"), "DEMO_HANDLE"},
	} {
		_, err := Load(c.env, true)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("got %v, want one line containing %q", err, c.want)
		}
	}
	if _, err := Load(env(), false); err != nil {
		t.Errorf("healthcheck needs no database: %v", err)
	}
}

func TestLoad_DynamoDBSettings(t *testing.T) {
	c, err := Load(env("DATABASE_URL", "postgres://localhost/db"), true)
	if err != nil {
		t.Fatal(err)
	}
	if c.DynamoDB != (DynamoDB{Region: "us-east-1", MessageTable: "cruddur-messages", NotificationTable: "cruddur-notifications"}) {
		t.Fatalf("defaults: %+v", c.DynamoDB)
	}
	c, err = Load(env("DATABASE_URL", "postgres://localhost/db", "DYNAMODB_ENDPOINT", "http://dynamodb-local:8000",
		"AWS_REGION", "ca-central-1", "DDB_MESSAGE_TABLE", "msgs", "DDB_NOTIFICATION_TABLE", "notes"), true)
	if err != nil || c.DynamoDB.Endpoint != "http://dynamodb-local:8000" || c.DynamoDB.Region != "ca-central-1" ||
		c.DynamoDB.MessageTable != "msgs" || c.DynamoDB.NotificationTable != "notes" {
		t.Fatalf("%+v %v", c.DynamoDB, err)
	}
	_, err = Load(env("DATABASE_URL", "postgres://localhost/db", "DYNAMODB_ENDPOINT", "dynamodb-local:8000"), true)
	if err == nil || !strings.Contains(err.Error(), "DYNAMODB_ENDPOINT") {
		t.Fatalf("bad endpoint: %v", err)
	}
	_, err = Load(env("DATABASE_URL", "postgres://localhost/db", "DDB_MESSAGE_TABLE", "no spaces allowed"), true)
	if err == nil || !strings.Contains(err.Error(), "DDB_MESSAGE_TABLE") {
		t.Fatalf("bad table: %v", err)
	}
}
