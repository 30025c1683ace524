package pages_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"
	"github.com/google/uuid"

	"github.com/cruddur/cruddur-go/backend/client"
	"github.com/cruddur/cruddur-go/frontend/internal/pages"
	"github.com/cruddur/cruddur-go/frontend/static"
)

var now = time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)

func render(t *testing.T, c templ.Component) *goquery.Document {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Render(templ.WithNonce(context.Background(), "test-nonce"), &buf); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func page(t *testing.T, viewer *pages.Viewer) pages.Page {
	assets, err := static.New()
	if err != nil {
		t.Fatal(err)
	}
	return pages.Page{Title: "Test", Viewer: viewer, Assets: assets, Now: now,
		Sidebar: pages.Sidebar{Trending: []client.Hashtag{{Hashtag: "#AWS", Count: 2}}, Suggested: []client.UserShort{{Handle: "bayko", DisplayName: "Andrew Bayko"}}}}
}

func crud(msg string) client.Activity {
	return client.Activity{UUID: uuid.New(), Handle: "andrewbrown", DisplayName: "Andrew Brown", Message: msg,
		CreatedAt: now.Add(-5 * time.Minute), ExpiresAt: now.Add(6*24*time.Hour + time.Minute), LikesCount: 3, RepliesCount: 1, Liked: true,
		Replies: []client.Activity{}}
}

func TestCrud_EscapesUserText(t *testing.T) {
	doc := render(t, pages.Crud(crud(`<script>alert("x")</script><img src=x onerror=alert(1)>`), nil, now))
	if doc.Find("script, img").Length() != 0 {
		t.Fatal("user text became markup")
	}
	if got := doc.Find(`[data-testid="message"]`).Text(); !strings.Contains(got, `<script>alert("x")</script>`) {
		t.Fatalf("message text = %q", got)
	}
}

func TestCrud_ShowsWhoWhenTimeLeftAndCounts(t *testing.T) {
	a := crud("Week 1 done! #100DaysOfCloud thanks @bayko")
	reply := crud("congrats")
	reply.Handle, reply.DisplayName, reply.ReplyToActivityUUID = "bayko", "Andrew Bayko", &a.UUID
	reply.Replies = nil
	a.Replies = []client.Activity{reply}
	doc := render(t, pages.Crud(a, &pages.Viewer{Handle: "bayko"}, now))
	card := doc.Find("article.crud").First()
	for sel, want := range map[string]string{
		".who":                    "Andrew Brown",
		".handle":                 "@andrewbrown",
		"time":                    "5m",
		".expires":                "6d left",
		`[data-testid="like"]`:    "Liked 3",
		`[data-testid="replies"]`: "Reply 1",
		`a[href="/search?term=%23100DaysOfCloud"]`: "#100DaysOfCloud",
		`a[href="/@bayko"]`:                        "@bayko",
	} {
		if got := strings.Join(strings.Fields(card.Find(sel).First().Text()), " "); got != want {
			t.Errorf("%s = %q, want %q", sel, got, want)
		}
	}
	if pressed, _ := card.Find(`[data-testid="like"]`).First().Attr("aria-pressed"); pressed != "true" {
		t.Errorf("a liked crud's button is not pressed")
	}
	if action, _ := card.Find(`form:has([data-testid="like"])`).First().Attr("action"); action != "/activities/"+a.UUID.String()+"/unlike" {
		t.Errorf("pressing a liked like posts to %q", action)
	}
	if doc.Find("article.crud.reply").Length() != 1 || doc.Find(`article.reply [data-testid="replies"]`).Length() != 0 {
		t.Error("the reply is not nested under its crud, or offers replies of its own")
	}
}

func TestCrudForm_KeepsTextAndShowsErrorNextToField(t *testing.T) {
	form := pages.FormFromCodes(map[string]string{"message": "way too long", "ttl": "3-hours"}, []string{"message_exceed_max_chars"})
	doc := render(t, pages.CrudForm(form))
	if got := doc.Find("textarea#message").Text(); got != "way too long" {
		t.Fatalf("textarea = %q", got)
	}
	errEl := doc.Find("#message-error")
	if errEl.Text() != "A crud can be at most 280 characters." || errEl.Prev().Is("textarea") == false {
		t.Fatalf("error %q is not next to the message field", errEl.Text())
	}
	if d, _ := doc.Find("textarea#message").Attr("aria-describedby"); d != "message-count message-error" {
		t.Fatalf("aria-describedby = %q", d)
	}
	if v, _ := doc.Find("select#ttl option[selected]").Attr("value"); v != "3-hours" {
		t.Fatalf("selected ttl = %q", v)
	}
	if v, _ := render(t, pages.CrudForm(pages.Form{})).Find("select#ttl option[selected]").Attr("value"); v != "7-days" {
		t.Fatalf("default ttl = %q, want 7-days", v)
	}
	if n := doc.Find("select#ttl option").Length(); n != 7 {
		t.Fatalf("%d ttl options, want 7 (30 days to 1 hour)", n)
	}
}

func TestLayout_SignedOutGetsJoinBoxSignedInGetsBadge(t *testing.T) {
	out := render(t, pages.Home(page(t, nil), pages.Form{}, nil, ""))
	if out.Find("#join-heading").Text() != "Join the party!" || out.Find(`[data-testid="crud-form"]`).Length() != 0 {
		t.Fatal("signed out: no join box, or a crud form")
	}
	in := render(t, pages.Home(page(t, &pages.Viewer{Handle: "andrewbrown", DisplayName: "Andrew Brown", Unread: 3}), pages.Form{}, nil, ""))
	if in.Find("#join-heading").Length() != 0 || in.Find(`[data-testid="crud-form"]`).Length() != 1 {
		t.Fatal("signed in: join box shown, or no crud form")
	}
	if got := strings.TrimSpace(in.Find(`[data-testid="unread-badge"] .badge`).Text()); got != "3 unread" {
		t.Fatalf("badge = %q", got)
	}
	if in.Find(`nav a[href="/@andrewbrown"]`).Text() != "Profile" {
		t.Fatal("no Profile link for the signed in")
	}
	zero := render(t, pages.Home(page(t, &pages.Viewer{Handle: "a"}), pages.Form{}, nil, ""))
	if zero.Find(".badge").Length() != 0 {
		t.Fatal("a badge with nothing unread")
	}
}

// Every page has a title, one main heading, the landmarks, and its scripts
// carry the request's nonce.
func TestPages_HaveTitleOneH1AndNoncedScripts(t *testing.T) {
	v := &pages.Viewer{Handle: "andrewbrown", DisplayName: "Andrew Brown"}
	p := page(t, v)
	note := client.Notification{Type: "reply", Handle: "bayko", Message: "hi", CreatedAt: now, ActivityUUID: &uuid.UUID{}}
	for name, c := range map[string]templ.Component{
		"home":          pages.Home(p, pages.Form{}, []client.Activity{crud("hi")}, "next"),
		"notifications": pages.Notifications(p, []client.Notification{note}, ""),
		"profile":       pages.Profile(p, client.Profile{Handle: "andrewbrown", DisplayName: "Andrew Brown"}, nil, pages.Form{}),
		"status":        pages.Status(p, crud("hi"), pages.Form{}),
		"search":        pages.Search(p, pages.Form{}, nil, false),
		"messages":      pages.Messages(p, nil, pages.Form{}),
		"conversation":  pages.Conversation(p, "Andrew Bayko", nil, "bayko", "", pages.Form{}),
		"signup":        pages.Signup(page(t, nil), pages.Form{}),
		"signin":        pages.Signin(page(t, nil), pages.Form{}),
		"error":         pages.ErrorPage(p, "Not found", "gone"),
	} {
		doc := render(t, c)
		if title := doc.Find("title").Text(); !strings.HasSuffix(title, "· Cruddur") {
			t.Errorf("%s: title %q", name, title)
		}
		if n := doc.Find("h1").Length(); n != 1 {
			t.Errorf("%s: %d h1 elements", name, n)
		}
		if doc.Find("main").Length() != 1 || doc.Find("nav").Length() != 1 || doc.Find("aside").Length() != 1 {
			t.Errorf("%s: missing a landmark", name)
		}
		doc.Find("script").Each(func(_ int, s *goquery.Selection) {
			if n, _ := s.Attr("nonce"); n != "test-nonce" {
				t.Errorf("%s: a script without the nonce", name)
			}
		})
		doc.Find("input:not([type=hidden]), textarea, select").Each(func(_ int, s *goquery.Selection) {
			id, _ := s.Attr("id")
			if id == "" || doc.Find(`label[for="`+id+`"]`).Length() != 1 {
				t.Errorf("%s: field %q has no label", name, id)
			}
		})
	}
}

func TestNotifications_SayWhoDidWhatAndMarkUnread(t *testing.T) {
	crudID := uuid.New()
	list := []client.Notification{
		{Type: "reply", Handle: "bayko", Message: "Containers all the way down!", CreatedAt: now.Add(-time.Minute), ActivityUUID: &crudID},
		{Type: "follow", Handle: "londo", Read: true, CreatedAt: now.Add(-time.Hour)},
	}
	doc := render(t, pages.Notifications(page(t, &pages.Viewer{Handle: "andrewbrown"}), list, ""))
	items := doc.Find(`[data-testid="notification"]`)
	first := strings.Join(strings.Fields(items.First().Find("p").First().Text()), " ")
	if !strings.Contains(first, "bayko replied to your crud") || !items.First().HasClass("unread") || items.Last().HasClass("unread") {
		t.Fatalf("first notification reads %q (unread: %v)", first, items.First().HasClass("unread"))
	}
	if href, _ := items.First().Find(`a:contains("View")`).Attr("href"); href != "/activity/"+crudID.String() {
		t.Fatalf("View goes to %q", href)
	}
	if doc.Find(`[data-testid="mark-all-read"]`).Length() != 1 {
		t.Fatal("no mark all read button")
	}
	if render(t, pages.Notifications(page(t, &pages.Viewer{Handle: "a"}), list[1:], "")).Find(`[data-testid="mark-all-read"]`).Length() != 0 {
		t.Fatal("mark all read offered with nothing unread")
	}
}

func TestParts_LinkHashtagsAndMentionsButNotEmails(t *testing.T) {
	var got []string
	for _, p := range pages.Parts("mail me@example.com, ping @bayko about #AWS") {
		if p.Href != "" {
			got = append(got, p.Text+"->"+p.Href)
		}
	}
	if strings.Join(got, " ") != "@bayko->/@bayko #AWS->/search?term=%23AWS" {
		t.Fatalf("links: %v", got)
	}
}
