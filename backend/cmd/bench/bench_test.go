package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A tiny benchmark run end to end: every scenario runs with no errors, the
// ceiling is measured, RSS is read, and the JSON is written. (The figures
// themselves come from make bench, not from tests.)
func TestBench_SmallRunMeasuresEveryScenario(t *testing.T) {
	// Not t.TempDir(): its 0700 parent keeps out the postgres user the
	// harness runs PostgreSQL as.
	dir, err := os.MkdirTemp("", "cruddur-bench-test-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	t.Cleanup(func() { os.RemoveAll(dir) })
	out := filepath.Join(dir, "latest.json")
	o := options{
		sizes:       Sizes{Users: 200, Cruds: 2000, Replies: 1000, Likes: 4000, Follows: 500, Notifications: 300},
		duration:    300 * time.Millisecond,
		concurrency: []int{1, 4},
		out:         out,
		dataDir:     filepath.Join(dir, "pg"),
	}
	if err = run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var r Report
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Results) != 10*2 {
		t.Fatalf("%d results, want 10 scenarios at 2 concurrencies", len(r.Results))
	}
	for _, x := range r.Results {
		if x.Errors != 0 || x.Requests == 0 {
			t.Errorf("%s at %d: %d requests, %d errors (%s)", x.Scenario, x.Concurrency, x.Requests, x.Errors, x.FirstError)
		}
		if (x.Scenario == "GET /api/activities/home" || x.Scenario == "GET /api/activities/@{handle}") && x.CeilingRPS <= 0 {
			t.Errorf("%s at %d: no ceiling", x.Scenario, x.Concurrency)
		}
	}
	if r.PeakRSS["backend"] <= 0 || r.PeakRSS["frontend"] <= 0 || r.Machine.CPUs == 0 {
		t.Errorf("rss %v, machine %+v", r.PeakRSS, r.Machine)
	}
}
