package testenv

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cruddur/cruddur-go/backend/internal/database"
)

var (
	server   *Postgres
	template struct {
		sync.Mutex
		name string
	}
)

// Main starts the services for a test binary (PostgreSQL and a
// DynamoDB-protocol server), runs its tests and stops them. Use it as:
//
//	func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }
func Main(m *testing.M) int {
	pg, err := StartPostgres()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer pg.Stop()
	server = pg
	dyn, err := StartDynamo()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer dyn.Stop()
	dynamoServer = dyn
	code := m.Run()
	if template.name != "" {
		dropDatabase(template.name)
	}
	return code
}

// DatabaseURL returns the URL of a new database with the schema applied,
// dropped when the test ends.
func DatabaseURL(t testing.TB) string {
	t.Helper()
	if server == nil {
		t.Fatal("testenv: no PostgreSQL: call testenv.Main from TestMain")
	}
	tpl, err := templateDatabase()
	if err != nil {
		t.Fatalf("testenv: migrate template database: %v", err)
	}
	name := "cruddur_test_" + randomSuffix()
	if err := adminExec(fmt.Sprintf(`CREATE DATABASE %s TEMPLATE %s`, name, tpl)); err != nil {
		t.Fatalf("testenv: create database: %v", err)
	}
	t.Cleanup(func() { dropDatabase(name) })
	return WithDatabase(server.AdminURL, name)
}

// Pool returns a pool on a new migrated database, closed when the test ends.
func Pool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool, err := database.Open(context.Background(), DatabaseURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// templateDatabase migrates one database per test binary; each test copies it.
func templateDatabase() (string, error) {
	template.Lock()
	defer template.Unlock()
	if template.name != "" {
		return template.name, nil
	}
	name := "cruddur_template_" + randomSuffix()
	if err := adminExec(`CREATE DATABASE ` + name); err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	pool, err := database.Open(ctx, WithDatabase(server.AdminURL, name))
	if err != nil {
		return "", err
	}
	_, err = database.Migrate(ctx, pool)
	pool.Close() // a template must have no connections while it is copied
	if err != nil {
		dropDatabase(name)
		return "", err
	}
	template.name = name
	return name, nil
}

func adminExec(sql string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, server.AdminURL)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", redact(server.AdminURL), err)
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

func dropDatabase(name string) {
	adminExec(fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, name))
}

// WithDatabase is adminURL pointed at another database on the same server.
func WithDatabase(adminURL, name string) string {
	u, err := url.Parse(adminURL)
	if err != nil {
		panic(err)
	}
	u.Path = "/" + name
	return u.String()
}

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "DATABASE_URL"
	}
	return u.Redacted()
}

func randomSuffix() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Host returns host:port of the PostgreSQL server at a URL.
func Host(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		panic(err)
	}
	return u.Host
}

// SyncBuffer collects a server's or a script's output for a test to read
// while it is still being written.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
