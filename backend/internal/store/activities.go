package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Activity is a crud or, with ReplyTo set, a reply, joined with its author.
type Activity struct {
	UUID         uuid.UUID
	UserUUID     uuid.UUID
	Handle       string
	DisplayName  string
	Message      string
	ReplyTo      *uuid.UUID
	LikesCount   int
	RepliesCount int
	RepostsCount int
	CreatedAt    time.Time
	ExpiresAt    time.Time
	// Liked and Reposted are the viewer's own like and repost.
	Liked    bool
	Reposted bool
	Replies  []Activity
}

// Cursor is a position in a newest-first list: the last item seen.
type Cursor struct {
	CreatedAt time.Time
	UUID      uuid.UUID
}

// Page asks for up to Limit items after Cursor (nil for the first page).
type Page struct {
	Limit  int
	Cursor *Cursor
}

// keyset returns the cursor bound for the first page too: a row compare on
// constants keeps one plan that walks the (created_at, uuid) index.
func (p Page) keyset() (time.Time, uuid.UUID) {
	if p.Cursor == nil {
		return FirstPage()
	}
	return p.Cursor.CreatedAt, p.Cursor.UUID
}

// FirstPage is the keyset bound before the newest item.
func FirstPage() (time.Time, uuid.UUID) {
	return time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), uuid.Max
}

// activitySelect is shared by every list; $1 is the viewer (uuid.Nil when
// signed out).
const activitySelect = `
	SELECT a.uuid, a.user_uuid, u.handle, u.display_name, a.message, a.reply_to_activity_uuid,
	       a.likes_count, a.replies_count, a.reposts_count, a.created_at, a.expires_at,
	       EXISTS (SELECT 1 FROM likes l WHERE l.activity_uuid = a.uuid AND l.user_uuid = $1),
	       EXISTS (SELECT 1 FROM reposts r WHERE r.activity_uuid = a.uuid AND r.user_uuid = $1)
	FROM activities a JOIN users u ON u.uuid = a.user_uuid`

// The feeds. Each is served by one index (see 0001_init.sql); store_test
// runs EXPLAIN on them over 100k rows, and the benchmark runs them straight
// on PostgreSQL as the ceiling for the API. Arguments: $1 viewer, $2 and
// $3 the keyset (FirstPage for the first page), $4 limit, $5 user or term.
const (
	HomeFeedSQL = activitySelect + `
	WHERE a.reply_to_activity_uuid IS NULL AND a.expires_at > now()
	  AND (a.created_at, a.uuid) < ($2, $3)
	ORDER BY a.created_at DESC, a.uuid DESC
	LIMIT $4`

	UserFeedSQL = activitySelect + `
	WHERE a.user_uuid = $5 AND a.reply_to_activity_uuid IS NULL AND a.expires_at > now()
	  AND (a.created_at, a.uuid) < ($2, $3)
	ORDER BY a.created_at DESC, a.uuid DESC
	LIMIT $4`

	SearchSQL = activitySelect + `
	WHERE a.search @@ websearch_to_tsquery('english', $5) AND a.expires_at > now()
	  AND (a.created_at, a.uuid) < ($2, $3)
	ORDER BY a.created_at DESC, a.uuid DESC
	LIMIT $4`

	RepliesSQL = activitySelect + `
	WHERE a.reply_to_activity_uuid = ANY($2)
	ORDER BY a.reply_to_activity_uuid, a.created_at, a.uuid`

	activitySQL = activitySelect + `
	WHERE a.uuid = $2 AND a.expires_at > now()`
)

// HomeFeed returns live cruds, newest first, with their replies.
func (s *Storage) HomeFeed(ctx context.Context, viewer uuid.UUID, page Page) ([]Activity, error) {
	at, id := page.keyset()
	return s.listWithReplies(ctx, "home feed", viewer, HomeFeedSQL, viewer, at, id, page.Limit)
}

// UserFeed returns one user's live cruds, newest first, with their replies.
func (s *Storage) UserFeed(ctx context.Context, viewer uuid.UUID, handle string, page Page) ([]Activity, error) {
	var user uuid.UUID
	if err := s.pool.QueryRow(ctx, `SELECT uuid FROM users WHERE handle = $1`, handle).Scan(&user); err != nil {
		return nil, wrap("user feed", err, ErrUserNotFound)
	}
	at, id := page.keyset()
	return s.listWithReplies(ctx, "user feed", viewer, UserFeedSQL, viewer, at, id, page.Limit, user)
}

// Search returns live cruds and replies matching term (web-search syntax;
// "#tag" finds the hashtag), newest first.
func (s *Storage) Search(ctx context.Context, viewer uuid.UUID, term string, page Page) ([]Activity, error) {
	at, id := page.keyset()
	// An unnamed statement is planned with its term every time: a cached
	// generic plan cannot tell a rare term (GIN index) from a common one
	// (newest first), and picks badly for one of them.
	rows, err := s.pool.Query(ctx, SearchSQL, pgx.QueryExecModeExec, viewer, at, id, page.Limit, term)
	if err != nil {
		return nil, wrap("search", err, ErrActivityNotFound)
	}
	list, err := collectActivities(rows)
	return list, wrap("search", err, ErrActivityNotFound)
}

// ActivityByUUID returns a live crud or reply; a crud comes with its replies.
func (s *Storage) ActivityByUUID(ctx context.Context, viewer, id uuid.UUID) (Activity, error) {
	list, err := s.listWithReplies(ctx, "activity", viewer, activitySQL, viewer, id)
	if err != nil {
		return Activity{}, err
	}
	if len(list) == 0 {
		return Activity{}, ErrActivityNotFound
	}
	return list[0], nil
}

// listWithReplies runs a list query, then fetches the replies of all its
// cruds in one more query.
func (s *Storage) listWithReplies(ctx context.Context, op string, viewer uuid.UUID, sql string, args ...any) ([]Activity, error) {
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, wrap(op, err, ErrActivityNotFound)
	}
	list, err := collectActivities(rows)
	if err != nil {
		return nil, wrap(op, err, ErrActivityNotFound)
	}
	var parents []uuid.UUID
	index := map[uuid.UUID]int{}
	for i := range list {
		list[i].Replies = []Activity{}
		if list[i].ReplyTo == nil {
			parents = append(parents, list[i].UUID)
			index[list[i].UUID] = i
		}
	}
	if len(parents) == 0 {
		return list, nil
	}
	rows, err = s.pool.Query(ctx, RepliesSQL, viewer, parents)
	if err != nil {
		return nil, wrap(op+" replies", err, ErrActivityNotFound)
	}
	replies, err := collectActivities(rows)
	if err != nil {
		return nil, wrap(op+" replies", err, ErrActivityNotFound)
	}
	for _, r := range replies {
		i := index[*r.ReplyTo]
		list[i].Replies = append(list[i].Replies, r)
	}
	return list, nil
}

func collectActivities(rows pgx.Rows) ([]Activity, error) {
	list := []Activity{}
	for rows.Next() {
		var a Activity
		if err := rows.Scan(&a.UUID, &a.UserUUID, &a.Handle, &a.DisplayName, &a.Message, &a.ReplyTo,
			&a.LikesCount, &a.RepliesCount, &a.RepostsCount, &a.CreatedAt, &a.ExpiresAt,
			&a.Liked, &a.Reposted); err != nil {
			return nil, err
		}
		list = append(list, a)
	}
	return list, rows.Err()
}

// CreateActivity posts a crud by user that lives for ttl, notifying the
// users it mentions.
func (s *Storage) CreateActivity(ctx context.Context, user uuid.UUID, message string, ttl time.Duration) (Activity, error) {
	a := Activity{UUID: uuid.New(), Message: message}
	notified := 0
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			INSERT INTO activities (uuid, user_uuid, message, expires_at)
			VALUES ($1, $2, $3, now() + $4::interval)
			RETURNING expires_at`,
			a.UUID, user, message, fmt.Sprintf("%d seconds", int64(ttl.Seconds()))).Scan(&a.ExpiresAt)
		if err != nil {
			return err
		}
		notified, err = notifyMentions(ctx, tx, user, a)
		return err
	})
	if err != nil {
		return Activity{}, wrap("create activity", err, ErrActivityNotFound)
	}
	if notified > 0 {
		s.nudge()
	}
	return s.ActivityByUUID(ctx, user, a.UUID)
}

// CreateReply replies to a live activity, notifying the crud's author and
// anyone mentioned. A reply to a reply joins the same crud's thread:
// threads are one level deep, as on Cruddur's pages.
func (s *Storage) CreateReply(ctx context.Context, user, parent uuid.UUID, message string) (Activity, error) {
	reply := Activity{UUID: uuid.New(), Message: message}
	notified := 0
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var root, author uuid.UUID
		// FOR UPDATE: the counter below is bumped on this row anyway.
		err := tx.QueryRow(ctx, `
			SELECT p.uuid, p.user_uuid, p.expires_at FROM activities p
			WHERE p.uuid = (SELECT coalesce(c.reply_to_activity_uuid, c.uuid) FROM activities c
			                WHERE c.uuid = $1 AND c.expires_at > now())
			FOR UPDATE`, parent).Scan(&root, &author, &reply.ExpiresAt)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO activities (uuid, user_uuid, message, reply_to_activity_uuid, expires_at)
			VALUES ($1, $2, $3, $4, $5)`, reply.UUID, user, message, root, reply.ExpiresAt); err != nil {
			return err
		}
		if _, err = tx.Exec(ctx, `UPDATE activities SET replies_count = replies_count + 1 WHERE uuid = $1`, root); err != nil {
			return err
		}
		made, err := notify(ctx, tx, pendingNotification{
			recipient: author, actor: user, typ: "reply", target: reply.UUID, subject: reply.UUID,
			activity: &root, message: message, activityEnds: reply.ExpiresAt,
		})
		if made {
			notified++
		}
		if err != nil {
			return err
		}
		n, err := notifyMentions(ctx, tx, user, reply)
		notified += n
		return err
	})
	if err != nil {
		return Activity{}, wrap("create reply", err, ErrActivityNotFound)
	}
	if notified > 0 {
		s.nudge()
	}
	return s.ActivityByUUID(ctx, user, reply.UUID)
}
