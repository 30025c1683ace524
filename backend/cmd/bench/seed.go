package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cruddur/cruddur-go/backend/internal/auth"
	"github.com/cruddur/cruddur-go/backend/internal/database"
)

// Sizes is the data set: how many of each.
type Sizes struct {
	Users, Cruds, Replies, Likes, Follows, Notifications int
}

// scaled is s with cruds set to n and the rest in proportion.
func (s Sizes) scaled(n int) Sizes {
	f := float64(n) / float64(s.Cruds)
	return Sizes{Users: max(100, int(float64(s.Users)*f)), Cruds: n, Replies: int(float64(s.Replies) * f),
		Likes: int(float64(s.Likes) * f), Follows: int(float64(s.Follows) * f), Notifications: s.Notifications}
}

// hashtags are what the cruds talk about; search looks for them.
var hashtags = []string{"100DaysOfCloud", "AWS", "Docker", "Go", "DynamoDB", "Postgres", "Serverless", "Kubernetes", "Terraform", "Linux"}

var ttls = []time.Duration{30 * 24 * time.Hour, 30 * 24 * time.Hour, 7 * 24 * time.Hour, 7 * 24 * time.Hour, 3 * 24 * time.Hour, 24 * time.Hour, 12 * time.Hour, 3 * time.Hour, time.Hour}

// dataset is what the load needs to know of a seeded database.
type dataset struct {
	url     string
	sizes   Sizes
	handles []string    // users to read feeds of
	live    []uuid.UUID // recent live cruds, to reply to and like
}

// seedDatabase makes database name on the server with sizes, reusing it
// when an earlier run seeded the same sizes.
func seedDatabase(ctx context.Context, adminURL, name string, sizes Sizes) (*dataset, error) {
	admin, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return nil, err
	}
	defer admin.Close(ctx)
	url := withDatabase(adminURL, name)
	var exists bool
	admin.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists)
	if exists {
		pool, err := pgxpool.New(ctx, url)
		if err == nil {
			var seeded Sizes
			err = pool.QueryRow(ctx, `SELECT users, cruds, replies, likes, follows FROM bench_meta`).
				Scan(&seeded.Users, &seeded.Cruds, &seeded.Replies, &seeded.Likes, &seeded.Follows)
			pool.Close()
			seeded.Notifications = sizes.Notifications
			if err == nil && seeded == sizes {
				fmt.Printf("seed: reusing %s (%d cruds)\n", name, sizes.Cruds)
				if err := resetWrites(ctx, url); err != nil {
					return nil, err
				}
				return describe(ctx, url, sizes)
			}
		}
		if _, err := admin.Exec(ctx, `DROP DATABASE `+pgx.Identifier{name}.Sanitize()+` WITH (FORCE)`); err != nil {
			return nil, err
		}
	}
	if _, err := admin.Exec(ctx, `CREATE DATABASE `+pgx.Identifier{name}.Sanitize()); err != nil {
		return nil, err
	}
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	if _, err := database.Migrate(ctx, pool); err != nil {
		return nil, err
	}
	if err := fill(ctx, pool, sizes); err != nil {
		return nil, fmt.Errorf("seed %s: %w", name, err)
	}
	return describe(ctx, url, sizes)
}

// fill writes the data set with COPY: users, cruds (with their counters
// already counted), replies, likes and follows.
func fill(ctx context.Context, pool *pgxpool.Pool, sizes Sizes) error {
	rng := rand.New(rand.NewPCG(1, 2))
	now := time.Now()
	hash, err := auth.HashPassword("bench-password")
	if err != nil {
		return err
	}
	users := make([]uuid.UUID, sizes.Users)
	for i := range users {
		users[i] = uuid.New()
	}
	type crud struct {
		id               uuid.UUID
		user             int
		created, expires time.Time
		likes, replies   int
	}
	cruds := make([]crud, sizes.Cruds)
	for i := range cruds {
		created := now.Add(-time.Duration(rng.Int64N(int64(30 * 24 * time.Hour))))
		cruds[i] = crud{id: uuid.New(), user: rng.IntN(len(users)), created: created, expires: created.Add(ttls[rng.IntN(len(ttls))])}
	}
	type reply struct {
		id, parent       uuid.UUID
		user             int
		created, expires time.Time
	}
	replies := make([]reply, sizes.Replies)
	for i := range replies {
		p := &cruds[rng.IntN(len(cruds))]
		end := p.expires
		if now.Before(end) {
			end = now
		}
		created := p.created.Add(time.Duration(rng.Int64N(int64(max(end.Sub(p.created), time.Second)))))
		if !created.Before(p.expires) {
			created = p.expires.Add(-time.Millisecond)
		}
		replies[i] = reply{id: uuid.New(), parent: p.id, user: rng.IntN(len(users)), created: created, expires: p.expires}
		p.replies++
	}
	likes := make(map[uint64]struct{}, sizes.Likes)
	for len(likes) < sizes.Likes {
		c, u := rng.IntN(len(cruds)), rng.IntN(len(users))
		key := uint64(c)*uint64(len(users)) + uint64(u)
		if _, dup := likes[key]; !dup {
			likes[key] = struct{}{}
			cruds[c].likes++
		}
	}

	conn, err := pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	copyRows := func(table string, cols []string, n int, row func(i int) []any) error {
		p := newProgress(table, n)
		_, err := conn.Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromFunc(func() ([]any, error) {
			if p.done == n {
				return nil, nil
			}
			r := row(p.done)
			p.tick()
			return r, nil
		}))
		p.finish()
		return err
	}
	if err := copyRows("users", []string{"uuid", "handle", "email", "display_name", "password_hash"}, len(users), func(i int) []any {
		return []any{users[i], fmt.Sprintf("user%d", i), fmt.Sprintf("user%d@bench.example", i), fmt.Sprintf("User %d", i), hash}
	}); err != nil {
		return err
	}
	if err := copyRows("activities", []string{"uuid", "user_uuid", "message", "created_at", "expires_at", "likes_count", "replies_count"}, len(cruds), func(i int) []any {
		c := cruds[i]
		msg := fmt.Sprintf("Crud %d: learning the cloud one day at a time #%s #%s", i, hashtags[i%len(hashtags)], hashtags[(i/7)%len(hashtags)])
		return []any{c.id, users[c.user], msg, c.created, c.expires, c.likes, c.replies}
	}); err != nil {
		return err
	}
	if err := copyRows("activities", []string{"uuid", "user_uuid", "message", "reply_to_activity_uuid", "created_at", "expires_at"}, len(replies), func(i int) []any {
		r := replies[i]
		return []any{r.id, users[r.user], fmt.Sprintf("Reply %d: agreed!", i), r.parent, r.created, r.expires}
	}); err != nil {
		return err
	}
	keys := make([]uint64, 0, len(likes))
	for k := range likes {
		keys = append(keys, k)
	}
	if err := copyRows("likes", []string{"activity_uuid", "user_uuid"}, len(keys), func(i int) []any {
		k := keys[i]
		return []any{cruds[k/uint64(len(users))].id, users[k%uint64(len(users))]}
	}); err != nil {
		return err
	}
	follows := map[[2]int]struct{}{}
	for len(follows) < min(sizes.Follows, len(users)*(len(users)-1)) {
		a, b := rng.IntN(len(users)), rng.IntN(len(users))
		if a != b {
			follows[[2]int{a, b}] = struct{}{}
		}
	}
	pairs := make([][2]int, 0, len(follows))
	for p := range follows {
		pairs = append(pairs, p)
	}
	if err := copyRows("follows", []string{"follower_uuid", "followee_uuid"}, len(pairs), func(i int) []any {
		return []any{users[pairs[i][0]], users[pairs[i][1]]}
	}); err != nil {
		return err
	}
	fmt.Println("seed: analyze")
	_, err = conn.Exec(ctx, `ANALYZE;
		CREATE TABLE bench_meta (users int, cruds int, replies int, likes int, follows int, seeded_at timestamptz DEFAULT now());`)
	if err != nil {
		return err
	}
	_, err = conn.Exec(ctx, `INSERT INTO bench_meta (users, cruds, replies, likes, follows) VALUES ($1, $2, $3, $4, $5)`,
		sizes.Users, sizes.Cruds, sizes.Replies, sizes.Likes, sizes.Follows)
	return err
}

// resetWrites removes what earlier runs' write scenarios added, so every
// run starts from the seeded data set.
func resetWrites(ctx context.Context, url string) error {
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return err
	}
	defer pool.Close()
	tag, err := pool.Exec(ctx, `DELETE FROM activities WHERE created_at > (SELECT seeded_at FROM bench_meta)`)
	if err != nil {
		return fmt.Errorf("reset earlier runs' writes: %w", err)
	}
	if tag.RowsAffected() > 0 {
		fmt.Printf("seed: removed %d cruds and replies written by earlier runs\n", tag.RowsAffected())
		// Their counters on seeded cruds go back to the seeded rows' counts.
		if _, err := pool.Exec(ctx, `UPDATE activities a SET replies_count = r.n FROM (
				SELECT reply_to_activity_uuid AS uuid, count(*) AS n FROM activities
				WHERE reply_to_activity_uuid IS NOT NULL GROUP BY 1) r
			WHERE a.uuid = r.uuid AND a.replies_count <> r.n;
			DELETE FROM notification_outbox`); err != nil {
			return err
		}
		if _, err := pool.Exec(ctx, `VACUUM ANALYZE activities`); err != nil {
			return err
		}
	}
	return nil
}

// describe reads what the load needs from a seeded database.
func describe(ctx context.Context, url string, sizes Sizes) (*dataset, error) {
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	d := &dataset{url: url, sizes: sizes}
	rows, _ := pool.Query(ctx, `SELECT handle FROM users ORDER BY handle LIMIT 1000`)
	if d.handles, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return nil, err
	}
	rows, _ = pool.Query(ctx, `SELECT uuid FROM activities WHERE reply_to_activity_uuid IS NULL AND expires_at > now() + interval '1 day' ORDER BY created_at DESC LIMIT 1000`)
	if d.live, err = pgx.CollectRows(rows, pgx.RowTo[uuid.UUID]); err != nil {
		return nil, err
	}
	return d, nil
}

// progress prints rows done, the rate and an ETA about once a second.
type progress struct {
	table       string
	done, total int
	start, last time.Time
}

func newProgress(table string, total int) *progress {
	now := time.Now()
	return &progress{table: table, total: total, start: now, last: now}
}

func (p *progress) tick() {
	p.done++
	if p.done%4096 == 0 && time.Since(p.last) > time.Second {
		p.last = time.Now()
		rate := float64(p.done) / time.Since(p.start).Seconds()
		eta := time.Duration(float64(p.total-p.done) / rate * float64(time.Second))
		fmt.Printf("seed: %-10s %9d/%d  %8.0f rows/s  ETA %s\n", p.table, p.done, p.total, rate, eta.Round(time.Second))
	}
}

func (p *progress) finish() {
	d := time.Since(p.start)
	fmt.Printf("seed: %-10s %9d rows in %s (%.0f rows/s)\n", p.table, p.done, d.Round(100*time.Millisecond), float64(p.done)/max(d.Seconds(), 0.001))
}
