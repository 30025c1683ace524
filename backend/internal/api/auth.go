package api

import (
	"context"
	"errors"
	"net/http"
	"net/mail"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/cruddur/cruddur-go/backend/client"
	"github.com/cruddur/cruddur-go/backend/internal/auth"
	"github.com/cruddur/cruddur-go/backend/internal/store"
)

type ctxKey int

const (
	userKey ctxKey = iota
	tokenKey
)

var handlePattern = regexp.MustCompile(`^[a-z0-9_]{3,30}$`)

// normalizeHandle lower-cases a handle and drops a leading @.
func normalizeHandle(h string) string {
	return strings.ToLower(strings.TrimPrefix(strings.TrimSpace(h), "@"))
}

// authenticate puts the user of a bearer token, or the demo user, in the
// request context. A token that is present but not valid is always a 401.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if header := r.Header.Get("Authorization"); header != "" {
			token, ok := strings.CutPrefix(header, "Bearer ")
			if !ok || token == "" || !validText(token) {
				writeError(w, http.StatusUnauthorized, "invalid_token")
				return
			}
			user, err := s.store.UserBySession(ctx, auth.HashToken(token))
			if errors.Is(err, store.ErrSessionNotFound) {
				writeError(w, http.StatusUnauthorized, "invalid_token")
				return
			}
			if err != nil {
				s.fail(w, r, err)
				return
			}
			ctx = context.WithValue(ctx, userKey, &user)
			ctx = context.WithValue(ctx, tokenKey, token)
		} else if s.demo != "" {
			if user := s.demoIdentity(ctx); user != nil {
				ctx = context.WithValue(ctx, userKey, user)
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// demoIdentity looks the demo user up until it exists (it may not be
// seeded yet), then remembers it.
func (s *Server) demoIdentity(ctx context.Context) *store.User {
	s.demoMu.Lock()
	u := s.demoUser
	s.demoMu.Unlock()
	if u != nil {
		return u
	}
	found, err := s.store.UserByHandle(ctx, s.demo)
	if err != nil {
		return nil
	}
	s.demoMu.Lock()
	s.demoUser = &found
	s.demoMu.Unlock()
	return &found
}

func currentUser(r *http.Request) *store.User {
	u, _ := r.Context().Value(userKey).(*store.User)
	return u
}

// requireUser answers 401 when nobody is signed in.
func requireUser(w http.ResponseWriter, r *http.Request) (*store.User, bool) {
	u := currentUser(r)
	if u == nil {
		writeError(w, http.StatusUnauthorized, "authentication_required")
		return nil, false
	}
	return u, true
}

func toMe(u store.User) client.Me {
	return client.Me{UUID: u.UUID, Handle: u.Handle, DisplayName: u.DisplayName, Bio: u.Bio, Email: u.Email, CreatedAt: u.CreatedAt}
}

func validateSignup(in *client.Signup) []string {
	var codes []string
	in.DisplayName = strings.TrimSpace(in.DisplayName)
	codes = append(codes, validateDisplayName(in.DisplayName)...)

	in.Handle = normalizeHandle(in.Handle)
	switch {
	case in.Handle == "":
		codes = append(codes, "handle_blank")
	case !handlePattern.MatchString(in.Handle):
		codes = append(codes, "handle_invalid")
	}

	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	if in.Email == "" {
		codes = append(codes, "email_blank")
	} else if addr, err := mail.ParseAddress(in.Email); err != nil || addr.Address != in.Email || len(in.Email) > 254 || !strings.Contains(in.Email[strings.LastIndex(in.Email, "@"):], ".") {
		codes = append(codes, "email_invalid")
	}

	switch {
	case in.Password == "":
		codes = append(codes, "password_blank")
	case utf8.RuneCountInString(in.Password) < 8:
		codes = append(codes, "password_too_short")
	case len(in.Password) > auth.MaxPasswordBytes:
		codes = append(codes, "password_too_long")
	}
	return codes
}

func (s *Server) signup(w http.ResponseWriter, r *http.Request) {
	var in client.Signup
	if !decode(w, r, &in) {
		return
	}
	if codes := validateSignup(&in); len(codes) > 0 {
		writeError(w, http.StatusUnprocessableEntity, codes...)
		return
	}
	hash, err := auth.HashPassword(in.Password)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	token, tokenHash, err := auth.NewToken()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	user, err := s.store.CreateUser(r.Context(), store.NewUser{
		Handle: in.Handle, Email: in.Email, DisplayName: in.DisplayName, PasswordHash: hash,
	}, tokenHash)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, client.Session{Token: token, User: toMe(user)})
}

func (s *Server) signin(w http.ResponseWriter, r *http.Request) {
	var in client.Signin
	if !decode(w, r, &in) {
		return
	}
	in.Login = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(in.Login), "@"))
	var codes []string
	if in.Login == "" {
		codes = append(codes, "login_blank")
	}
	if in.Password == "" {
		codes = append(codes, "password_blank")
	}
	if len(codes) > 0 {
		writeError(w, http.StatusUnprocessableEntity, codes...)
		return
	}
	user, hash, err := s.store.UserByLogin(r.Context(), in.Login)
	if err != nil && !errors.Is(err, store.ErrUserNotFound) {
		s.fail(w, r, err)
		return
	}
	// The same answer, in the same time, for an unknown login and a wrong password.
	if !auth.CheckPassword(hash, in.Password) {
		writeError(w, http.StatusUnauthorized, "invalid_credentials")
		return
	}
	token, tokenHash, err := auth.NewToken()
	if err == nil {
		err = s.store.CreateSession(r.Context(), tokenHash, user.UUID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, client.Session{Token: token, User: toMe(user)})
}

func (s *Server) signout(w http.ResponseWriter, r *http.Request) {
	token, _ := r.Context().Value(tokenKey).(string)
	if token == "" {
		writeError(w, http.StatusUnauthorized, "authentication_required")
		return
	}
	if err := s.store.DeleteSession(r.Context(), auth.HashToken(token)); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) {
	user, ok := requireUser(w, r)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, toMe(*user))
}
