// Package testenv gives tests real services: a PostgreSQL server (the one
// at DATABASE_URL, or a throwaway one it starts), and a fresh database per
// test made from the migrations. A missing service fails loudly.
package testenv

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// Postgres is a server the tests may create databases on.
type Postgres struct {
	// AdminURL connects as a user that may CREATE DATABASE.
	AdminURL string
	stop     func()
}

// Stop shuts a throwaway server down and deletes its files.
func (p *Postgres) Stop() {
	if p.stop != nil {
		p.stop()
	}
}

// StartPostgres returns the server at DATABASE_URL when set, otherwise
// starts a throwaway one on a free loopback port.
func StartPostgres() (*Postgres, error) {
	if url := os.Getenv("DATABASE_URL"); url != "" {
		return &Postgres{AdminURL: url}, nil
	}
	return RunPostgres("", 0)
}

// RunPostgres starts a PostgreSQL server on 127.0.0.1. With dir empty it is
// throwaway: a temporary cluster, deleted by Stop. With dir set, the cluster
// lives there and is reused by the next run. Port 0 picks a free port.
func RunPostgres(dir string, port int) (*Postgres, error) {
	initdb, err := pgBinary("initdb")
	if err != nil {
		return nil, err
	}
	pgCtl, err := pgBinary("pg_ctl")
	if err != nil {
		return nil, err
	}

	keep := dir != ""
	if keep {
		dir, err = filepath.Abs(dir)
		if err == nil {
			// Traversable by the postgres user; initdb makes data/ itself 0700.
			err = os.MkdirAll(dir, 0o755)
		}
	} else {
		dir, err = os.MkdirTemp("", "cruddur-pg-")
	}
	if err != nil {
		return nil, err
	}
	removeDir := func() {
		if !keep {
			os.RemoveAll(dir)
		}
	}
	// initdb refuses to run as root: run the server as the postgres user.
	var runAs []string
	if os.Geteuid() == 0 {
		pgUser, err := user.Lookup("postgres")
		if err != nil {
			removeDir()
			return nil, errors.New("testenv: running as root and there is no postgres user to run PostgreSQL as; install postgresql (apt-get install postgresql) or set DATABASE_URL")
		}
		uid, _ := strconv.Atoi(pgUser.Uid)
		gid, _ := strconv.Atoi(pgUser.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			removeDir()
			return nil, err
		}
		runAs = []string{"runuser", "-u", "postgres", "--"}
	}
	run := func(args ...string) error {
		full := append(append([]string{}, runAs...), args...)
		cmd := exec.Command(full[0], full[1:]...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		// Its own process group: a Ctrl-C to the tests must not kill the
		// server before the tests stop it.
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s: %w\n%s", strings.Join(args, " "), err, out.String())
		}
		return nil
	}

	data := filepath.Join(dir, "data")
	if _, err := os.Stat(filepath.Join(data, "PG_VERSION")); err != nil {
		if err := run(initdb, "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "-N"); err != nil {
			removeDir()
			return nil, fmt.Errorf("testenv: initdb: %w", err)
		}
	}
	// A throwaway cluster trades durability for speed; a kept one does not.
	speed := ""
	if !keep {
		speed = " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	}
	for attempt := 0; ; attempt++ {
		p := port
		if p == 0 {
			if p, err = freePort(); err != nil {
				removeDir()
				return nil, err
			}
		}
		opts := fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1 -k %s -c max_connections=300%s", p, dir, speed)
		err = run(pgCtl, "-D", data, "-l", filepath.Join(dir, "postgres.log"), "-o", opts, "-w", "-t", "60", "start")
		if err == nil {
			port = p
			break
		}
		if attempt == 2 || port != 0 {
			log, _ := os.ReadFile(filepath.Join(dir, "postgres.log"))
			removeDir()
			return nil, fmt.Errorf("testenv: start PostgreSQL on port %d: %w\n%.2000s", p, err, log)
		}
	}
	return &Postgres{
		AdminURL: fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port),
		stop: func() {
			mode := "immediate"
			if keep {
				mode = "fast"
			}
			run(pgCtl, "-D", data, "-m", mode, "stop")
			removeDir()
		},
	}, nil
}

// pgBinary finds a PostgreSQL server program on PATH or in Debian's place.
func pgBinary(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/" + name)
	if len(matches) > 0 {
		return matches[len(matches)-1], nil
	}
	return "", fmt.Errorf("testenv: PostgreSQL's %s was not found: install the server (apt-get install postgresql) or set DATABASE_URL to a server where this user may create databases", name)
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
