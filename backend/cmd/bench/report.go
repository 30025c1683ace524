package main

import "fmt"

// printReport prints the run as tables.
func printReport(r Report) {
	m := r.Machine
	fmt.Printf("\nCruddur benchmark, %s: %d CPUs, %.1f GiB, %s, PostgreSQL %s\n", m.When, m.CPUs, float64(m.MemoryKiB)/1048576, m.Go, m.Postgres)
	s := r.Sizes
	fmt.Printf("data: %d users, %d cruds, %d replies, %d likes, %d follows, %d notifications\n\n", s.Users, s.Cruds, s.Replies, s.Likes, s.Follows, s.Notifications)
	fmt.Printf("| %-40s | %5s | %9s | %8s | %8s | %8s | %6s | %9s | %5s |\n", "scenario", "conc", "req/s", "p50 ms", "p99 ms", "p99.9 ms", "errors", "ceiling/s", "ratio")
	fmt.Println("|------------------------------------------|------:|----------:|---------:|---------:|---------:|-------:|----------:|------:|")
	for _, x := range r.Results {
		ceil, ratio := "", ""
		if x.CeilingRPS > 0 {
			ceil, ratio = fmt.Sprintf("%.0f", x.CeilingRPS), fmt.Sprintf("%.2f", x.Ratio)
		}
		fmt.Printf("| %-40s | %5d | %9.0f | %8.2f | %8.2f | %8.2f | %6d | %9s | %5s |\n", x.Scenario, x.Concurrency, x.RPS, x.P50, x.P99, x.P999, x.Errors, ceil, ratio)
	}
	fmt.Printf("\npeak RSS: backend %.0f MiB, frontend %.0f MiB\n", float64(r.PeakRSS["backend"])/1048576, float64(r.PeakRSS["frontend"])/1048576)
	if len(r.Pages) > 0 {
		fmt.Println("\n| page | data | bytes (compressed, all files) | feed in DOM ms |\n|---|---|---:|---:|")
		for _, p := range r.Pages {
			fmt.Printf("| %s | %s | %d | %.1f |\n", p.Page, p.Data, p.Bytes, p.FeedInDOMMs)
		}
	}
	if len(r.Growth) > 0 {
		fmt.Println("\n| cruds | home p50 ms | user feed p50 ms | search p50 ms |\n|---:|---:|---:|---:|")
		for _, g := range r.Growth {
			fmt.Printf("| %d | %.2f | %.2f | %.2f |\n", g.Cruds, g.HomeP50, g.UserFeedP50, g.SearchP50)
		}
	}
}
