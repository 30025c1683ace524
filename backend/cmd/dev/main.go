// Command dev runs the whole Cruddur stack natively, without Docker, with
// the harness the tests use: PostgreSQL (the one at DATABASE_URL, or one
// kept in .data/postgres), DynamoDB (DYNAMODB_ENDPOINT, or dynalite),
// migrate and seed, then the backend and frontend through the same scripts
// the dev images run, so they restart when you edit. One Ctrl-C stops
// everything it started.
//
//	go run ./backend/cmd/dev                  (make dev)
//	go run ./backend/cmd/dev -services-only   (make db: just the databases)
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cruddur/cruddur-go/backend/testenv"
)

func main() {
	servicesOnly := flag.Bool("services-only", false, "start only PostgreSQL and DynamoDB, and print their settings")
	dataDir := flag.String("data", ".data/postgres", "where PostgreSQL's files are kept between runs")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *servicesOnly, *dataDir); err != nil {
		fmt.Fprintln(os.Stderr, "dev:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, servicesOnly bool, dataDir string) error {
	root := repoRoot()
	dbURL := os.Getenv("DATABASE_URL")
	if dbURL == "" {
		pg, err := testenv.RunPostgres(filepath.Join(root, dataDir), portOr(5432))
		if err != nil {
			return err
		}
		defer pg.Stop()
		if dbURL, err = createDatabase(ctx, pg.AdminURL, "cruddur"); err != nil {
			return err
		}
	}
	ddbURL := os.Getenv("DYNAMODB_ENDPOINT")
	if ddbURL == "" {
		ddb, err := testenv.RunDynalite(portOr(8000))
		if err != nil {
			return err
		}
		defer ddb.Stop()
		ddbURL = ddb.Endpoint
	}
	env := append(os.Environ(), "DATABASE_URL="+dbURL, "DYNAMODB_ENDPOINT="+ddbURL)

	if servicesOnly {
		fmt.Printf("PostgreSQL and DynamoDB are up. In another shell:\n\n  export DATABASE_URL='%s'\n  export DYNAMODB_ENDPOINT=%s\n\nCtrl-C stops them.\n", dbURL, ddbURL)
		<-ctx.Done()
		return nil
	}

	fmt.Println("dev: migrating and seeding")
	setup := exec.CommandContext(ctx, "go", "run", ".", "setup")
	setup.Dir = filepath.Join(root, "backend")
	setup.Env = append(env, "GOWORK=off")
	setup.Stdout, setup.Stderr = os.Stdout, os.Stderr
	if err := setup.Run(); err != nil {
		return fmt.Errorf("setup: %w", err)
	}

	backendPort, frontendPort := portOr(4567), portOr(3000)
	backendURL := fmt.Sprintf("http://127.0.0.1:%d", backendPort)
	stopBackend, err := start(root, "dev-backend.sh", append(env, "PORT="+strconv.Itoa(backendPort), "DEMO_HANDLE=andrewbrown"))
	if err != nil {
		return err
	}
	defer stopBackend()
	stopFrontend, err := start(root, "dev-frontend.sh", append(env, "PORT="+strconv.Itoa(frontendPort), "BACKEND_URL="+backendURL,
		"FRONTEND_URL="+fmt.Sprintf("http://localhost:%d", frontendPort), "TEMPL_PROXY_BIND=127.0.0.1"))
	if err != nil {
		return err
	}
	defer stopFrontend()

	for _, u := range []string{backendURL + "/api/health-check", fmt.Sprintf("http://127.0.0.1:%d/health-check", frontendPort)} {
		if err := waitHealthy(ctx, u); err != nil {
			return err
		}
	}
	fmt.Printf(`
Cruddur is up:
  pages        http://localhost:%d   (live reload: http://localhost:7331)
  API          %s   (try %s/api/activities/notifications)
  sign in as   andrewbrown / cruddur-dev
Ctrl-C stops everything.
`, frontendPort, backendURL, backendURL)
	<-ctx.Done()
	fmt.Println("\ndev: stopping")
	return nil
}

// start runs a script from scripts/ in its own process group; the returned
// func stops the whole group.
func start(root, name string, env []string) (func(), error) {
	cmd := exec.Command(filepath.Join(root, "scripts", name))
	cmd.Dir = root
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	return func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		}
	}, nil
}

func waitHealthy(ctx context.Context, url string) error {
	deadline := time.Now().Add(5 * time.Minute) // the first build downloads and compiles
	for {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s did not become healthy", url)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(300 * time.Millisecond):
		}
	}
}

// portOr is port when it is free on 127.0.0.1, else another free one.
func portOr(port int) int {
	if l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
		l.Close()
		return port
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return port
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func createDatabase(ctx context.Context, adminURL, name string) (string, error) {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return "", err
	}
	if !exists {
		if _, err := conn.Exec(ctx, `CREATE DATABASE `+pgx.Identifier{name}.Sanitize()); err != nil {
			return "", err
		}
	}
	return testenv.WithDatabase(adminURL, name), nil
}

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..")
}
