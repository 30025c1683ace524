package store

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Follow makes follower follow the user with handle, notifying them the
// first time; following twice is a no-op.
func (s *Storage) Follow(ctx context.Context, follower uuid.UUID, handle string) error {
	notified := false
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var followee uuid.UUID
		if err := tx.QueryRow(ctx, `SELECT uuid FROM users WHERE handle = $1`, handle).Scan(&followee); err != nil {
			return err
		}
		if followee == follower {
			return ErrSelfFollow
		}
		tag, err := tx.Exec(ctx, `
			INSERT INTO follows (follower_uuid, followee_uuid) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
			follower, followee)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		notified, err = notify(ctx, tx, pendingNotification{recipient: followee, actor: follower, typ: "follow", target: followee})
		return err
	})
	if notified {
		s.nudge()
	}
	return wrap("follow", err, ErrUserNotFound)
}

// Unfollow stops follower following the user with handle.
func (s *Storage) Unfollow(ctx context.Context, follower uuid.UUID, handle string) error {
	var followee uuid.UUID
	if err := s.pool.QueryRow(ctx, `SELECT uuid FROM users WHERE handle = $1`, handle).Scan(&followee); err != nil {
		return wrap("unfollow", err, ErrUserNotFound)
	}
	_, err := s.pool.Exec(ctx, `DELETE FROM follows WHERE follower_uuid = $1 AND followee_uuid = $2`, follower, followee)
	return wrap("unfollow", err, ErrUserNotFound)
}
