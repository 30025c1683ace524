package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Two people: one posts, the other replies in place (htmx), the first sees
// the badge and the notification, marks it read, and the badge clears; then
// a direct message round trip.
func TestBrowser_PostReplyNotifyMarkReadAndMessage(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	alice, bob := s.person(t), s.person(t)
	alice.signup("alice")
	alice.audit("home-signed-in")

	alice.fill("#message", "Hello from a real browser #e2e")
	if got := alice.text(`[data-testid="counter"] [data-count]`); got != "250" {
		t.Fatalf("counter after 30 characters = %q, want 250", got)
	}
	alice.submit(`[data-testid="crud-form"] button[type=submit]`)
	if got := alice.text(`#feed > article.crud [data-testid="message"]`); got != "Hello from a real browser #e2e" {
		t.Fatalf("top crud = %q", got)
	}

	// Alice stays on her page; the badge must update by itself.
	eval[string](alice, `window.__marker = "alice's page"`)

	bob.signup("bob")
	bob.visit("/@alice")
	bob.audit("profile")
	bob.click(`#feed > article.crud a[data-testid="replies"]`)
	bob.waitFor(`document.querySelector('[data-testid="reply-form"]') !== null`)
	bob.audit("status")
	// Reply without a reload: a marker on window survives only if the page does.
	eval[string](bob, `window.__marker = "same page"`)
	bob.fill(`[data-testid="reply-form"] textarea`, "Welcome to Cruddur, alice!")
	bob.click(`[data-testid="reply-form"] button[type=submit]`)
	bob.waitFor(`document.querySelectorAll('#thread article.reply').length === 1`)
	if eval[string](bob, `window.__marker`) != "same page" {
		t.Fatal("replying reloaded the page")
	}
	// Like in place too.
	bob.click(`#thread > article.crud > .actions [data-testid="like"]`)
	bob.waitFor(`document.querySelector('#thread > article.crud > .actions [data-testid="like"]').getAttribute("aria-pressed") === "true"`)
	if eval[string](bob, `window.__marker`) != "same page" || bob.text(`#thread > article.crud > .actions [data-testid="like"]`) != "Liked 1" {
		t.Fatal("liking reloaded the page, or did not count")
	}

	alice.waitFor(`document.querySelector('[data-testid="unread-badge"] .badge') !== null`)
	if eval[string](alice, `window.__marker`) != "alice's page" {
		t.Fatal("the badge appeared only after a reload")
	}
	alice.visit("/")
	if got := alice.text(`[data-testid="unread-badge"] .badge`); got != "2 unread" {
		t.Fatalf("alice's badge = %q, want 2 unread (the reply and the like)", got)
	}
	alice.visit("/notifications")
	alice.audit("notifications")
	items := alice.text(`[data-testid="notifications"]`)
	if !strings.Contains(items, "bob replied to your crud") || !strings.Contains(items, "bob liked your crud") {
		t.Fatalf("notifications read %q", items)
	}
	alice.submit(`[data-testid="mark-all-read"]`)
	unread := eval[int](alice, `document.querySelectorAll('.notification.unread').length`)
	badges := eval[int](alice, `document.querySelectorAll('[data-testid="unread-badge"] .badge').length`)
	if unread != 0 || badges != 0 {
		t.Fatalf("after mark all read: %d unread, %d badges", unread, badges)
	}

	bob.visit("/messages/new/alice")
	bob.fill(`[data-testid="message-form"] textarea`, "Hi alice, welcome!")
	bob.submit(`[data-testid="message-form"] button[type=submit]`)
	alice.visit("/messages")
	alice.audit("messages")
	alice.click(`[data-testid="message-groups"] a`)
	alice.waitFor(`document.querySelector('[data-testid="message-form"]') !== null`)
	alice.audit("conversation")
	if got := alice.text(`[data-testid="conversation"]`); !strings.Contains(got, "Hi alice, welcome!") {
		t.Fatalf("alice's conversation: %q", got)
	}
	alice.fill(`[data-testid="message-form"] textarea`, "Thanks bob!")
	alice.submit(`[data-testid="message-form"] button[type=submit]`)
	bob.visit("/messages/new/alice")
	if got := bob.text(`[data-testid="conversation"]`); !strings.Contains(got, "Thanks bob!") {
		t.Fatalf("bob's conversation: %q", got)
	}
}

// The counter turns red past 280 characters and the server's refusal shows
// next to the field with the text kept.
func TestBrowser_CrudFormCounterAndValidation(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	p := s.person(t)
	p.signin("andrewbrown", "cruddur-dev")
	long := strings.Repeat("🚀", 281) // 281 characters, 562 UTF-16 units
	eval[bool](p, `(() => { const m = document.querySelector("#message"); m.value = "`+long+`"; return m.dispatchEvent(new Event("input")) })()`)
	if got := p.text(`[data-testid="counter"] [data-count]`); got != "-1" {
		t.Fatalf("counter at 281 characters = %q, want -1", got)
	}
	if !eval[bool](p, `document.querySelector('[data-testid="counter"]').classList.contains("over")`) {
		t.Fatal("the counter is not marked over the limit")
	}
	p.submit(`[data-testid="crud-form"] button[type=submit]`)
	if got := p.text("#message-error"); got != "A crud can be at most 280 characters." {
		t.Fatalf("error = %q", got)
	}
	if eval[string](p, `document.querySelector("#message").value`) != long {
		t.Fatal("the text was not kept")
	}
	p.audit("home-with-error")
}

// With JavaScript off, signing in, posting and liking all work as plain forms.
func TestBrowser_PostingWithJavaScriptDisabled(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	p := s.person(t)
	if _, err := chromedp.Call(p.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	p.signinNoJS("bayko", "cruddur-dev")
	// Wait for the new crud itself: the old page's feed is visible too until
	// the post's redirect lands. An XPath search needs no page scripts.
	p.do(chromedp.SendKeys(chromedp.CSS("#message"), "Posted with JavaScript off"),
		chromedp.Click(chromedp.CSS(`[data-testid="crud-form"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.Search(`//p[@data-testid="message"][contains(., "Posted with JavaScript off")]`)))
	if got := p.text(`#feed > article.crud [data-testid="message"]`); got != "Posted with JavaScript off" {
		t.Fatalf("top crud = %q", got)
	}
	// The new crud's own like button (seeded cruds bayko liked are pressed too).
	mine := `//article[./p[@data-testid="message"][contains(., "Posted with JavaScript off")]]/div[@class="actions"]//button[@data-testid="like"]`
	p.do(chromedp.Click(chromedp.Search(mine)),
		chromedp.WaitVisible(chromedp.Search(mine+`[@aria-pressed="true"]`)))
	got, err := chromedp.Run(p.ctx, chromedp.Text(chromedp.Search(mine)))
	if err != nil || strings.Join(strings.Fields(got), " ") != "Liked 1" {
		t.Fatalf("like without JavaScript: %q %v", got, err)
	}
}

// signinNoJS signs in by plain form post (no scripts to poll with).
func (p *person) signinNoJS(login, password string) {
	p.t.Helper()
	p.visit("/signin")
	p.do(chromedp.SendKeys(chromedp.CSS("#login"), login), chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS(`[data-testid="signin-form"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="crud-form"]`)))
}

// The signed-out pages, audited and screenshotted, and the page weights
// (everything transferred, compressed) of / and /notifications.
func TestBrowser_PagesAreAccessibleAndLight(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	p := s.person(t)
	for _, page := range []struct{ path, name string }{
		{"/", "home"}, {"/signup", "signup"}, {"/signin", "signin"},
		{"/search?term=%23100DaysOfCloud", "search"}, {"/no-such-page", "not-found"},
	} {
		p.visit(page.path)
		p.audit(page.name)
	}
	p.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	p.visit("/")
	p.audit("home-phone")
	p.do(chromedp.EmulateReset())

	weights := map[string]int{}
	for _, path := range []string{"/", "/notifications"} {
		fresh := s.person(t)
		fresh.signin("andrewbrown", "cruddur-dev")
		// No cache, so every file of the page is fetched and counted.
		if _, err := chromedp.Call(fresh.ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
			t.Fatal(err)
		}
		fresh.visit(path)
		fresh.waitFor(`document.readyState === "complete"`)
		weights[path] = eval[int](fresh, `performance.getEntriesByType("navigation").concat(performance.getEntriesByType("resource")).reduce((n, e) => n + e.transferSize, 0)`)
	}
	report := fmt.Sprintf("page weights (HTML+CSS+JS transferred, compressed, empty cache, signed in as andrewbrown):\n/ %d bytes\n/notifications %d bytes\n", weights["/"], weights["/notifications"])
	t.Log(report)
	os.WriteFile(filepath.Join(shots, "page-weights.txt"), []byte(report), 0o644)
	if weights["/"] == 0 {
		t.Fatal("measured no bytes for /")
	}
}
