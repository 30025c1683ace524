package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cruddur/cruddur-go/backend/internal/store"
)

// Result is one scenario at one concurrency.
type Result struct {
	Scenario    string  `json:"scenario"`
	Concurrency int     `json:"concurrency"`
	Requests    int     `json:"requests"`
	RPS         float64 `json:"requests_per_second"`
	P50         float64 `json:"p50_ms"`
	P99         float64 `json:"p99_ms"`
	P999        float64 `json:"p999_ms"`
	Errors      int     `json:"errors"`
	CeilingRPS  float64 `json:"ceiling_requests_per_second,omitempty"`
	Ratio       float64 `json:"api_to_ceiling,omitempty"`
	FirstError  string  `json:"first_error,omitempty"`
}

// worker is one simulated user: a signed-in token and its own randomness.
type worker struct {
	token string
	user  uuid.UUID
	rng   *rand.Rand
}

// request makes the next request of a scenario for a worker.
type request func(w *worker) *http.Request

// drive runs a scenario with c workers for d and measures it.
func drive(ctx context.Context, client *http.Client, name string, c int, d time.Duration, workers []*worker, next request) Result {
	var mu sync.Mutex
	var all []time.Duration
	var errors atomic.Int64
	var firstErr atomic.Value
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for i := 0; i < c; i++ {
		w := workers[i%len(workers)]
		wg.Go(func() {
			local := make([]time.Duration, 0, 4096)
			for time.Now().Before(deadline) && ctx.Err() == nil {
				req := next(w)
				start := time.Now()
				resp, err := client.Do(req.WithContext(ctx))
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode >= 400 {
						err = fmt.Errorf("%s %s: %s", req.Method, req.URL.Path, resp.Status)
					}
				}
				local = append(local, time.Since(start))
				if err != nil {
					errors.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
				}
			}
			mu.Lock()
			all = append(all, local...)
			mu.Unlock()
		})
	}
	wg.Wait()
	r := summarize(name, c, d, all)
	r.Errors = int(errors.Load())
	if e, ok := firstErr.Load().(string); ok {
		r.FirstError = e
	}
	return r
}

func summarize(name string, c int, d time.Duration, lat []time.Duration) Result {
	slices.Sort(lat)
	pct := func(p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	return Result{Scenario: name, Concurrency: c, Requests: len(lat), RPS: float64(len(lat)) / d.Seconds(),
		P50: pct(0.50), P99: pct(0.99), P999: pct(0.999)}
}

// ceiling runs the SQL an API feed runs (the feed query, then its replies)
// straight on PostgreSQL at concurrency c for d: what the API could do if
// HTTP, auth and JSON cost nothing.
func ceiling(ctx context.Context, url string, c int, d time.Duration, workers []*worker, authors []uuid.UUID, userFeed bool) (float64, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return 0, err
	}
	cfg.MaxConns = int32(c)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return 0, err
	}
	defer pool.Close()
	at, id := store.FirstPage()
	var n atomic.Int64
	var firstErr error
	var once sync.Once
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for i := 0; i < c; i++ {
		w := workers[i%len(workers)]
		wg.Go(func() {
			for time.Now().Before(deadline) {
				sql, args := store.HomeFeedSQL, []any{w.user, at, id, 21}
				if userFeed {
					sql, args = store.UserFeedSQL, []any{w.user, at, id, 21, authors[w.rng.IntN(len(authors))]}
				}
				rows, err := pool.Query(ctx, sql, args...)
				var parents []uuid.UUID
				if err == nil {
					for rows.Next() {
						vals, _ := rows.Values()
						if u, ok := vals[0].([16]byte); ok {
							parents = append(parents, u)
						}
					}
					rows.Close()
					err = rows.Err()
				}
				if err == nil {
					rows, err = pool.Query(ctx, store.RepliesSQL, w.user, parents)
					if err == nil {
						for rows.Next() {
						}
						rows.Close()
						err = rows.Err()
					}
				}
				if err != nil {
					once.Do(func() { firstErr = err })
					return
				}
				n.Add(1)
			}
		})
	}
	wg.Wait()
	return float64(n.Load()) / d.Seconds(), firstErr
}

func jsonBody(s string) io.Reader { return bytes.NewReader([]byte(s)) }
