package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// PageResult is one page as a browser with an empty cache gets it.
type PageResult struct {
	Page        string  `json:"page"`
	Data        string  `json:"data"`
	Bytes       int     `json:"bytes_transferred"`
	FeedInDOMMs float64 `json:"feed_in_dom_ms"`
}

// measurePages loads / and /notifications in headless Chromium, signed in,
// with the cache off: the bytes transferred (HTML, CSS, JS, compressed) and
// the time from navigation start until the server-rendered feed is in the
// DOM (domInteractive). Each page is loaded five times; the median counts.
func measurePages(ctx context.Context, frontendURL, token, data string) []PageResult {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench: no chromium: page figures skipped (apt-get install chromium)")
		return nil
	}
	profile, _ := os.MkdirTemp("", "cruddur-bench-chromium-")
	defer os.RemoveAll(profile)
	alloc, cancel := chromedp.NewExecAllocator(ctx, append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.UserDataDir(profile), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true))...)
	defer cancel()
	tab, cancelTab := chromedp.NewContext(alloc)
	defer cancelTab()
	u, _ := url.Parse(frontendURL)
	err = chromedp.Do(tab,
		chromedp.Navigate(frontendURL+"/health-check"),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			if _, err := chromedp.Call(ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
				return err
			}
			_, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: "cruddur_session", Value: token, Domain: u.Hostname(), Path: "/"})
			return err
		}))
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench: chromium:", err)
		return nil
	}
	var out []PageResult
	for _, path := range []string{"/", "/notifications"} {
		var bytes []int
		var times []float64
		for range 5 {
			if err := chromedp.Do(tab, chromedp.Navigate(frontendURL+path)); err != nil {
				fmt.Fprintln(os.Stderr, "bench: chromium:", err)
				return out
			}
			time.Sleep(100 * time.Millisecond) // let deferred scripts finish loading
			b, err := chromedp.Run(tab, chromedp.Evaluate[int](`performance.getEntriesByType("navigation").concat(performance.getEntriesByType("resource")).reduce((n, e) => n + e.transferSize, 0)`))
			if err != nil {
				fmt.Fprintln(os.Stderr, "bench: chromium:", err)
				return out
			}
			ms, _ := chromedp.Run(tab, chromedp.Evaluate[float64](`performance.getEntriesByType("navigation")[0].domInteractive`))
			bytes, times = append(bytes, b), append(times, ms)
		}
		out = append(out, PageResult{Page: path, Data: data, Bytes: median(bytes), FeedInDOMMs: median(times)})
	}
	return out
}

func median[T int | float64](xs []T) T {
	s := append([]T(nil), xs...)
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	return s[len(s)/2]
}
