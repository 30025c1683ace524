package api_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cruddur/cruddur-go/backend/client"
)

var ctx = context.Background()

func TestHome_ShowsSeededCrudsNewestFirstWithReplies(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seed()
	feed, next, err := e.Anon.Home(ctx, client.Page{})
	if err != nil {
		t.Fatal(err)
	}
	if len(feed) != 10 || next != "" {
		t.Fatalf("got %d cruds (next %q), want the 10 seeded live cruds on one page", len(feed), next)
	}
	for i := 1; i < len(feed); i++ {
		if feed[i].CreatedAt.After(feed[i-1].CreatedAt) {
			t.Fatalf("feed not newest first at %d", i)
		}
	}
	first := feed[0]
	if first.Handle != "andrewbrown" || first.DisplayName != "Andrew Brown" || first.LikesCount != 3 || first.RepliesCount != 2 || first.RepostsCount != 1 {
		t.Fatalf("first crud = %+v", first)
	}
	if len(first.Replies) != 2 || first.Replies[0].Handle != "bayko" || *first.Replies[0].ReplyToActivityUUID != first.UUID {
		t.Fatalf("replies = %+v", first.Replies)
	}
	if !first.ExpiresAt.After(time.Now()) {
		t.Fatal("a listed crud has expired")
	}
}

func TestHome_HidesExpiredCrudsAndReplies(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	me := e.signup("alice")
	live, _ := me.CreateActivity(ctx, "still here", "1-hour")
	gone, _ := me.CreateActivity(ctx, "about to expire", "1-hour")
	reply, err := me.Reply(ctx, live.UUID, "a reply is not top-level")
	if err != nil {
		t.Fatal(err)
	}
	e.Pool.Exec(ctx, `UPDATE activities SET created_at = now() - interval '2 hours', expires_at = now() - interval '1 hour' WHERE uuid = $1`, gone.UUID)

	feed, _, err := e.Anon.Home(ctx, client.Page{})
	if err != nil {
		t.Fatal(err)
	}
	if len(feed) != 1 || feed[0].UUID != live.UUID || len(feed[0].Replies) != 1 || feed[0].Replies[0].UUID != reply.UUID {
		t.Fatalf("feed = %+v, want only the live crud with its reply", feed)
	}
	_, err = e.Anon.Activity(ctx, gone.UUID)
	wantCodes(t, err, 404, "activity_not_found")
	_, err = me.Like(ctx, gone.UUID)
	wantCodes(t, err, 404, "activity_not_found")
	_, err = me.Reply(ctx, gone.UUID, "too late")
	wantCodes(t, err, 404, "activity_not_found")
}

func TestHome_PagesWithLinkHeaderAndCursor(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	me := e.signup("pager")
	var posted []uuid.UUID
	for i := 0; i < 7; i++ {
		a, err := me.CreateActivity(ctx, "crud "+string(rune('a'+i)), "1-day")
		if err != nil {
			t.Fatal(err)
		}
		posted = append(posted, a.UUID)
	}
	var seen []uuid.UUID
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("paging does not end")
		}
		list, next, err := e.Anon.Home(ctx, client.Page{Limit: 3, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range list {
			seen = append(seen, a.UUID)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if len(seen) != 7 {
		t.Fatalf("saw %d cruds over the pages, want 7", len(seen))
	}
	for i := range seen {
		if seen[i] != posted[len(posted)-1-i] {
			t.Fatalf("page order: item %d is %s, want %s", i, seen[i], posted[len(posted)-1-i])
		}
	}

	// The Link header itself, as a curl user sees it.
	_, h, _ := e.raw("GET", "/api/activities/home?limit=2", "", "")
	if link := h.Get("Link"); !strings.HasPrefix(link, "</api/activities/home?cursor=") || !strings.HasSuffix(link, `>; rel="next"`) {
		t.Fatalf("Link = %q", link)
	}
	if status, _, codes := e.raw("GET", "/api/activities/home?limit=0", "", ""); status != 400 || codes[0] != "invalid_limit" {
		t.Fatalf("limit=0: %d %v", status, codes)
	}
	if status, _, codes := e.raw("GET", "/api/activities/home?limit=abc", "", ""); status != 400 || codes[0] != "invalid_limit" {
		t.Fatalf("limit=abc: %d %v", status, codes)
	}
	if status, _, codes := e.raw("GET", "/api/activities/home?cursor=not-a-cursor", "", ""); status != 400 || codes[0] != "invalid_cursor" {
		t.Fatalf("bad cursor: %d %v", status, codes)
	}
	list, _, err := e.Anon.Home(ctx, client.Page{Limit: 1000})
	if err != nil || len(list) != 7 {
		t.Fatalf("limit=1000 is capped, not refused: %d items, %v", len(list), err)
	}
}

func TestUserActivities_ListsOnlyThatUsersLiveCruds(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seed()
	list, _, err := e.Anon.UserActivities(ctx, "bayko", client.Page{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 {
		t.Fatalf("bayko has %d cruds, want 2", len(list))
	}
	for _, a := range list {
		if a.Handle != "bayko" || a.ReplyToActivityUUID != nil {
			t.Fatalf("unexpected activity %+v", a)
		}
	}
	upper, _, err := e.Anon.UserActivities(ctx, "BayKo", client.Page{})
	if err != nil || len(upper) != 2 {
		t.Fatalf("handles are case-insensitive: %d, %v", len(upper), err)
	}
	_, _, err = e.Anon.UserActivities(ctx, "nobody_here", client.Page{})
	wantCodes(t, err, 404, "user_not_found")
	_, _, err = e.Anon.UserActivities(ctx, "no", client.Page{})
	wantCodes(t, err, 404, "user_not_found")
}

func TestSearch_FindsHashtagsAndWords(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seed()
	tagged, _, err := e.Anon.Search(ctx, "#100DaysOfCloud", client.Page{})
	if err != nil {
		t.Fatal(err)
	}
	if len(tagged) != 3 {
		t.Fatalf("#100DaysOfCloud found %d, want the 3 seeded cruds", len(tagged))
	}
	for _, a := range tagged {
		if !strings.Contains(strings.ToLower(a.Message), "#100daysofcloud") {
			t.Fatalf("search returned %q", a.Message)
		}
	}
	words, _, err := e.Anon.Search(ctx, "containers", client.Page{})
	if err != nil || len(words) != 2 { // a crud and a reply ("Containers all the way down!")
		t.Fatalf("'containers' found %d (%v), want 2", len(words), err)
	}
	none, _, err := e.Anon.Search(ctx, "zyzzyva", client.Page{})
	if err != nil || len(none) != 0 {
		t.Fatalf("unknown word found %d (%v)", len(none), err)
	}
	_, _, err = e.Anon.Search(ctx, "   ", client.Page{})
	wantCodes(t, err, 422, "search_term_blank")
	_, _, err = e.Anon.Search(ctx, strings.Repeat("x", 101), client.Page{})
	wantCodes(t, err, 422, "search_term_too_long")
	if status, _, codes := e.raw("GET", "/api/activities/search", "", ""); status != 422 || codes[0] != "search_term_blank" {
		t.Fatalf("no term: %d %v", status, codes)
	}
	if status, _, codes := e.raw("GET", "/api/activities/search?term=a%00b", "", ""); status != 400 || codes[0] != "invalid_text" {
		t.Fatalf("NUL in term: %d %v", status, codes)
	}
	if status, _, codes := e.raw("GET", "/api/activities/search?term=%ff%fe", "", ""); status != 400 || codes[0] != "invalid_text" {
		t.Fatalf("invalid UTF-8 in term: %d %v", status, codes)
	}
}

func TestCreateActivity_PostsACrudThatExpiresAfterItsTTL(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	me := e.signup("poster")
	for ttl, want := range map[string]time.Duration{
		"30-days": 30 * 24 * time.Hour, "7-days": 7 * 24 * time.Hour, "3-days": 72 * time.Hour,
		"1-day": 24 * time.Hour, "12-hours": 12 * time.Hour, "3-hours": 3 * time.Hour, "1-hour": time.Hour,
	} {
		a, err := me.CreateActivity(ctx, "  lives for "+ttl+"  ", ttl)
		if err != nil {
			t.Fatalf("%s: %v", ttl, err)
		}
		if got := a.ExpiresAt.Sub(a.CreatedAt); got < want-time.Second || got > want+time.Second {
			t.Fatalf("%s: lives %v", ttl, got)
		}
		if a.Message != "lives for "+ttl || a.Handle != "poster" || a.ReplyToActivityUUID != nil || a.Replies == nil {
			t.Fatalf("%s: %+v", ttl, a)
		}
	}
	feed, _, _ := e.Anon.Home(ctx, client.Page{})
	if len(feed) != 7 {
		t.Fatalf("home has %d cruds, want 7", len(feed))
	}
	_, h, _ := e.raw("POST", "/api/activities", "application/json", `{"message":"hi","ttl":"1-hour"}`, "Authorization", "Bearer "+token(t, e, "located"))
	if !strings.HasPrefix(h.Get("Location"), "/api/activities/") {
		t.Fatalf("Location = %q", h.Get("Location"))
	}
}

func TestCreateActivity_RejectsOver280Chars(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	me := e.signup("counter")
	// 280 characters, most of them several bytes: the limit is characters, not bytes.
	exact := strings.Repeat("é", 200) + strings.Repeat("🚀", 80)
	if _, err := me.CreateActivity(ctx, exact, "1-hour"); err != nil {
		t.Fatalf("280 characters refused: %v", err)
	}
	_, err := me.CreateActivity(ctx, exact+"!", "1-hour")
	wantCodes(t, err, 422, "message_exceed_max_chars")
	_, err = me.CreateActivity(ctx, " \n\t ", "")
	wantCodes(t, err, 422, "message_blank", "ttl_blank")
	_, err = me.CreateActivity(ctx, "hello", "2-weeks")
	wantCodes(t, err, 422, "ttl_invalid")
	var n int
	e.Pool.QueryRow(ctx, `SELECT count(*) FROM activities`).Scan(&n)
	if n != 1 {
		t.Fatalf("%d rows written, want only the valid crud", n)
	}
}

func TestCreateActivity_NeedsASignedInUser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, err := e.Anon.CreateActivity(ctx, "hello", "1-hour")
	wantCodes(t, err, 401, "authentication_required")
	_, err = e.Anon.WithToken("forged-token").CreateActivity(ctx, "hello", "1-hour")
	wantCodes(t, err, 401, "invalid_token")
	if status, _, codes := e.raw("POST", "/api/activities", "application/json", `{"message":"x","ttl":"1-hour"}`, "Authorization", "Basic abc"); status != 401 || codes[0] != "invalid_token" {
		t.Fatalf("Basic auth: %d %v", status, codes)
	}
}

func TestShowActivity_ByUUIDAndByStatusPath(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seed()
	id := uuid.MustParse("05bd861f-12de-4c7e-a095-45e431aef3db")
	a, err := e.Anon.Activity(ctx, id)
	if err != nil || a.UUID != id || len(a.Replies) != 2 {
		t.Fatalf("activity: %+v %v", a, err)
	}
	s, err := e.Anon.Status(ctx, "andrewbrown", id)
	if err != nil || s.UUID != id || len(s.Replies) != 2 {
		t.Fatalf("status: %+v %v", s, err)
	}
	reply, err := e.Anon.Activity(ctx, a.Replies[0].UUID)
	if err != nil || reply.ReplyToActivityUUID == nil || reply.Replies != nil {
		t.Fatalf("a reply: %+v %v", reply, err)
	}
	_, err = e.Anon.Status(ctx, "bayko", id)
	wantCodes(t, err, 404, "activity_not_found")
	_, err = e.Anon.Activity(ctx, uuid.New())
	wantCodes(t, err, 404, "activity_not_found")
	if status, _, codes := e.raw("GET", "/api/activities/not-a-uuid", "", ""); status != 404 || codes[0] != "activity_not_found" {
		t.Fatalf("malformed uuid: %d %v", status, codes)
	}
}

func TestReply_CountsOnTheCrudAndValidates(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	alice, bob := e.signup("alice"), e.signup("bob")
	crud, _ := alice.CreateActivity(ctx, "reply to me", "1-day")
	r1, err := bob.Reply(ctx, crud.UUID, strings.Repeat("ß", 1024))
	if err != nil {
		t.Fatalf("1024 characters refused: %v", err)
	}
	if r1.ExpiresAt != crud.ExpiresAt || *r1.ReplyToActivityUUID != crud.UUID {
		t.Fatalf("reply %+v does not expire with its crud", r1)
	}
	// A reply to a reply joins the crud's thread.
	r2, err := alice.Reply(ctx, r1.UUID, "thanks")
	if err != nil || *r2.ReplyToActivityUUID != crud.UUID {
		t.Fatalf("reply to reply: %+v %v", r2, err)
	}
	got, _ := e.Anon.Activity(ctx, crud.UUID)
	if got.RepliesCount != 2 || len(got.Replies) != 2 || got.Replies[0].UUID != r1.UUID {
		t.Fatalf("crud after replies: count %d, %d replies", got.RepliesCount, len(got.Replies))
	}
	_, err = bob.Reply(ctx, crud.UUID, strings.Repeat("ß", 1025))
	wantCodes(t, err, 422, "message_exceed_max_chars_1024")
	_, err = bob.Reply(ctx, crud.UUID, "  ")
	wantCodes(t, err, 422, "message_blank")
	_, err = bob.Reply(ctx, uuid.New(), "hello?")
	wantCodes(t, err, 404, "activity_not_found")
	_, err = e.Anon.Reply(ctx, crud.UUID, "anonymous")
	wantCodes(t, err, 401, "authentication_required")
}

func TestLike_IsIdempotentPerUser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	alice, bob := e.signup("alice"), e.signup("bob")
	crud, _ := alice.CreateActivity(ctx, "like me", "1-day")
	for i := 0; i < 3; i++ {
		a, err := bob.Like(ctx, crud.UUID)
		if err != nil || a.LikesCount != 1 || !a.Liked {
			t.Fatalf("like #%d: %+v %v", i+1, a, err)
		}
	}
	seen, _ := alice.Activity(ctx, crud.UUID)
	if seen.Liked || seen.LikesCount != 1 {
		t.Fatalf("alice sees liked=%v count=%d", seen.Liked, seen.LikesCount)
	}
	for i := 0; i < 2; i++ {
		a, err := bob.Unlike(ctx, crud.UUID)
		if err != nil || a.LikesCount != 0 || a.Liked {
			t.Fatalf("unlike #%d: %+v %v", i+1, a, err)
		}
	}
	for i := 0; i < 2; i++ {
		a, err := bob.Repost(ctx, crud.UUID)
		if err != nil || a.RepostsCount != 1 || !a.Reposted {
			t.Fatalf("repost #%d: %+v %v", i+1, a, err)
		}
	}
	_, err := bob.Like(ctx, uuid.New())
	wantCodes(t, err, 404, "activity_not_found")
	_, err = e.Anon.Like(ctx, crud.UUID)
	wantCodes(t, err, 401, "authentication_required")
}

func TestLike_CountIsExactUnderConcurrency(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	author := e.signup("author")
	crud, _ := author.CreateActivity(ctx, "everybody like this at once", "1-day")
	users := e.fastUsers(50)

	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for _, u := range users {
		wg.Add(2)
		go func() { defer wg.Done(); _, err := u.Like(ctx, crud.UUID); errs <- err }()
		go func() { defer wg.Done(); _, err := u.Repost(ctx, crud.UUID); errs <- err }()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	got, _ := e.Anon.Activity(ctx, crud.UUID)
	if got.LikesCount != 50 || got.RepostsCount != 50 {
		t.Fatalf("likes_count = %d, reposts_count = %d; want 50 and 50", got.LikesCount, got.RepostsCount)
	}
}

// token signs a new user up and returns the raw bearer token.
func token(t *testing.T, e *env, handle string) string {
	s, err := e.Anon.Signup(ctx, client.Signup{DisplayName: handle, Handle: handle, Email: handle + "@example.com", Password: "password-" + handle})
	if err != nil {
		t.Fatal(err)
	}
	return s.Token
}

var _ = http.MethodGet
