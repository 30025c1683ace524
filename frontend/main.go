// Command frontend serves Cruddur's web pages on PORT (3000), rendered with
// templ from data it reads through the backend's API.
//
//	frontend [serve]      serve the pages
//	frontend healthcheck  exit 0 when the frontend on PORT answers healthy
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
	"github.com/cruddur/cruddur-go/frontend/internal/config"
	"github.com/cruddur/cruddur-go/frontend/internal/web"
	"github.com/cruddur/cruddur-go/frontend/static"
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
	if err := run(ctx, cmd); err != nil {
		fmt.Fprintln(os.Stderr, "frontend:", err)
		stop()
		os.Exit(1)
	}
}

func run(ctx context.Context, cmd string) error {
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return err
	}
	switch cmd {
	case "healthcheck":
		return healthcheck(ctx, cfg.Port)
	case "serve":
	default:
		return fmt.Errorf("unknown command %q; use serve or healthcheck", cmd)
	}

	log := slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{Level: cfg.LogLevel}))
	assets, err := static.New()
	if err != nil {
		return err
	}
	api := client.New(cfg.BackendURL, &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 64, IdleConnTimeout: 90 * time.Second},
	})
	srv := &http.Server{
		Addr:              net.JoinHostPort("", strconv.Itoa(cfg.Port)),
		Handler:           web.New(web.Options{API: api, Assets: assets, Logger: log, PublicURL: cfg.PublicURL, Secure: cfg.Secure(), DevReload: cfg.DevReload}),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	if cfg.DevReload {
		log.Warn("DEV_RELOAD=1: same-origin scripts are allowed for live reload. Development only.")
	}
	log.Info("listening", "port", cfg.Port, "backend", cfg.BackendURL, "public_url", cfg.PublicURL, "version", version)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// healthcheck is for images with no shell or curl: exit 0 only on a 200.
func healthcheck(ctx context.Context, port int) error {
	return client.Probe(ctx, fmt.Sprintf("http://127.0.0.1:%d/health-check", port))
}
