package store

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// TrendingTTL is how long trending hashtags are reused: every page's
// sidebar shows them, counting them takes tens of milliseconds at a
// million cruds, and a minute-old list is as good as a fresh one.
const TrendingTTL = time.Minute

// sidebarCache holds the sidebar's last counts (trending hashtags, popular
// users); the mutex also makes concurrent misses wait for one query.
type sidebarCache struct {
	mu    sync.Mutex
	ttl   time.Duration
	at    time.Time
	limit int
	tags  []Hashtag
	// popular is the candidates for suggested users, counted at popularAt.
	popular   []uuid.UUID
	popularAt time.Time
}

// SetTrendingTTL changes how long trending hashtags and popular users are
// reused (0: never).
func (s *Storage) SetTrendingTTL(d time.Duration) {
	s.sidebar.mu.Lock()
	defer s.sidebar.mu.Unlock()
	s.sidebar.ttl = d
}

// Hashtag is a tag and how many live cruds use it.
type Hashtag struct {
	Tag   string // as most cruds spell it, with the #
	Count int
}

// trendingSQL counts hashtags over the newest live cruds of the last week.
// The inner LIMIT bounds the work however large the table grows; it walks
// activities_home_idx.
const trendingSQL = `
	WITH recent AS (
		SELECT message FROM activities
		WHERE reply_to_activity_uuid IS NULL AND expires_at > now() AND created_at > now() - interval '7 days'
		ORDER BY created_at DESC, uuid DESC
		LIMIT 5000)
	SELECT '#' || mode() WITHIN GROUP (ORDER BY m[1]), count(*)
	FROM recent, regexp_matches(recent.message, '#([A-Za-z0-9_]{1,50})', 'g') AS m
	GROUP BY lower(m[1])
	ORDER BY count(*) DESC, lower(m[1])
	LIMIT $1`

// TrendingHashtags returns the most used hashtags of the last week, as
// counted at most TrendingTTL ago.
func (s *Storage) TrendingHashtags(ctx context.Context, limit int) ([]Hashtag, error) {
	c := &s.sidebar
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.limit == limit && time.Since(c.at) < c.ttl {
		return slices.Clone(c.tags), nil
	}
	tags, err := s.countHashtags(ctx, limit)
	if err != nil {
		return nil, err
	}
	c.at, c.limit, c.tags = time.Now(), limit, tags
	return slices.Clone(tags), nil
}

func (s *Storage) countHashtags(ctx context.Context, limit int) ([]Hashtag, error) {
	rows, err := s.pool.Query(ctx, trendingSQL, limit)
	if err != nil {
		return nil, wrap("trending hashtags", err, nil)
	}
	defer rows.Close()
	out := []Hashtag{}
	for rows.Next() {
		var h Hashtag
		if err := rows.Scan(&h.Tag, &h.Count); err != nil {
			return nil, wrap("trending hashtags", err, nil)
		}
		out = append(out, h)
	}
	return out, wrap("trending hashtags", rows.Err(), nil)
}

// popularSQL lists candidates to suggest: the most followed users, then the
// newest, a hundred in all. It groups every follow, so it runs at most once
// per TrendingTTL (see suggestedCache).
const popularSQL = `
	WITH popular AS (
		SELECT followee_uuid AS uuid, count(*) AS followers FROM follows
		GROUP BY followee_uuid ORDER BY followers DESC LIMIT 100)
	SELECT uuid FROM (
		SELECT uuid, followers AS rank FROM popular
		UNION ALL
		(SELECT u.uuid, -1 FROM users u WHERE u.uuid NOT IN (SELECT uuid FROM popular) ORDER BY u.created_at DESC LIMIT 100)
	) c ORDER BY rank DESC LIMIT 100`

// suggestedSQL keeps the candidates ($2, in order) that the viewer ($1) is
// not and does not follow: a hundred key lookups at most.
const suggestedSQL = `
	SELECT u.uuid, u.handle, u.display_name
	FROM unnest($2::uuid[]) WITH ORDINALITY AS c (uuid, n)
	JOIN users u ON u.uuid = c.uuid
	WHERE u.uuid <> $1
	  AND NOT EXISTS (SELECT 1 FROM follows f WHERE f.follower_uuid = $1 AND f.followee_uuid = u.uuid)
	ORDER BY c.n
	LIMIT $3`

// SuggestedUsers returns users for viewer (uuid.Nil when signed out) to
// follow: the most followed they do not follow yet, then the newest.
func (s *Storage) SuggestedUsers(ctx context.Context, viewer uuid.UUID, limit int) ([]User, error) {
	candidates, err := s.popularUsers(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, suggestedSQL, viewer, candidates, limit)
	if err != nil {
		return nil, wrap("suggested users", err, nil)
	}
	defer rows.Close()
	out := []User{}
	for rows.Next() {
		var u User
		if err := rows.Scan(&u.UUID, &u.Handle, &u.DisplayName); err != nil {
			return nil, wrap("suggested users", err, nil)
		}
		out = append(out, u)
	}
	return out, wrap("suggested users", rows.Err(), nil)
}

// popularUsers is popularSQL's answer, reused for the same TTL as trending.
func (s *Storage) popularUsers(ctx context.Context) ([]uuid.UUID, error) {
	c := &s.sidebar
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.popular != nil && time.Since(c.popularAt) < c.ttl {
		return c.popular, nil
	}
	rows, err := s.pool.Query(ctx, popularSQL)
	if err != nil {
		return nil, wrap("popular users", err, nil)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
	if err != nil {
		return nil, wrap("popular users", err, nil)
	}
	c.popular, c.popularAt = ids, time.Now()
	return ids, nil
}
