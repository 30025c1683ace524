package api_test

import (
	"strings"
	"testing"

	"github.com/cruddur/cruddur-go/backend/client"
)

func TestSignup_CreatesAccountAndSignsIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s, err := e.Anon.Signup(ctx, client.Signup{DisplayName: " Ada Lovelace ", Handle: "@Ada_L", Email: " Ada@Example.COM ", Password: "analytical engine"})
	if err != nil {
		t.Fatal(err)
	}
	if s.User.Handle != "ada_l" || s.User.Email != "ada@example.com" || s.User.DisplayName != "Ada Lovelace" || len(s.Token) < 40 {
		t.Fatalf("signup answer %+v", s)
	}
	me, err := e.Anon.WithToken(s.Token).Me(ctx)
	if err != nil || me.UUID != s.User.UUID {
		t.Fatalf("me with the new token: %+v %v", me, err)
	}
	var hash string
	var sessions int
	e.Pool.QueryRow(ctx, `SELECT password_hash FROM users WHERE handle = 'ada_l'`).Scan(&hash)
	e.Pool.QueryRow(ctx, `SELECT count(*) FROM sessions s JOIN users u ON u.uuid = s.user_uuid WHERE u.handle = 'ada_l'`).Scan(&sessions)
	if !strings.HasPrefix(hash, "$2a$") || strings.Contains(hash, "analytical") {
		t.Fatalf("password stored as %q, want a bcrypt hash", hash)
	}
	var plain int
	e.Pool.QueryRow(ctx, `SELECT count(*) FROM sessions WHERE token_hash = convert_to($1, 'UTF8')`, s.Token).Scan(&plain)
	if sessions != 1 || plain != 0 {
		t.Fatalf("%d sessions, %d stored in plain text; want 1 hashed", sessions, plain)
	}
}

func TestSignup_RejectsTakenHandleAndEmailCaseInsensitively(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.signup("taken")
	_, err := e.Anon.Signup(ctx, client.Signup{DisplayName: "Copy", Handle: "TAKEN", Email: "other@example.com", Password: "long enough"})
	wantCodes(t, err, 422, "handle_taken")
	_, err = e.Anon.Signup(ctx, client.Signup{DisplayName: "Copy", Handle: "other", Email: "TAKEN@example.com", Password: "long enough"})
	wantCodes(t, err, 422, "email_taken")
	var users int
	e.Pool.QueryRow(ctx, `SELECT count(*) FROM users`).Scan(&users)
	if users != 1 {
		t.Fatalf("%d users, want 1", users)
	}
}

func TestSignup_ValidatesEveryField(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, c := range []struct {
		in    client.Signup
		codes []string
	}{
		{client.Signup{}, []string{"display_name_blank", "handle_blank", "email_blank", "password_blank"}},
		{client.Signup{DisplayName: strings.Repeat("n", 51), Handle: "ab", Email: "no-at-sign", Password: "short"},
			[]string{"display_name_too_long", "handle_invalid", "email_invalid", "password_too_short"}},
		{client.Signup{DisplayName: "Ok", Handle: "has-dash", Email: "a@b", Password: strings.Repeat("p", 73)},
			[]string{"handle_invalid", "email_invalid", "password_too_long"}},
		{client.Signup{DisplayName: "Ok", Handle: strings.Repeat("h", 31), Email: "Name <x@example.com>", Password: "long enough"},
			[]string{"handle_invalid", "email_invalid"}},
	} {
		_, err := e.Anon.Signup(ctx, c.in)
		wantCodes(t, err, 422, c.codes...)
	}
}

func TestSignin_ByHandleOrEmail(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.signup("grace")
	for _, login := range []string{"grace", "@Grace", "GRACE@example.com"} {
		s, err := e.Anon.Signin(ctx, login, "password-grace")
		if err != nil || s.User.Handle != "grace" || s.Token == "" {
			t.Fatalf("signin as %q: %+v %v", login, s, err)
		}
	}
}

func TestSignin_WrongCredentialsGetOneGeneric401(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.signup("grace")
	_, err := e.Anon.Signin(ctx, "grace", "wrong password")
	wantCodes(t, err, 401, "invalid_credentials")
	_, err = e.Anon.Signin(ctx, "nobody", "wrong password")
	wantCodes(t, err, 401, "invalid_credentials")
	_, err = e.Anon.Signin(ctx, "", "")
	wantCodes(t, err, 422, "login_blank", "password_blank")
	if strings.Contains(e.logBuf.String(), "wrong password") || strings.Contains(e.logBuf.String(), "password-grace") {
		t.Fatal("a password reached the logs")
	}
}

func TestSignout_RevokesTheToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	me := e.signup("leaver")
	if _, err := me.Me(ctx); err != nil {
		t.Fatal(err)
	}
	if err := me.Signout(ctx); err != nil {
		t.Fatal(err)
	}
	_, err := me.Me(ctx)
	wantCodes(t, err, 401, "invalid_token")
	err = e.Anon.Signout(ctx)
	wantCodes(t, err, 401, "authentication_required")
	_, err = e.Anon.Me(ctx)
	wantCodes(t, err, 401, "authentication_required")
}

func TestSession_ExpiredTokenIsRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	me := e.signup("old")
	e.Pool.Exec(ctx, `UPDATE sessions SET expires_at = now() - interval '1 second'`)
	_, err := me.Me(ctx)
	wantCodes(t, err, 401, "invalid_token")
}

func TestDemoHandle_ActsAsThatUserWithoutAToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withDemo("andrewbrown"))
	e.seed()
	me, err := e.Anon.Me(ctx)
	if err != nil || me.Handle != "andrewbrown" {
		t.Fatalf("me: %+v %v", me, err)
	}
	a, err := e.Anon.CreateActivity(ctx, "posted as the demo user", "1-hour")
	if err != nil || a.Handle != "andrewbrown" {
		t.Fatalf("create: %+v %v", a, err)
	}
	// A token still wins, and a bad token is still refused.
	other := e.signup("someone")
	if m, _ := other.Me(ctx); m.Handle != "someone" {
		t.Fatalf("token user = %q", m.Handle)
	}
	_, err = e.Anon.WithToken("bogus").Me(ctx)
	wantCodes(t, err, 401, "invalid_token")
}

func TestDemoHandle_UnsetMeans401(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seed()
	_, err := e.Anon.Me(ctx)
	wantCodes(t, err, 401, "authentication_required")
}
