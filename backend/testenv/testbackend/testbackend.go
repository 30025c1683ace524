// Package testbackend starts a whole Cruddur backend for tests: the API
// over its own database and DynamoDB tables, with the outbox dispatcher.
package testbackend

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cruddur/cruddur-go/backend/internal/api"
	"github.com/cruddur/cruddur-go/backend/internal/config"
	"github.com/cruddur/cruddur-go/backend/internal/database"
	"github.com/cruddur/cruddur-go/backend/internal/dynamo"
	"github.com/cruddur/cruddur-go/backend/internal/outbox"
	"github.com/cruddur/cruddur-go/backend/internal/store"
	"github.com/cruddur/cruddur-go/backend/testenv"
)

// Options adjusts a test backend; the zero value is a plain one.
type Options struct {
	Pool       *pgxpool.Pool // default: a new database
	Logger     *slog.Logger  // default: discard
	DemoHandle string
	DBTimeout  time.Duration
	// DynamoHTTP carries the API's DynamoDB calls (a CallRecorder, say).
	DynamoHTTP *http.Client
	// DispatcherEndpoint, when set, is where the outbox dispatcher reaches
	// DynamoDB (a fault proxy).
	DispatcherEndpoint string
	Seed               bool
}

// Backend is a whole Cruddur backend serving on loopback: the API over a
// database and DynamoDB tables of its own, with the outbox dispatcher.
type Backend struct {
	URL        string
	Pool       *pgxpool.Pool
	Store      *store.Storage
	Dynamo     config.DynamoDB
	Notes      *dynamo.Notifications
	Dispatcher *outbox.Dispatcher
}

// Start starts a backend that stops when the test ends. The test binary
// must run testenv.Main.
func Start(t testing.TB, o Options) *Backend {
	t.Helper()
	if o.Pool == nil {
		o.Pool = testenv.Pool(t)
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	ddbCfg := testenv.DynamoTables(t)
	ddb := testenv.DynamoClient(t, ddbCfg, o.DynamoHTTP)
	st := store.New(o.Pool)
	st.SetTrendingTTL(0) // tests look at the count right after posting
	notes := dynamo.NewNotifications(ddb, ddbCfg.NotificationTable)

	// The dispatcher has a client of its own, so DynamoHTTP sees only the API's calls.
	dispatcherCfg := ddbCfg
	if o.DispatcherEndpoint != "" {
		dispatcherCfg.Endpoint = o.DispatcherEndpoint
	}
	dispatcher := outbox.New(o.Pool, dynamo.NewNotifications(testenv.DynamoClient(t, dispatcherCfg, nil), ddbCfg.NotificationTable), o.Logger)
	dispatcher.Poll = 50 * time.Millisecond
	dispatcher.MaxBackoff = 200 * time.Millisecond
	dispatcher.PutTimeout = 500 * time.Millisecond
	st.OnNotify(dispatcher.Nudge)
	ctx, stop := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { dispatcher.Run(ctx); close(stopped) }()
	t.Cleanup(func() { stop(); <-stopped })

	if o.Seed {
		if err := database.Seed(context.Background(), o.Pool); err != nil {
			t.Fatal(err)
		}
		if _, err := st.BackfillNotifications(context.Background(), []string{"andrewbrown", "altbrown", "bayko", "londo"}); err != nil {
			t.Fatal(err)
		}
		dispatcher.Nudge()
	}

	msgs := dynamo.NewMessages(ddb, ddbCfg.MessageTable)
	if o.Seed {
		if _, err := database.SeedMessages(context.Background(), o.Pool, msgs); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(api.New(api.Options{
		Store:          st,
		Notifications:  notes,
		Messages:       msgs,
		Logger:         o.Logger,
		AllowedOrigins: []string{"http://localhost:3000", "http://localhost:4567"},
		DemoHandle:     o.DemoHandle,
		DBTimeout:      o.DBTimeout,
		Version:        "test",
	}))
	t.Cleanup(srv.Close)
	return &Backend{URL: srv.URL, Pool: o.Pool, Store: st, Dynamo: ddbCfg, Notes: notes, Dispatcher: dispatcher}
}
