// Command backend is Cruddur's JSON API.
//
//	backend [serve]     serve the API on PORT (4567)
//	backend migrate     apply the database schema (safe to run on every start)
//	backend seed        load the demo data (idempotent)
//	backend setup       migrate, then seed (one step for a container without a shell)
//	backend healthcheck exit 0 when the API on PORT answers healthy
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/cruddur/cruddur-go/backend/client"
	"github.com/cruddur/cruddur-go/backend/internal/api"
	"github.com/cruddur/cruddur-go/backend/internal/config"
	"github.com/cruddur/cruddur-go/backend/internal/database"
	"github.com/cruddur/cruddur-go/backend/internal/dynamo"
	"github.com/cruddur/cruddur-go/backend/internal/outbox"
	"github.com/cruddur/cruddur-go/backend/internal/store"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	cmd := "serve"
	if len(os.Args) > 1 {
		cmd = os.Args[1]
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cmd, os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "backend:", err)
		stop()
		os.Exit(1)
	}
}

func run(ctx context.Context, cmd string, getenv func(string) string, stdout *os.File) error {
	switch cmd {
	case "serve", "migrate", "seed", "setup", "healthcheck":
	default:
		return fmt.Errorf("unknown command %q; use serve, migrate, seed, setup or healthcheck", cmd)
	}
	cfg, err := config.Load(getenv, cmd != "healthcheck")
	if err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(stdout, &slog.HandlerOptions{Level: cfg.LogLevel}))

	if cmd == "healthcheck" {
		return healthcheck(ctx, cfg.Port)
	}

	pool, err := database.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	ddb, err := dynamo.NewClient(ctx, cfg.DynamoDB, nil)
	if err != nil {
		return err
	}
	st := store.New(pool)
	notes := dynamo.NewNotifications(ddb, cfg.DynamoDB.NotificationTable)
	msgs := dynamo.NewMessages(ddb, cfg.DynamoDB.MessageTable)

	switch cmd {
	case "migrate", "setup":
		n, err := database.Migrate(ctx, pool)
		if err != nil {
			return err
		}
		created, err := dynamo.CreateTables(ctx, ddb, cfg.DynamoDB)
		if err != nil {
			return fmt.Errorf("%w (is DYNAMODB_ENDPOINT right? it is %q)", err, cfg.DynamoDB.Endpoint)
		}
		log.Info("migrated", "postgres_migrations_applied", n, "dynamodb_tables_created", created)
		if cmd == "migrate" {
			return nil
		}
		return seed(ctx, log, pool, st, notes, msgs)
	case "seed":
		return seed(ctx, log, pool, st, notes, msgs)
	}

	dispatcher := outbox.New(pool, notes, log)
	st.OnNotify(dispatcher.Nudge)
	dispatched := make(chan struct{})
	go func() { dispatcher.Run(ctx); close(dispatched) }()
	defer func() { <-dispatched }()
	return serve(ctx, cfg, log, api.Options{Store: st, Notifications: notes, Messages: msgs})
}

func serve(ctx context.Context, cfg config.Config, log *slog.Logger, o api.Options) error {
	if cfg.DemoHandle != "" {
		log.Warn("DEMO_HANDLE is set: requests without a token act as this user. Development only.", "handle", cfg.DemoHandle)
	}
	srv := &http.Server{
		Addr: net.JoinHostPort("", strconv.Itoa(cfg.Port)),
		Handler: api.New(api.Options{
			Store:          o.Store,
			Notifications:  o.Notifications,
			Messages:       o.Messages,
			Logger:         log,
			AllowedOrigins: []string{cfg.FrontendURL, cfg.BackendURL},
			DemoHandle:     cfg.DemoHandle,
			Version:        version,
		}),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	if addr := os.Getenv("PPROF_ADDR"); addr != "" {
		// For profiling under load (make bench): never set it where the
		// address is reachable by others.
		log.Warn("PPROF_ADDR is set: serving net/http/pprof. Profiling only.", "addr", addr)
		go http.ListenAndServe(addr, pprofMux())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	log.Info("listening", "port", cfg.Port, "version", version)

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing in-flight requests")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("stopped")
	return nil
}

// healthcheck is for images with no shell or curl: exit 0 only on a 200.
func healthcheck(ctx context.Context, port int) error {
	return client.Probe(ctx, fmt.Sprintf("http://127.0.0.1:%d/api/health-check", port))
}
