package web_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/cruddur/cruddur-go/backend/client"
	"github.com/cruddur/cruddur-go/backend/testenv"
	"github.com/cruddur/cruddur-go/backend/testenv/testbackend"
	"github.com/cruddur/cruddur-go/frontend/internal/web"
	"github.com/cruddur/cruddur-go/frontend/static"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

// site is a frontend over a real, seeded backend.
type site struct {
	t       *testing.T
	URL     string
	backend *testbackend.Backend
}

func newSite(t *testing.T) *site {
	t.Helper()
	b := testbackend.Start(t, testbackend.Options{Seed: true})
	return &site{t: t, URL: startFrontend(t, b.URL), backend: b}
}

func startFrontend(t *testing.T, backendURL string) string {
	t.Helper()
	assets, err := static.New()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(web.New(web.Options{
		API:    client.New(backendURL, &http.Client{Timeout: 5 * time.Second}),
		Assets: assets, Logger: slog.New(slog.DiscardHandler), PublicURL: "http://localhost:3000",
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// visitor is a browser without JavaScript: cookies, forms, no redirects
// followed unless asked.
type visitor struct {
	s    *site
	http *http.Client
}

func (s *site) visitor() *visitor {
	jar, _ := cookiejar.New(nil)
	return &visitor{s: s, http: &http.Client{Jar: jar, Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type answer struct {
	status   int
	location string
	header   http.Header
	body     string
	doc      *goquery.Document
}

func (v *visitor) do(req *http.Request) answer {
	v.s.t.Helper()
	resp, err := v.http.Do(req)
	if err != nil {
		v.s.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	doc, _ := goquery.NewDocumentFromReader(bytes.NewReader(body))
	return answer{status: resp.StatusCode, location: resp.Header.Get("Location"), header: resp.Header, body: string(body), doc: doc}
}

func (v *visitor) get(path string) answer {
	req, _ := http.NewRequest("GET", v.s.URL+path, nil)
	return v.do(req)
}

// post sends a form as a same-origin browser would.
func (v *visitor) post(path string, form url.Values, header ...string) answer {
	req, _ := http.NewRequest("POST", v.s.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Referer", v.s.URL+"/")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return v.do(req)
}

func (v *visitor) signin(login, password string) {
	v.s.t.Helper()
	a := v.post("/signin", url.Values{"login": {login}, "password": {password}})
	if a.status != http.StatusSeeOther || a.location != "/" {
		v.s.t.Fatalf("signin as %s: %d %s", login, a.status, a.location)
	}
}

func text(s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") }

func TestHome_ShowsTheSeededFeedAndSidebar(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	a := s.visitor().get("/")
	if a.status != 200 {
		t.Fatalf("GET / = %d", a.status)
	}
	if n := a.doc.Find(`#feed > article.crud`).Length(); n != 10 {
		t.Fatalf("%d cruds on the home page, want the 10 seeded", n)
	}
	if first := text(a.doc.Find(`#feed > article.crud`).First().Find("header .who").First()); first != "Andrew Brown" {
		t.Fatalf("first crud by %q", first)
	}
	if tag := text(a.doc.Find(`#trending-heading + ul li a`).First()); tag != "#100DaysOfCloud" {
		t.Fatalf("top trending = %q", tag)
	}
	if a.doc.Find(`#suggested-heading + ul li`).Length() != 3 || a.doc.Find("#join-heading").Length() != 1 {
		t.Fatal("no suggested users or no join box for a visitor")
	}
}

// The whole posting flow with no JavaScript: sign up, post, see it on top.
func TestSignupAndPost_WithoutJavaScript(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	v := s.visitor()
	a := v.post("/signup", url.Values{"display_name": {"Ada"}, "handle": {"ada"}, "email": {"ada@example.com"}, "password": {"analytical"}})
	if a.status != http.StatusSeeOther || a.location != "/" {
		t.Fatalf("signup: %d %s %s", a.status, a.location, a.body)
	}
	cookie := a.header.Get("Set-Cookie")
	if !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Lax") {
		t.Fatalf("session cookie %q", cookie)
	}
	a = v.post("/activities", url.Values{"message": {"My first crud #hello"}, "ttl": {"1-day"}})
	if a.status != http.StatusSeeOther || a.location != "/" {
		t.Fatalf("post crud: %d %s", a.status, a.location)
	}
	home := v.get("/")
	top := home.doc.Find(`#feed > article.crud`).First()
	if text(top.Find(`[data-testid="message"]`)) != "My first crud #hello" || text(top.Find(".handle")) != "@ada" || text(top.Find(".expires")) != "23h left" {
		t.Fatalf("top crud: %q by %q, %q", text(top.Find(`[data-testid="message"]`)), text(top.Find(".handle")), text(top.Find(".expires")))
	}
	if text(home.doc.Find(".me strong")) != "Ada" {
		t.Fatal("the nav does not show who is signed in")
	}
	// Sign out: the cookie goes and the crud form with it.
	a = v.post("/signout", nil)
	if a.status != http.StatusSeeOther || !strings.Contains(a.header.Get("Set-Cookie"), "Max-Age=0") {
		t.Fatalf("signout: %d %q", a.status, a.header.Get("Set-Cookie"))
	}
	if v.get("/").doc.Find(`[data-testid="crud-form"]`).Length() != 0 {
		t.Fatal("still signed in after signing out")
	}
}

func TestCrudForm_ErrorsShowNextToTheFieldWithTextKept(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	v := s.visitor()
	v.signin("andrewbrown", "cruddur-dev")
	long := strings.Repeat("é", 281)
	a := v.post("/activities", url.Values{"message": {long}, "ttl": {"3-hours"}})
	if a.status != http.StatusUnprocessableEntity {
		t.Fatalf("too long: %d", a.status)
	}
	if a.doc.Find("textarea#message").Text() != long || text(a.doc.Find("#message-error")) != "A crud can be at most 280 characters." {
		t.Fatalf("error %q, text kept: %v", text(a.doc.Find("#message-error")), a.doc.Find("textarea#message").Text() == long)
	}
	if v, _ := a.doc.Find("select#ttl option[selected]").Attr("value"); v != "3-hours" {
		t.Fatalf("ttl not kept: %q", v)
	}
	a = v.post("/activities", url.Values{"message": {"  "}, "ttl": {"1-hour"}})
	if a.status != 422 || text(a.doc.Find("#message-error")) != "Write something first." {
		t.Fatalf("blank: %d %q", a.status, text(a.doc.Find("#message-error")))
	}
	a = v.post("/signin", url.Values{"login": {"andrewbrown"}, "password": {"wrong password"}})
	if a.status != 422 || text(a.doc.Find("#password-error")) != "That handle or email and password do not match." || a.doc.Find("#login").AttrOr("value", "") != "andrewbrown" {
		t.Fatalf("wrong password: %d %q", a.status, text(a.doc.Find("#password-error")))
	}
	if strings.Contains(a.body, "wrong password") {
		t.Fatal("the password was echoed back")
	}
}

func TestUserText_IsEscaped(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	v := s.visitor()
	v.signin("bayko", "cruddur-dev")
	v.post("/activities", url.Values{"message": {`<script>alert("pwned")</script>`}, "ttl": {"1-hour"}})
	a := v.get("/")
	if strings.Contains(a.body, `<script>alert("pwned")`) || !strings.Contains(a.body, "&lt;script&gt;") {
		t.Fatal("a crud's <script> reached the page as markup")
	}
	if text(a.doc.Find(`#feed > article.crud [data-testid="message"]`).First()) != `<script>alert("pwned")</script>` {
		t.Fatal("the crud does not show as text")
	}
}

func TestSecurity_CSPNonceHeadersAndCrossOriginPostsRefused(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	v := s.visitor()
	a, b := v.get("/"), v.get("/")
	nonce := regexp.MustCompile(`script-src 'nonce-([^']+)'`)
	m1, m2 := nonce.FindStringSubmatch(a.header.Get("Content-Security-Policy")), nonce.FindStringSubmatch(b.header.Get("Content-Security-Policy"))
	if m1 == nil || m2 == nil || m1[1] == m2[1] {
		t.Fatalf("CSP nonces %v and %v: want one per request", m1, m2)
	}
	a.doc.Find("script").Each(func(_ int, sc *goquery.Selection) {
		if sc.AttrOr("nonce", "") != m1[1] {
			t.Errorf("script %s lacks the request's nonce", sc.AttrOr("src", "inline"))
		}
	})
	csp := a.header.Get("Content-Security-Policy")
	for _, want := range []string{"frame-ancestors 'none'", "default-src 'self'", "object-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP lacks %s", want)
		}
	}
	if a.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("no nosniff")
	}

	v.signin("andrewbrown", "cruddur-dev")
	evil := v.post("/activities", url.Values{"message": {"forged"}, "ttl": {"1-hour"}}, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
	if evil.status != http.StatusForbidden {
		t.Fatalf("cross-origin post: %d", evil.status)
	}
	if strings.Contains(v.get("/").body, "forged") {
		t.Fatal("the cross-origin post made a crud")
	}
	trusted := v.post("/activities", url.Values{"message": {"from the public origin"}, "ttl": {"1-hour"}}, "Origin", "http://localhost:3000", "Sec-Fetch-Site", "cross-site")
	if trusted.status != http.StatusSeeOther {
		t.Fatalf("post from the trusted public origin (FRONTEND_URL): %d", trusted.status)
	}
}

func TestErrors_FriendlyPages(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	v := s.visitor()
	for path, want := range map[string]int{
		"/no/such/page":                 404,
		"/@nobody_here":                 404,
		"/@andrewbrown/status/not-uuid": 404,
		"/@bayko/status/05bd861f-12de-4c7e-a095-45e431aef3db": 404, // not bayko's
	} {
		a := v.get(path)
		if a.status != want || a.doc.Find("h1").Length() != 1 || !strings.HasPrefix(a.header.Get("Content-Type"), "text/html") {
			t.Errorf("%s: %d, want a %d page", path, a.status, want)
		}
	}
	if a := v.get("/notifications"); a.status != http.StatusSeeOther || a.location != "/signin" {
		t.Errorf("signed-out /notifications: %d %s", a.status, a.location)
	}

	down := &site{t: t, URL: startFrontend(t, "http://127.0.0.1:1")}
	a := down.visitor().get("/")
	if a.status != http.StatusServiceUnavailable || text(a.doc.Find("h1")) != "Cruddur is catching its breath" {
		t.Fatalf("backend down: %d %q", a.status, text(a.doc.Find("h1")))
	}
}

func TestStaticAssets_HashedCachedCompressed(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	v := s.visitor()
	href := v.get("/").doc.Find(`link[rel=stylesheet]`).AttrOr("href", "")
	if !regexp.MustCompile(`^/static/css/app\.[0-9a-f]{10}\.css$`).MatchString(href) {
		t.Fatalf("stylesheet href %q is not content-hashed", href)
	}
	req, _ := http.NewRequest("GET", s.URL+href, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/css") {
		t.Fatalf("headers %v", resp.Header)
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	css, _ := io.ReadAll(zr)
	if !strings.Contains(string(css), "--bg:") {
		t.Fatal("not the stylesheet")
	}
}

// htmx posts the same forms and gets fragments to swap in place.
func TestHTMX_LikeAndReplyAnswerWithFragments(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	v := s.visitor()
	v.signin("londo", "cruddur-dev")
	crud := "21cda2b8-415f-431e-836e-5e4c5cb06258" // andrewbrown's, 1 like
	a := v.post("/activities/"+crud+"/like", nil, "HX-Request", "true")
	if a.status != 200 || a.doc.Find("html").Length() != 1 && strings.Contains(a.body, "<html") {
		t.Fatalf("htmx like: %d", a.status)
	}
	if strings.Contains(a.body, "<html") || text(a.doc.Find(`[data-testid="like"]`).First()) != "Liked 2" {
		t.Fatalf("htmx like answered %q", a.body[:min(len(a.body), 300)])
	}
	plain := v.post("/activities/"+crud+"/unlike", nil)
	if plain.status != http.StatusSeeOther || plain.location != "/" {
		t.Fatalf("plain unlike: %d %s", plain.status, plain.location)
	}
	status := "/@andrewbrown/status/" + crud
	a = v.post(status+"/reply", url.Values{"message": {"Agreed, my friend."}}, "HX-Request", "true")
	if a.status != 200 || strings.Contains(a.body, "<html") || a.doc.Find(`#thread article.reply`).Length() != 1 {
		t.Fatalf("htmx reply: %d, %d replies in the fragment", a.status, a.doc.Find(`#thread article.reply`).Length())
	}
	a = v.post(status+"/reply", url.Values{"message": {" "}}, "HX-Request", "true")
	if a.status != 200 || text(a.doc.Find("#message-error")) != "Write something first." {
		t.Fatalf("htmx reply error: %d %q", a.status, text(a.doc.Find("#message-error")))
	}
}

func TestNotificationsPage_ReplyShowsWithBadgeThenMarkRead(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	andrew, bayko := s.visitor(), s.visitor()
	andrew.signin("andrewbrown", "cruddur-dev")
	bayko.signin("bayko", "cruddur-dev")
	// Delivery is asynchronous: first all 11 seeded notifications.
	badge := func() string { return text(andrew.get("/").doc.Find(`#unread-badge .badge`)) }
	deadline := time.Now().Add(10 * time.Second)
	for badge() != "11 unread" {
		if time.Now().After(deadline) {
			t.Fatalf("the seeded notifications never all showed in the badge: %q", badge())
		}
		time.Sleep(50 * time.Millisecond)
	}
	bayko.post("/@andrewbrown/status/05bd861f-12de-4c7e-a095-45e431aef3db/reply", url.Values{"message": {"Docker all the things"}})
	var page answer
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		page = andrew.get("/notifications")
		top := page.doc.Find(`[data-testid="notification"]`).First()
		if strings.Contains(text(top), "bayko replied to your crud") && text(page.doc.Find(`#unread-badge .badge`)) == "12 unread" {
			if !top.HasClass("unread") {
				t.Fatal("the new notification is not marked unread")
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("top notification %q, badge %q", text(top), text(page.doc.Find(`#unread-badge .badge`)))
		}
	}
	if a := andrew.post("/notifications/read", nil); a.status != http.StatusSeeOther {
		t.Fatalf("mark all read: %d", a.status)
	}
	page = andrew.get("/notifications")
	if page.doc.Find(`.notification.unread`).Length() != 0 || page.doc.Find(`#unread-badge .badge`).Length() != 0 {
		t.Fatal("still unread after mark all read")
	}
	if badge := andrew.get("/notifications/badge"); badge.status != 200 || badge.doc.Find(".badge").Length() != 0 || strings.Contains(badge.body, "<html") {
		t.Fatalf("badge fragment: %d %q", badge.status, badge.body)
	}
}

func TestMessagesPages_RoundTrip(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	andrew, londo := s.visitor(), s.visitor()
	andrew.signin("andrewbrown", "cruddur-dev")
	londo.signin("londo", "cruddur-dev")
	if a := andrew.get("/messages"); text(a.doc.Find(`[data-testid="message-groups"] li strong`).First()) != "Andrew Bayko" {
		t.Fatalf("seeded conversation missing: %q", text(a.doc.Find(`[data-testid="message-groups"]`)))
	}
	if a := andrew.get("/messages/new?handle=%40Londo"); a.status != http.StatusSeeOther || a.location != "/messages/new/londo" {
		t.Fatalf("new message form: %d %s", a.status, a.location)
	}
	a := andrew.post("/messages", url.Values{"handle": {"londo"}, "message": {"Greetings, ambassador."}})
	if a.status != http.StatusSeeOther || !strings.HasPrefix(a.location, "/messages/") {
		t.Fatalf("send: %d %s", a.status, a.location)
	}
	convo := londo.get(a.location)
	if text(convo.doc.Find(`[data-testid="message"] .message`)) != "Greetings, ambassador." || text(convo.doc.Find("h1")) != "Messages with Andrew Brown" {
		t.Fatalf("londo's view: %q / %q", text(convo.doc.Find("h1")), text(convo.doc.Find(`[data-testid="message"]`)))
	}
	group := strings.TrimPrefix(a.location, "/messages/")
	if r := londo.post("/messages", url.Values{"message_group_uuid": {group}, "message": {"Welcome!"}}); r.status != http.StatusSeeOther {
		t.Fatalf("reply by group: %d", r.status)
	}
	if n := andrew.get(a.location).doc.Find(`[data-testid="message"]`).Length(); n != 2 {
		t.Fatalf("%d messages in the conversation, want 2", n)
	}
	bad := andrew.post("/messages", url.Values{"handle": {"londo"}, "message": {""}})
	if bad.status != 422 || text(bad.doc.Find("#message-error")) != "Write something first." {
		t.Fatalf("blank message: %d %q", bad.status, text(bad.doc.Find("#message-error")))
	}
	bayko := s.visitor()
	bayko.signin("bayko", "cruddur-dev")
	if r := bayko.get(a.location); r.status != http.StatusForbidden {
		t.Fatalf("an outsider reads the conversation: %d", r.status)
	}
}

func TestProfile_FollowAndEdit(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	v := s.visitor()
	v.signin("altbrown", "cruddur-dev")
	p := v.get("/@bayko")
	if text(p.doc.Find("h1")) != "Andrew Bayko" || p.doc.Find(`form[action="/@bayko/follow"]`).Length() != 1 {
		t.Fatalf("bayko's profile as altbrown: %q", text(p.doc.Find("h1")))
	}
	v.post("/@bayko/follow", nil)
	if p = v.get("/@bayko"); p.doc.Find(`form[action="/@bayko/unfollow"]`).Length() != 1 || !strings.Contains(text(p.doc.Find(".counts")), "2 followers") {
		t.Fatalf("after follow: %q", text(p.doc.Find(".counts")))
	}
	a := v.post("/profile", url.Values{"display_name": {""}, "bio": {"new bio"}})
	if a.status != 422 || text(a.doc.Find("#display_name-error")) != "Enter a display name." || a.doc.Find("textarea#bio").Text() != "new bio" {
		t.Fatalf("blank display name: %d %q", a.status, text(a.doc.Find("#display_name-error")))
	}
	v.post("/profile", url.Values{"display_name": {"Alt Brown II"}, "bio": {"new bio"}})
	if p = v.get("/@altbrown"); text(p.doc.Find("h1")) != "Alt Brown II" || p.doc.Find(`[data-testid="profile-form"]`).Length() != 1 {
		t.Fatalf("own profile after edit: %q", text(p.doc.Find("h1")))
	}
}

func TestSearch_FindsHashtagAndExplainsBlank(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	v := s.visitor()
	a := v.get("/search?term=%23AWS")
	if a.status != 200 || a.doc.Find(`#feed article.crud`).Length() != 2 {
		t.Fatalf("#AWS: %d, %d results", a.status, a.doc.Find(`#feed article.crud`).Length())
	}
	a = v.get("/search?term=+")
	if a.status != 422 || text(a.doc.Find("#term-error")) != "Type something to search for." {
		t.Fatalf("blank search: %d %q", a.status, text(a.doc.Find("#term-error")))
	}
}
