package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"
)

// SessionLifetime is how long a sign-in token is good for.
const SessionLifetime = 30 * 24 * time.Hour

// CreateSession stores the hash of a new token for user.
func (s *Storage) CreateSession(ctx context.Context, tokenHash []byte, user uuid.UUID) error {
	return wrap("create session", createSession(ctx, s.pool, tokenHash, user), nil)
}

func createSession(ctx context.Context, db interface {
	Exec(context.Context, string, ...any) (pgconn.CommandTag, error)
}, tokenHash []byte, user uuid.UUID) error {
	_, err := db.Exec(ctx, `
		INSERT INTO sessions (token_hash, user_uuid, expires_at) VALUES ($1, $2, now() + $3::interval)`,
		tokenHash, user, fmt.Sprintf("%d seconds", int(SessionLifetime.Seconds())))
	return err
}

// UserBySession returns the user a live token belongs to.
func (s *Storage) UserBySession(ctx context.Context, tokenHash []byte) (User, error) {
	var u User
	err := scanUser(s.pool.QueryRow(ctx, `
		SELECT `+prefixed("u", userColumns)+` FROM sessions s JOIN users u ON u.uuid = s.user_uuid
		WHERE s.token_hash = $1 AND s.expires_at > now()`, tokenHash), &u)
	return u, wrap("user by session", err, ErrSessionNotFound)
}

// DeleteSession revokes a token.
func (s *Storage) DeleteSession(ctx context.Context, tokenHash []byte) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash)
	return wrap("delete session", err, nil)
}
