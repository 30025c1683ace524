// Package e2e drives Cruddur's pages in headless Chromium: two people
// signing up, posting, replying, being notified, messaging; the crud form's
// counter and validation; the same posting with JavaScript off. Every page
// visited is audited with axe-core and screenshotted into screenshots/.
package e2e

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cruddur/cruddur-go/backend/client"
	"github.com/cruddur/cruddur-go/backend/testenv"
	"github.com/cruddur/cruddur-go/backend/testenv/testbackend"
	"github.com/cruddur/cruddur-go/frontend/internal/web"
	"github.com/cruddur/cruddur-go/frontend/static"
)

var (
	browser context.Context // the one Chromium every test opens contexts in
	axeJS   string
	shots   string // where screenshots go
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	root := repoRoot()
	chromium, err := findChromium()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if axeJS, err = loadAxe(filepath.Join(root, "frontend")); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	shots = filepath.Join(root, "screenshots")
	os.MkdirAll(shots, 0o755)

	profile, _ := os.MkdirTemp("", "cruddur-chromium-")
	defer os.RemoveAll(profile)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.UserDataDir(profile),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(1280, 900),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	b, cancelBrowser := chromedp.NewContext(alloc)
	defer cancelBrowser()
	if err := chromedp.Do(b); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: start Chromium:", err)
		return 1
	}
	browser = b
	return testenv.Main(m)
}

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(filepath.Dir(file)))
}

func findChromium() (string, error) {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("e2e: Chromium is needed for the browser tests: apt-get install chromium (make test does this when run as root)")
}

// loadAxe reads axe-core, pinned in frontend/package-lock.json, installing
// it with npm ci when missing.
func loadAxe(frontend string) (string, error) {
	path := filepath.Join(frontend, "node_modules", "axe-core", "axe.min.js")
	if _, err := os.Stat(path); err != nil {
		cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts")
		cmd.Dir = frontend
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("e2e: axe-core is missing and npm ci in %s failed: %v\n%s", frontend, err, out)
		}
	}
	b, err := os.ReadFile(path)
	return string(b), err
}

// site is the frontend over a seeded backend, on loopback.
type site struct {
	URL     string
	backend *testbackend.Backend
}

func newSite(t *testing.T) *site {
	t.Helper()
	b := testbackend.Start(t, testbackend.Options{Seed: true})
	assets, err := static.New()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(web.New(web.Options{
		API:    client.New(b.URL, &http.Client{Timeout: 10 * time.Second}),
		Assets: assets, Logger: slog.New(slog.DiscardHandler),
	}))
	t.Cleanup(srv.Close)
	return &site{URL: srv.URL, backend: b}
}

// person is one browser profile (its own cookies) in a tab.
type person struct {
	t    *testing.T
	ctx  context.Context
	site *site
}

func (s *site) person(t *testing.T) *person {
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancel() })
	return &person{t: t, ctx: ctx, site: s}
}

func (p *person) do(steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, steps...); err != nil {
		p.t.Fatal(err)
	}
}

func (p *person) visit(path string) {
	p.t.Helper()
	p.do(chromedp.Navigate(p.site.URL+path), chromedp.WaitReady(chromedp.CSS("body")))
}

func (p *person) text(sel string) string {
	p.t.Helper()
	s, err := chromedp.Run(p.ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		p.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.Join(strings.Fields(s), " ")
}

// eval runs JavaScript in the page (awaiting a promise) and decodes its value.
func eval[T any](p *person, js string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("eval %.60s: %v", js, err)
	}
	return v
}

func (p *person) fill(sel, value string) {
	p.t.Helper()
	sel = strings.ReplaceAll(sel, "`", "")
	eval[string](p, "document.querySelector(`"+sel+"`).value = ''")
	p.do(chromedp.SendKeys(chromedp.CSS(sel), value))
}

func (p *person) click(sel string) {
	p.t.Helper()
	p.do(chromedp.Click(chromedp.CSS(sel)))
}

// submit clicks a button that navigates, and waits for the next page.
func (p *person) submit(button string) {
	p.t.Helper()
	eval[string](p, `window.__page = "before"`)
	p.click(button)
	p.waitFor(`window.__page === undefined && document.readyState === "complete"`)
}

// waitFor polls a JavaScript condition until it holds, across the
// navigation it may be waiting for (which ends a poll in the old page).
func (p *person) waitFor(cond string) {
	p.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		err := chromedp.Do(p.ctx, chromedp.Poll[chromedp.Void](cond, chromedp.WithPollingTimeout(time.Until(deadline)), chromedp.WithPollingInterval(50*time.Millisecond)))
		if err == nil {
			return
		}
		if time.Now().After(deadline) || !navigating(err) {
			p.t.Fatalf("waiting for %s: %v", cond, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func navigating(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "navigated or closed") || strings.Contains(msg, "context was destroyed") || strings.Contains(msg, "Cannot find context")
}

func (p *person) signup(handle string) {
	p.t.Helper()
	p.visit("/signup")
	p.fill("#display_name", strings.ToUpper(handle[:1])+handle[1:])
	p.fill("#handle", handle)
	p.fill("#email", handle+"@example.com")
	p.fill("#password", "password-"+handle)
	p.submit(`[data-testid="signup-form"] button[type=submit]`)
	if got := p.text(".me strong"); got != strings.ToUpper(handle[:1])+handle[1:] {
		p.t.Fatalf("after signup the nav shows %q", got)
	}
}

func (p *person) signin(login, password string) {
	p.t.Helper()
	p.visit("/signin")
	p.fill("#login", login)
	p.fill("#password", password)
	p.submit(`[data-testid="signin-form"] button[type=submit]`)
}

var shotMu sync.Mutex

// audit runs axe-core on the current page, fails on serious or critical
// violations, and saves a screenshot as name.png.
func (p *person) audit(name string) {
	p.t.Helper()
	buf, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.t.Fatal(err)
	}
	shotMu.Lock()
	os.WriteFile(filepath.Join(shots, name+".png"), buf, 0o644)
	shotMu.Unlock()

	eval[bool](p, axeJS+";true")
	type violation struct {
		ID     string `json:"id"`
		Impact string `json:"impact"`
		Help   string `json:"help"`
		Nodes  []struct {
			Target []string `json:"target"`
		} `json:"nodes"`
	}
	violations := eval[[]violation](p, `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}).then(r => r.violations)`)
	for _, v := range violations {
		if v.Impact == "serious" || v.Impact == "critical" {
			var where []string
			for _, n := range v.Nodes {
				where = append(where, strings.Join(n.Target, " "))
			}
			p.t.Errorf("accessibility (%s) on %s: %s %s at %v", v.Impact, name, v.ID, v.Help, where)
		}
	}
}
