package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Like records user's like of a live activity. The counter moves only when
// a row is really inserted or deleted, in the same transaction, so it stays
// exact under any number of concurrent likes.
func (s *Storage) Like(ctx context.Context, user, activity uuid.UUID) (Activity, error) {
	return s.toggle(ctx, "like", user, activity, "like", `
		WITH changed AS (
			INSERT INTO likes (activity_uuid, user_uuid) VALUES ($1, $2)
			ON CONFLICT DO NOTHING RETURNING activity_uuid)
		UPDATE activities SET likes_count = likes_count + 1 WHERE uuid IN (SELECT activity_uuid FROM changed)`)
}

// Unlike removes user's like; unliking twice is a no-op.
func (s *Storage) Unlike(ctx context.Context, user, activity uuid.UUID) (Activity, error) {
	return s.toggle(ctx, "unlike", user, activity, "", `
		WITH changed AS (
			DELETE FROM likes WHERE activity_uuid = $1 AND user_uuid = $2 RETURNING activity_uuid)
		UPDATE activities SET likes_count = likes_count - 1 WHERE uuid IN (SELECT activity_uuid FROM changed)`)
}

// Repost records user's repost of a live activity, once per user.
func (s *Storage) Repost(ctx context.Context, user, activity uuid.UUID) (Activity, error) {
	return s.toggle(ctx, "repost", user, activity, "repost", `
		WITH changed AS (
			INSERT INTO reposts (activity_uuid, user_uuid) VALUES ($1, $2)
			ON CONFLICT DO NOTHING RETURNING activity_uuid)
		UPDATE activities SET reposts_count = reposts_count + 1 WHERE uuid IN (SELECT activity_uuid FROM changed)`)
}

// toggle checks the activity is live, runs change ($1 activity, $2 user),
// notifies the author with notification (when not empty) if the change
// happened, and returns the activity as user now sees it.
func (s *Storage) toggle(ctx context.Context, op string, user, activity uuid.UUID, notification, change string) (Activity, error) {
	notified := false
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var author uuid.UUID
		var message string
		var expires time.Time
		err := tx.QueryRow(ctx, `SELECT user_uuid, message, expires_at FROM activities WHERE uuid = $1 AND expires_at > now()`,
			activity).Scan(&author, &message, &expires)
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, change, activity, user)
		if err != nil || tag.RowsAffected() == 0 || notification == "" {
			return err
		}
		notified, err = notify(ctx, tx, pendingNotification{
			recipient: author, actor: user, typ: notification, target: activity, subject: activity,
			activity: &activity, message: message, activityEnds: expires,
		})
		return err
	})
	if err != nil {
		return Activity{}, wrap(op, err, ErrActivityNotFound)
	}
	if notified {
		s.nudge()
	}
	return s.ActivityByUUID(ctx, user, activity)
}
