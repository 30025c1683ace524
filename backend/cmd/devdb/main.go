// Command devdb runs the databases for development without Docker, with
// the same harness the tests use: PostgreSQL, and dynalite standing in for
// DynamoDB Local. It prints the settings to export.
//
//	go run ./backend/cmd/devdb [-dir .data/postgres] [-port 5432] [-dynamodb-port 8000]
//
// PostgreSQL keeps its data in -dir between runs; dynalite keeps it in
// memory (run `backend migrate` and `backend seed` after each start).
// Ctrl-C stops both.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/jackc/pgx/v5"

	"github.com/cruddur/cruddur-go/backend/testenv"
)

func main() {
	dir := flag.String("dir", ".data/postgres", "where PostgreSQL's files live")
	port := flag.Int("port", 5432, "PostgreSQL's port on 127.0.0.1")
	ddbPort := flag.Int("dynamodb-port", 8000, "dynalite's port on 127.0.0.1 (0: no DynamoDB)")
	flag.Parse()
	if err := run(*dir, *port, *ddbPort); err != nil {
		fmt.Fprintln(os.Stderr, "devdb:", err)
		os.Exit(1)
	}
}

func run(dir string, port, ddbPort int) error {
	pg, err := testenv.RunPostgres(dir, port)
	if err != nil {
		return err
	}
	defer pg.Stop()
	if err := createDatabase(pg.AdminURL, "cruddur"); err != nil {
		return err
	}
	fmt.Printf("PostgreSQL is up. In another shell:\n\n  export DATABASE_URL='postgres://postgres@127.0.0.1:%d/cruddur?sslmode=disable'\n", port)
	if ddbPort != 0 {
		ddb, err := testenv.RunDynalite(ddbPort)
		if err != nil {
			return err
		}
		defer ddb.Stop()
		fmt.Printf("  export DYNAMODB_ENDPOINT=%s\n", ddb.Endpoint)
	}
	fmt.Println("\nCtrl-C stops it.")
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
	fmt.Println("stopping")
	return nil
}

func createDatabase(adminURL, name string) error {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil || exists {
		return err
	}
	_, err = conn.Exec(ctx, `CREATE DATABASE `+pgx.Identifier{name}.Sanitize())
	return err
}
