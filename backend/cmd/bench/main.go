// Command bench measures Cruddur under load: it seeds a large data set,
// starts the backend and the frontend as their own processes, drives every
// hot path from this process over loopback at several concurrencies, runs
// the feeds' SQL straight on PostgreSQL as the ceiling, and prints a table
// (and bench/results/latest.json). See the README's Performance section.
//
//	go run ./backend/cmd/bench [-cruds 1000000] [-duration 5s] ...   (make bench)
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cruddur/cruddur-go/backend/internal/auth"
	"github.com/cruddur/cruddur-go/backend/internal/config"
	"github.com/cruddur/cruddur-go/backend/internal/dynamo"
	"github.com/cruddur/cruddur-go/backend/testenv"
)

func main() {
	var o options
	flag.IntVar(&o.sizes.Users, "users", 10_000, "users")
	flag.IntVar(&o.sizes.Cruds, "cruds", 1_000_000, "cruds over the last 30 days (some expired)")
	flag.IntVar(&o.sizes.Replies, "replies", 500_000, "replies")
	flag.IntVar(&o.sizes.Likes, "likes", 2_000_000, "likes")
	flag.IntVar(&o.sizes.Follows, "follows", 100_000, "follows")
	flag.IntVar(&o.sizes.Notifications, "notifications", 100_000, "notifications in DynamoDB")
	flag.DurationVar(&o.duration, "duration", 5*time.Second, "how long each scenario runs at each concurrency")
	concurrency := flag.String("concurrency", "1,8,32,128", "concurrencies")
	flag.BoolVar(&o.growth, "growth", true, "also measure p50 at 10k and 100k cruds")
	flag.StringVar(&o.only, "scenarios", "", "run only the scenarios whose names contain this")
	flag.BoolVar(&o.pages, "pages", true, "measure the pages in headless Chromium")
	flag.StringVar(&o.out, "out", "bench/results/latest.json", "where to write the JSON results")
	flag.StringVar(&o.dataDir, "data", ".data/bench-postgres", "where the benchmark's PostgreSQL keeps its data (reused between runs)")
	flag.Parse()
	for _, c := range strings.Split(*concurrency, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(c))
		if err != nil || n < 1 {
			fmt.Fprintln(os.Stderr, "bench: -concurrency takes numbers such as 1,8,32,128")
			os.Exit(2)
		}
		o.concurrency = append(o.concurrency, n)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

type options struct {
	sizes       Sizes
	duration    time.Duration
	concurrency []int
	growth      bool
	pages       bool
	out         string
	dataDir     string
	only        string
}

// Report is everything one run measured.
type Report struct {
	Machine Machine          `json:"machine"`
	Sizes   Sizes            `json:"sizes"`
	Results []Result         `json:"results"`
	PeakRSS map[string]int64 `json:"peak_rss_bytes"`
	Pages   []PageResult     `json:"pages,omitempty"`
	Growth  []GrowthResult   `json:"growth,omitempty"`
}

// Machine is where it ran.
type Machine struct {
	CPUs      int    `json:"nproc"`
	MemoryKiB int64  `json:"memory_kib"`
	Go        string `json:"go"`
	Postgres  string `json:"postgres"`
	When      string `json:"when"`
}

// GrowthResult is p50 of the feeds at one data-set size.
type GrowthResult struct {
	Cruds        int     `json:"cruds"`
	HomeP50      float64 `json:"home_p50_ms"`
	UserFeedP50  float64 `json:"user_feed_p50_ms"`
	SearchP50    float64 `json:"search_p50_ms"`
	HomeRequests int     `json:"home_requests"`
}

func run(ctx context.Context, o options) error {
	root := repoRoot()
	dataDir := o.dataDir
	if !filepath.IsAbs(dataDir) {
		dataDir = filepath.Join(root, dataDir)
	}
	pg, err := testenv.RunPostgres(dataDir, 0)
	if err != nil {
		return err
	}
	defer pg.Stop()
	ddb, err := testenv.RunDynalite(0)
	if err != nil {
		return err
	}
	defer ddb.Stop()

	big, err := seedDatabase(ctx, pg.AdminURL, fmt.Sprintf("cruddur_bench_%d", o.sizes.Cruds), o.sizes)
	if err != nil {
		return err
	}
	bins, err := build(root)
	if err != nil {
		return err
	}
	report := Report{Machine: machine(ctx, big.url), Sizes: o.sizes, PeakRSS: map[string]int64{}}

	stack, err := startStack(ctx, bins, big.url, ddb.Endpoint)
	if err != nil {
		return err
	}
	workers, authors, err := prepare(ctx, big, stack, o.sizes.Notifications)
	if err != nil {
		stack.stop()
		return err
	}
	report.Results = scenarios(ctx, o, big, stack, workers, authors)
	report.PeakRSS["backend"], report.PeakRSS["frontend"] = peakRSS(stack.backend), peakRSS(stack.frontend)
	if o.pages {
		report.Pages = append(report.Pages, measurePages(ctx, stack.frontendURL, workers[0].token, fmt.Sprintf("%d cruds", o.sizes.Cruds))...)
	}
	stack.stop()

	if o.growth {
		for _, n := range []int{10_000, 100_000} {
			if n >= o.sizes.Cruds {
				continue
			}
			g, pages, err := growthAt(ctx, o, pg.AdminURL, ddb.Endpoint, bins, o.sizes.scaled(n))
			if err != nil {
				return err
			}
			report.Growth = append(report.Growth, g)
			if n == 10_000 {
				report.Pages = append(report.Pages, pages...)
			}
		}
		report.Growth = append(report.Growth, growthFrom(report.Results, o.sizes.Cruds))
	}
	printReport(report)
	out := o.out
	if !filepath.IsAbs(out) {
		out = filepath.Join(root, out)
	}
	return writeJSON(out, report)
}

// stack is a backend and a frontend, each its own process.
type stack struct {
	backend, frontend       *exec.Cmd
	backendURL, frontendURL string
}

func (s *stack) stop() {
	for _, c := range []*exec.Cmd{s.frontend, s.backend} {
		if c != nil && c.Process != nil {
			c.Process.Signal(syscall.SIGTERM)
			c.Wait()
		}
	}
}

type binaries struct{ backend, frontend string }

// build compiles both servers as they ship (no race detector, trimmed).
func build(root string) (binaries, error) {
	dir, err := os.MkdirTemp("", "cruddur-bench-")
	if err != nil {
		return binaries{}, err
	}
	b := binaries{backend: filepath.Join(dir, "backend"), frontend: filepath.Join(dir, "frontend")}
	for mod, out := range map[string]string{"backend": b.backend, "frontend": b.frontend} {
		cmd := exec.Command("go", "build", "-trimpath", "-o", out, ".")
		cmd.Dir = filepath.Join(root, mod)
		cmd.Env = append(os.Environ(), "GOWORK=off", "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			return b, fmt.Errorf("build %s: %v\n%s", mod, err, out)
		}
	}
	return b, nil
}

func startStack(ctx context.Context, bins binaries, dbURL, ddbEndpoint string) (*stack, error) {
	bp, fp := freePort(), freePort()
	s := &stack{backendURL: "http://127.0.0.1:" + bp, frontendURL: "http://127.0.0.1:" + fp}
	ddbEnv := []string{"DYNAMODB_ENDPOINT=" + ddbEndpoint, "DDB_MESSAGE_TABLE=bench-messages", "DDB_NOTIFICATION_TABLE=bench-notifications"}
	setup := exec.CommandContext(ctx, bins.backend, "migrate")
	setup.Env = append(append(os.Environ(), "DATABASE_URL="+dbURL), ddbEnv...)
	if out, err := setup.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("migrate: %v\n%s", err, out)
	}
	s.backend = exec.Command(bins.backend, "serve")
	s.backend.Env = append(append(os.Environ(), "DATABASE_URL="+dbURL, "PORT="+bp, "LOG_LEVEL=warn"), ddbEnv...)
	s.frontend = exec.Command(bins.frontend, "serve")
	s.frontend.Env = append(os.Environ(), "PORT="+fp, "BACKEND_URL="+s.backendURL, "LOG_LEVEL=warn")
	for _, c := range []*exec.Cmd{s.backend, s.frontend} {
		c.Stderr = os.Stderr
		if err := c.Start(); err != nil {
			s.stop()
			return nil, err
		}
	}
	for _, u := range []string{s.backendURL + "/api/health-check", s.frontendURL + "/health-check"} {
		if err := waitOK(ctx, u); err != nil {
			s.stop()
			return nil, err
		}
	}
	return s, nil
}

// prepare signs in the simulated users (sessions written directly: bcrypt
// is not what is measured) and gives them notifications in DynamoDB.
func prepare(ctx context.Context, d *dataset, s *stack, notifications int) ([]*worker, []uuid.UUID, error) {
	pool, err := pgxpool.New(ctx, d.url)
	if err != nil {
		return nil, nil, err
	}
	defer pool.Close()
	rows, _ := pool.Query(ctx, `SELECT uuid FROM users ORDER BY handle LIMIT 256`)
	users, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
	if err != nil {
		return nil, nil, err
	}
	if _, err := pool.Exec(ctx, `DELETE FROM sessions`); err != nil {
		return nil, nil, err
	}
	workers := make([]*worker, len(users))
	for i, u := range users {
		token, hash, _ := auth.NewToken()
		if _, err := pool.Exec(ctx, `INSERT INTO sessions (token_hash, user_uuid, expires_at) VALUES ($1, $2, now() + interval '1 day')`, hash, u); err != nil {
			return nil, nil, err
		}
		workers[i] = &worker{token: token, user: u, rng: rand.New(rand.NewPCG(uint64(i), 7))}
	}
	rows, _ = pool.Query(ctx, `SELECT uuid FROM users WHERE handle = ANY($1)`, d.handles)
	authors, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
	if err != nil {
		return nil, nil, err
	}

	cfg := config.DynamoDB{Endpoint: s.backendDynamo(), Region: "us-east-1", NotificationTable: "bench-notifications"}
	client, err := dynamo.NewClient(ctx, cfg, nil)
	if err != nil {
		return nil, nil, err
	}
	notes := dynamo.NewNotifications(client, cfg.NotificationTable)
	p := newProgress("notes", notifications)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var putErr error
	next := make(chan int)
	for range 16 {
		wg.Go(func() {
			for i := range next {
				id, _ := uuid.NewV7()
				w := workers[i%len(workers)]
				act := d.live[i%len(d.live)]
				err := notes.Put(ctx, dynamo.Notification{ID: id, Recipient: w.user, Type: dynamo.Types[i%5], ActorUUID: authors[i%len(authors)],
					ActorHandle: "someone", ActorDisplayName: "Someone", SubjectUUID: act, ActivityUUID: &act, Message: "bench notification",
					CreatedAt: time.Now(), ExpiresAt: time.Now().Add(24 * time.Hour)})
				mu.Lock()
				if err != nil && putErr == nil {
					putErr = err
				}
				p.tick()
				mu.Unlock()
			}
		})
	}
	for i := 0; i < notifications; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	p.finish()
	return workers, authors, putErr
}

// scenarios runs every hot path at every concurrency.
func scenarios(ctx context.Context, o options, d *dataset, s *stack, workers []*worker, authors []uuid.UUID) []Result {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 0, IdleConnTimeout: time.Minute}, Timeout: 30 * time.Second}
	api := func(method, path, body string) func(w *worker) *http.Request {
		return func(w *worker) *http.Request {
			var req *http.Request
			if body == "" {
				req, _ = http.NewRequest(method, s.backendURL+path, nil)
			} else {
				req, _ = http.NewRequest(method, s.backendURL+path, jsonBody(body))
				req.Header.Set("Content-Type", "application/json")
			}
			req.Header.Set("Authorization", "Bearer "+w.token)
			return req
		}
	}
	page := func(path string) request {
		return func(w *worker) *http.Request {
			req, _ := http.NewRequest(http.MethodGet, s.frontendURL+path, nil)
			req.Header.Set("Cookie", "cruddur_session="+w.token)
			req.Header.Set("Accept-Encoding", "gzip")
			return req
		}
	}
	userFeed := func(w *worker) *http.Request {
		return api(http.MethodGet, "/api/activities/@"+d.handles[w.rng.IntN(len(d.handles))], "")(w)
	}
	search := func(w *worker) *http.Request {
		return api(http.MethodGet, "/api/activities/search?term="+url.QueryEscape("#"+hashtags[w.rng.IntN(len(hashtags))]), "")(w)
	}
	create := api(http.MethodPost, "/api/activities", `{"message":"Benchmarking Cruddur #bench","ttl":"1-day"}`)
	reply := func(w *worker) *http.Request {
		return api(http.MethodPost, "/api/activities/"+d.live[w.rng.IntN(len(d.live))].String()+"/reply", `{"message":"A benchmark reply"}`)(w)
	}
	home := api(http.MethodGet, "/api/activities/home", "")
	notes := api(http.MethodGet, "/api/activities/notifications", "")
	mixed := func(w *worker) *http.Request {
		switch n := w.rng.IntN(10); {
		case n < 4:
			return home(w)
		case n < 6:
			return userFeed(w)
		case n < 8:
			return notes(w)
		case n < 9:
			return create(w)
		default:
			return reply(w)
		}
	}
	list := []struct {
		name string
		next request
	}{
		{"GET /api/activities/home", home},
		{"GET /api/activities/@{handle}", userFeed},
		{"GET /api/activities/search?term=#tag", search},
		{"GET /api/activities/notifications", notes},
		{"GET /api/notifications/unread_count", api(http.MethodGet, "/api/notifications/unread_count", "")},
		{"POST /api/activities", create},
		{"POST /api/activities/{uuid}/reply", reply},
		{"mixed 80% read / 20% write", mixed},
		{"frontend GET /", page("/")},
		{"frontend GET /notifications", page("/notifications")},
	}
	// Warm the caches (PostgreSQL's, the OS's, the connection pools) first,
	// so the first scenario measured is not also the one that loads them.
	drive(ctx, client, "warm-up", 8, 3*time.Second, workers, mixed)

	var results []Result
	for _, sc := range list {
		if o.only != "" && !strings.Contains(sc.name, o.only) {
			continue
		}
		for _, c := range o.concurrency {
			if ctx.Err() != nil {
				return results
			}
			r := drive(ctx, client, sc.name, c, o.duration, workers, sc.next)
			if sc.name == "GET /api/activities/home" || sc.name == "GET /api/activities/@{handle}" {
				ceil, err := ceiling(ctx, d.url, c, o.duration, workers, authors, sc.name != "GET /api/activities/home")
				if err != nil {
					fmt.Fprintln(os.Stderr, "bench: ceiling:", err)
				}
				r.CeilingRPS, r.Ratio = ceil, r.RPS/max(ceil, 1)
			}
			fmt.Printf("  %-40s c=%-4d %8.0f req/s  p50 %6.2f ms  p99 %7.2f ms  errors %d\n", r.Scenario, r.Concurrency, r.RPS, r.P50, r.P99, r.Errors)
			results = append(results, r)
		}
	}
	return results
}

// growthAt seeds a smaller data set and measures the feeds' p50 on it.
func growthAt(ctx context.Context, o options, adminURL, ddbEndpoint string, bins binaries, sizes Sizes) (GrowthResult, []PageResult, error) {
	d, err := seedDatabase(ctx, adminURL, fmt.Sprintf("cruddur_bench_%d", sizes.Cruds), sizes)
	if err != nil {
		return GrowthResult{}, nil, err
	}
	s, err := startStack(ctx, bins, d.url, ddbEndpoint)
	if err != nil {
		return GrowthResult{}, nil, err
	}
	defer s.stop()
	workers, authors, err := prepare(ctx, d, s, 0)
	if err != nil {
		return GrowthResult{}, nil, err
	}
	small := o
	small.concurrency = []int{1}
	res := scenarios(ctx, small, d, s, workers, authors)
	g := growthFrom(res, sizes.Cruds)
	var pages []PageResult
	if o.pages {
		pages = measurePages(ctx, s.frontendURL, workers[0].token, fmt.Sprintf("%d cruds", sizes.Cruds))
	}
	return g, pages, nil
}

func growthFrom(results []Result, cruds int) GrowthResult {
	g := GrowthResult{Cruds: cruds}
	for _, r := range results {
		if r.Concurrency != 1 {
			continue
		}
		switch r.Scenario {
		case "GET /api/activities/home":
			g.HomeP50, g.HomeRequests = r.P50, r.Requests
		case "GET /api/activities/@{handle}":
			g.UserFeedP50 = r.P50
		case "GET /api/activities/search?term=#tag":
			g.SearchP50 = r.P50
		}
	}
	return g
}

func (s *stack) backendDynamo() string {
	for _, kv := range s.backend.Env {
		if v, ok := strings.CutPrefix(kv, "DYNAMODB_ENDPOINT="); ok {
			return v
		}
	}
	return ""
}

// peakRSS reads a process's high-water resident set (VmHWM) from /proc.
func peakRSS(c *exec.Cmd) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", c.Process.Pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

func machine(ctx context.Context, dbURL string) Machine {
	m := Machine{CPUs: runtime.NumCPU(), Go: runtime.Version(), When: time.Now().UTC().Format(time.RFC3339)}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		fmt.Sscanf(strings.SplitN(string(b), "\n", 2)[0], "MemTotal: %d kB", &m.MemoryKiB)
	}
	if conn, err := pgx.Connect(ctx, dbURL); err == nil {
		conn.QueryRow(ctx, `SELECT current_setting('server_version')`).Scan(&m.Postgres)
		conn.Close(ctx)
	}
	return m
}

func writeJSON(path string, r Report) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	b, _ := json.MarshalIndent(r, "", "  ")
	fmt.Println("\nwrote", path)
	return os.WriteFile(path, b, 0o644)
}

func waitOK(ctx context.Context, u string) error {
	deadline := time.Now().Add(time.Minute)
	for {
		if resp, err := http.Get(u); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("%s did not answer", u)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func freePort() string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "0"
	}
	defer l.Close()
	_, port, _ := strings.Cut(l.Addr().String(), ":")
	return port
}

func withDatabase(adminURL, name string) string { return testenv.WithDatabase(adminURL, name) }

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..")
}
