package store

import (
	"context"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// NotificationLifetime is the longest a notification lives.
const NotificationLifetime = 30 * 24 * time.Hour

// pendingNotification is an outbox row about to be written.
type pendingNotification struct {
	id               uuid.UUID // made here when zero
	recipient, actor uuid.UUID
	typ              string
	// target makes the notification unique for (recipient, type, actor).
	target       uuid.UUID
	subject      uuid.UUID
	activity     *uuid.UUID
	message      string
	activityEnds time.Time // zero when it is about no crud
}

// notifySQL records a notification in the outbox, unless the recipient is
// the actor or one with the same (recipient, type, actor, target) was made before.
const notifySQL = `
	WITH key AS (
		INSERT INTO notification_keys (recipient_uuid, type, actor_uuid, target_uuid)
		SELECT $2::uuid, $3::text, $4::uuid, $5::uuid WHERE $2::uuid <> $4::uuid
		ON CONFLICT DO NOTHING
		RETURNING 1)
	INSERT INTO notification_outbox (id, recipient_uuid, type, actor_uuid, actor_handle, actor_display_name,
	                                 subject_uuid, activity_uuid, message, expires_at)
	SELECT $1::uuid, $2::uuid, $3::text, u.uuid, u.handle, u.display_name, $6::uuid, $7::uuid, $8::text, $9::timestamptz
	FROM users u, key WHERE u.uuid = $4`

// notify writes n to the outbox inside tx and reports whether it did.
func notify(ctx context.Context, tx pgx.Tx, n pendingNotification) (bool, error) {
	id := n.id
	if id == uuid.Nil {
		var err error
		if id, err = uuid.NewV7(); err != nil {
			return false, err
		}
	}
	if n.subject == uuid.Nil {
		n.subject = id
	}
	expires := time.Now().Add(NotificationLifetime)
	if !n.activityEnds.IsZero() && n.activityEnds.Before(expires) {
		expires = n.activityEnds
	}
	tag, err := tx.Exec(ctx, notifySQL, id, n.recipient, n.typ, n.actor, n.target, n.subject, n.activity, n.message, expires)
	return tag.RowsAffected() == 1, err
}

// mentionPattern finds @handles that stand alone (not in an email address).
var mentionPattern = regexp.MustCompile(`(?:^|[^A-Za-z0-9_.@])@([A-Za-z0-9_]{3,30})\b`)

// Mentions returns the distinct lower-cased handles a message mentions.
func Mentions(message string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range mentionPattern.FindAllStringSubmatch(message, -1) {
		h := strings.ToLower(m[1])
		if !seen[h] {
			seen[h] = true
			out = append(out, h)
		}
	}
	return out
}

// notifyMentions notifies each existing user that activity mentions.
func notifyMentions(ctx context.Context, tx pgx.Tx, actor uuid.UUID, activity Activity) (int, error) {
	handles := Mentions(activity.Message)
	if len(handles) == 0 {
		return 0, nil
	}
	rows, err := tx.Query(ctx, `SELECT uuid FROM users WHERE handle = ANY($1)`, handles)
	if err != nil {
		return 0, err
	}
	mentioned, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
	if err != nil {
		return 0, err
	}
	n := 0
	for _, user := range mentioned {
		id := activity.UUID
		made, err := notify(ctx, tx, pendingNotification{
			recipient: user, actor: actor, typ: "mention", target: id, subject: id, activity: &id,
			message: activity.Message, activityEnds: activity.ExpiresAt,
		})
		if err != nil {
			return n, err
		}
		if made {
			n++
		}
	}
	return n, nil
}

// NotifyMessage puts a direct-message notification (id already chosen) in
// the outbox: the fallback when it could not be written to DynamoDB
// straight away. The same id makes a late first write harmless.
func (s *Storage) NotifyMessage(ctx context.Context, id, recipient, actor, messageUUID uuid.UUID, message string) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		_, err := notify(ctx, tx, pendingNotification{
			id: id, recipient: recipient, actor: actor, typ: "message", target: messageUUID, subject: messageUUID, message: message,
		})
		return err
	})
	if err == nil {
		s.nudge()
	}
	return wrap("notify message", err, nil)
}

// ActivityCounts returns the live counters of the given activities, for
// notifications that show them.
func (s *Storage) ActivityCounts(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID][3]int, error) {
	out := map[uuid.UUID][3]int{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT uuid, likes_count, replies_count, reposts_count FROM activities WHERE uuid = ANY($1)`, ids)
	if err != nil {
		return nil, wrap("activity counts", err, nil)
	}
	defer rows.Close()
	for rows.Next() {
		var id uuid.UUID
		var c [3]int
		if err := rows.Scan(&id, &c[0], &c[1], &c[2]); err != nil {
			return nil, wrap("activity counts", err, nil)
		}
		out[id] = c
	}
	return out, wrap("activity counts", rows.Err(), nil)
}

// backfillSQL lists what other users did to the given users: the replies,
// likes, reposts and follows that notify them, oldest first.
const backfillSQL = `
	SELECT 'reply', p.user_uuid, a.user_uuid, a.uuid, a.uuid, p.uuid, a.message, p.expires_at, a.created_at
	FROM activities a JOIN activities p ON p.uuid = a.reply_to_activity_uuid
	WHERE p.user_uuid = ANY($1) AND p.expires_at > now()
	UNION ALL
	SELECT 'like', a.user_uuid, l.user_uuid, a.uuid, a.uuid, a.uuid, a.message, a.expires_at, l.created_at
	FROM likes l JOIN activities a ON a.uuid = l.activity_uuid
	WHERE a.user_uuid = ANY($1) AND a.expires_at > now()
	UNION ALL
	SELECT 'repost', a.user_uuid, r.user_uuid, a.uuid, a.uuid, a.uuid, a.message, a.expires_at, r.created_at
	FROM reposts r JOIN activities a ON a.uuid = r.activity_uuid
	WHERE a.user_uuid = ANY($1) AND a.expires_at > now()
	UNION ALL
	SELECT 'follow', f.followee_uuid, f.follower_uuid, f.followee_uuid, NULL, NULL, '', NULL, f.created_at
	FROM follows f WHERE f.followee_uuid = ANY($1)
	ORDER BY 9`

// BackfillNotifications puts in the outbox the notifications that the
// rows written straight into the database (the seed) would have made:
// replies, likes, reposts, follows and mentions, for the users with these
// handles. Like every notification it is made once per (recipient, type,
// actor, target), so running it again adds nothing. It returns how many it made.
func (s *Storage) BackfillNotifications(ctx context.Context, handles []string) (int, error) {
	made := 0
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var users []uuid.UUID
		rows, err := tx.Query(ctx, `SELECT uuid FROM users WHERE handle = ANY($1)`, handles)
		if err == nil {
			users, err = pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
		}
		if err != nil {
			return err
		}
		rows, err = tx.Query(ctx, backfillSQL, users)
		if err != nil {
			return err
		}
		var pending []pendingNotification
		for rows.Next() {
			var n pendingNotification
			var subject, activity *uuid.UUID
			var ends *time.Time
			var at time.Time
			if err := rows.Scan(&n.typ, &n.recipient, &n.actor, &n.target, &subject, &activity, &n.message, &ends, &at); err != nil {
				return err
			}
			if subject != nil {
				n.subject = *subject
			}
			n.activity = activity
			if ends != nil {
				n.activityEnds = *ends
			}
			pending = append(pending, n)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for _, n := range pending {
			ok, err := notify(ctx, tx, n)
			if err != nil {
				return err
			}
			if ok {
				made++
			}
		}
		rows, err = tx.Query(ctx, `
			SELECT a.uuid, a.user_uuid, a.message, a.expires_at FROM activities a
			WHERE a.user_uuid = ANY($1) AND a.expires_at > now() AND a.message LIKE '%@%'
			ORDER BY a.created_at`, users)
		if err != nil {
			return err
		}
		type mention struct {
			a     Activity
			actor uuid.UUID
		}
		var mentions []mention
		for rows.Next() {
			var m mention
			if err := rows.Scan(&m.a.UUID, &m.actor, &m.a.Message, &m.a.ExpiresAt); err != nil {
				return err
			}
			mentions = append(mentions, m)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for _, m := range mentions {
			n, err := notifyMentions(ctx, tx, m.actor, m.a)
			if err != nil {
				return err
			}
			made += n
		}
		return nil
	})
	return made, wrap("backfill notifications", err, nil)
}
