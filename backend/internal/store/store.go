// Package store is Cruddur's PostgreSQL storage: one file per entity, SQL
// written by hand next to the code that runs it.
package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Errors the API maps to statuses.
var (
	ErrUserNotFound     = errors.New("user not found")
	ErrActivityNotFound = errors.New("activity not found")
	ErrSessionNotFound  = errors.New("session not found")
	ErrHandleTaken      = errors.New("handle taken")
	ErrEmailTaken       = errors.New("email taken")
	ErrSelfFollow       = errors.New("cannot follow yourself")
)

// Storage runs Cruddur's queries on a pool.
type Storage struct {
	pool     *pgxpool.Pool
	onNotify func()
	sidebar  sidebarCache
}

// OnNotify sets what to call after a commit that put notifications in the
// outbox (the dispatcher's wake-up), so delivery need not wait for its poll.
func (s *Storage) OnNotify(fn func()) { s.onNotify = fn }

func (s *Storage) nudge() {
	if s.onNotify != nil {
		s.onNotify()
	}
}

// New returns a Storage over pool.
func New(pool *pgxpool.Pool) *Storage {
	return &Storage{pool: pool, sidebar: sidebarCache{ttl: TrendingTTL}}
}

// Ping checks that PostgreSQL answers.
func (s *Storage) Ping(ctx context.Context) error {
	return s.pool.Ping(ctx)
}

// inTx runs fn in a transaction: committed when fn returns nil, rolled back
// otherwise, so a failed write leaves no half-written rows.
func (s *Storage) inTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, s.pool, fn)
}

// uniqueViolation returns the constraint name when err is a unique violation.
func uniqueViolation(err error) (string, bool) {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return pgErr.ConstraintName, true
	}
	return "", false
}

// wrap adds op to err, and turns "no rows" into notFound.
func wrap(op string, err, notFound error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return notFound
	}
	return fmt.Errorf("%s: %w", op, err)
}

// prefixed qualifies a column list such as userColumns with a table alias.
func prefixed(alias, columns string) string {
	parts := strings.Split(columns, ", ")
	for i, p := range parts {
		parts[i] = alias + "." + p
	}
	return strings.Join(parts, ", ")
}
