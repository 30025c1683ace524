// Command devdb runs PostgreSQL for development without Docker, with the
// same harness the tests use, and prints the DATABASE_URL to export.
//
//	go run ./backend/cmd/devdb [-dir .data/postgres] [-port 5432]
//
// Data is kept in -dir between runs. Ctrl-C stops the server.
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
	dir := flag.String("dir", ".data/postgres", "where the cluster's files live")
	port := flag.Int("port", 5432, "port on 127.0.0.1")
	flag.Parse()

	pg, err := testenv.RunPostgres(*dir, *port)
	if err != nil {
		fmt.Fprintln(os.Stderr, "devdb:", err)
		os.Exit(1)
	}
	defer pg.Stop()

	ctx := context.Background()
	conn, err := pgx.Connect(ctx, pg.AdminURL)
	if err == nil {
		var exists bool
		conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'cruddur')`).Scan(&exists)
		if !exists {
			_, err = conn.Exec(ctx, `CREATE DATABASE cruddur`)
		}
		conn.Close(ctx)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "devdb:", err)
		return
	}
	fmt.Printf("PostgreSQL is up. In another shell:\n\n  export DATABASE_URL=postgres://postgres@127.0.0.1:%d/cruddur?sslmode=disable\n\nCtrl-C stops it.\n", *port)

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
	fmt.Println("stopping PostgreSQL")
}
