package store

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cruddur/cruddur-go/backend/internal/database"
	"github.com/cruddur/cruddur-go/backend/testenv"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

func TestMigrate_IsIdempotent(t *testing.T) {
	t.Parallel()
	pool := testenv.Pool(t)
	n, err := database.Migrate(context.Background(), pool)
	if err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("second migrate applied %d migrations, want 0", n)
	}
	all, _ := database.Migrations()
	var recorded int
	pool.QueryRow(context.Background(), `SELECT count(*) FROM schema_migrations`).Scan(&recorded)
	if recorded != len(all) {
		t.Fatalf("schema_migrations has %d rows, want %d", recorded, len(all))
	}
}

func TestSeed_IsIdempotentAndLive(t *testing.T) {
	t.Parallel()
	pool := testenv.Pool(t)
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		if err := database.Seed(ctx, pool); err != nil {
			t.Fatalf("seed run %d: %v", i+1, err)
		}
	}
	var users, cruds, badCounters int
	pool.QueryRow(ctx, `SELECT count(*) FROM users`).Scan(&users)
	pool.QueryRow(ctx, `SELECT count(*) FROM activities WHERE reply_to_activity_uuid IS NULL AND expires_at > now()`).Scan(&cruds)
	pool.QueryRow(ctx, `SELECT count(*) FROM activities a WHERE likes_count <> (SELECT count(*) FROM likes l WHERE l.activity_uuid = a.uuid)`).Scan(&badCounters)
	if users != 4 || cruds != 10 || badCounters != 0 {
		t.Fatalf("after two seeds: %d users, %d live cruds, %d wrong like counters; want 4, 10, 0", users, cruds, badCounters)
	}
	s := New(pool)
	feed, err := s.HomeFeed(ctx, uuid.Nil, Page{Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	if len(feed) != 10 || feed[0].Handle != "andrewbrown" || len(feed[0].Replies) != 2 {
		t.Fatalf("home feed: %d cruds, first by %q with %d replies; want 10, andrewbrown, 2", len(feed), feed[0].Handle, len(feed[0].Replies))
	}
}

// The feeds must stay index scans as the table grows: over 100k rows none
// may scan activities sequentially.
func TestFeedQueries_UseIndexesAt100kRows(t *testing.T) {
	t.Parallel()
	pool := testenv.Pool(t)
	ctx := context.Background()
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := pool.Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	exec(`INSERT INTO users (uuid, handle, email, display_name, password_hash)
		SELECT gen_random_uuid(), 'user' || i, 'user' || i || '@example.com', 'User ' || i, 'x'
		FROM generate_series(1, 1000) i`)
	exec(`WITH u AS (SELECT array_agg(uuid) AS ids FROM users)
		INSERT INTO activities (uuid, user_uuid, message, created_at, expires_at)
		SELECT gen_random_uuid(), u.ids[1 + i % 1000],
		       'crud number ' || i || CASE WHEN i % 1000 = 0 THEN ' #RareTag' ELSE ' about the cloud' END,
		       now() - (i || ' seconds')::interval, now() - (i || ' seconds')::interval + interval '7 days'
		FROM generate_series(1, 100000) i, u`)
	// Replies, as real data has: they make the feeds' partial indexes the small ones.
	exec(`INSERT INTO activities (uuid, user_uuid, message, reply_to_activity_uuid, created_at, expires_at)
		SELECT gen_random_uuid(), p.user_uuid, 'a reply about the cloud', p.uuid, p.created_at + interval '1 second', p.expires_at
		FROM (SELECT * FROM activities ORDER BY created_at DESC LIMIT 50000) p`)
	if drop := os.Getenv("CRUDDUR_TEST_DROP_INDEX"); drop != "" { // to see this test fail
		exec(`DROP INDEX ` + drop)
	}
	exec(`ANALYZE`)
	var someUser uuid.UUID
	pool.QueryRow(ctx, `SELECT uuid FROM users LIMIT 1`).Scan(&someUser)
	far, maxID := Page{}.keyset()

	for _, q := range []struct {
		name, index string
		sql         string
		args        []any
	}{
		{"home feed", "activities_home_idx", HomeFeedSQL, []any{uuid.Nil, far, maxID, 21}},
		{"home feed page 2", "activities_home_idx", HomeFeedSQL, []any{uuid.Nil, time.Now().Add(-time.Hour), maxID, 21}},
		{"user feed", "activities_user_idx", UserFeedSQL, []any{uuid.Nil, far, maxID, 21, someUser}},
		// Search: the GIN index for rare terms, newest first for common ones; PostgreSQL picks.
		{"search for a rare tag", "", SearchSQL, []any{uuid.Nil, far, maxID, 21, "#RareTag"}},
		{"search for a common word", "", SearchSQL, []any{uuid.Nil, far, maxID, 21, "cloud"}},
		{"replies", "activities_replies_idx", RepliesSQL, []any{uuid.Nil, []uuid.UUID{someUser}}},
		{"activity", "activities_pkey", activitySQL, []any{uuid.Nil, someUser}},
	} {
		plan := explain(t, pool, q.sql, q.args...)
		if seqScans(plan, "activities") {
			t.Errorf("%s scans activities sequentially:\n%s", q.name, plan)
		}
		if !strings.Contains(plan, `"Index Name": "`+q.index) {
			t.Errorf("%s does not use %s:\n%s", q.name, q.index, plan)
		}
	}
}

func explain(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) string {
	t.Helper()
	var plan []byte
	if err := pool.QueryRow(context.Background(), "EXPLAIN (FORMAT JSON) "+sql, args...).Scan(&plan); err != nil {
		t.Fatalf("explain: %v", err)
	}
	return string(plan)
}

// seqScans reports whether a JSON plan has a Seq Scan node on relation.
func seqScans(plan, relation string) bool {
	var nodes []map[string]any
	if err := json.Unmarshal([]byte(plan), &nodes); err != nil {
		return true
	}
	var walk func(n map[string]any) bool
	walk = func(n map[string]any) bool {
		if n["Node Type"] == "Seq Scan" && n["Relation Name"] == relation {
			return true
		}
		children, _ := n["Plans"].([]any)
		for _, c := range children {
			if m, ok := c.(map[string]any); ok && walk(m) {
				return true
			}
		}
		return false
	}
	for _, n := range nodes {
		if p, ok := n["Plan"].(map[string]any); ok && walk(p) {
			return true
		}
	}
	return false
}

// Trending hashtags are counted at most once per TTL; after it, afresh.
func TestTrendingHashtags_AreReusedForTheirTTL(t *testing.T) {
	t.Parallel()
	pool := testenv.Pool(t)
	ctx := context.Background()
	if err := database.Seed(ctx, pool); err != nil {
		t.Fatal(err)
	}
	s := New(pool)
	s.SetTrendingTTL(300 * time.Millisecond)
	first, err := s.TrendingHashtags(ctx, 5)
	if err != nil || len(first) == 0 || first[0].Tag != "#100DaysOfCloud" {
		t.Fatalf("%+v %v", first, err)
	}
	var andrew uuid.UUID
	pool.QueryRow(ctx, `SELECT uuid FROM users WHERE handle = 'andrewbrown'`).Scan(&andrew)
	for i := 0; i < 5; i++ {
		if _, err := s.CreateActivity(ctx, andrew, "#Fresh", time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	if again, _ := s.TrendingHashtags(ctx, 5); again[0].Tag != "#100DaysOfCloud" {
		t.Fatalf("recounted within the TTL: %+v", again)
	}
	time.Sleep(350 * time.Millisecond)
	if later, _ := s.TrendingHashtags(ctx, 5); later[0].Tag != "#Fresh" || later[0].Count != 5 {
		t.Fatalf("not recounted after the TTL: %+v", later)
	}
}
