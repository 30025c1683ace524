package web

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/cruddur/cruddur-go/backend/client"
	"github.com/cruddur/cruddur-go/frontend/internal/pages"
)

// session is who is asking: their API client and, when signed in, who they are.
type session struct {
	api    *client.Client
	viewer *pages.Viewer
}

type sessionKey struct{}

// cookieName is "__Host-" prefixed over https, which pins the cookie to this
// host, path / and Secure.
func (s *Server) cookieName() string {
	if s.secure {
		return "__Host-cruddur_session"
	}
	return "cruddur_session"
}

// setSession keeps the API token in an HttpOnly cookie the page's scripts cannot read.
func (s *Server) setSession(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{
		Name: s.cookieName(), Value: token, Path: "/",
		MaxAge: int((30 * 24 * time.Hour).Seconds()), HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode,
	})
}

func (s *Server) clearSession(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(), Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
}

// loadSession finds who is signed in: the cookie's token, checked with the
// API (with the unread count for the badge, in parallel). A token the API
// refuses is dropped.
func (s *Server) loadSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess := &session{api: s.api}
		if c, err := r.Cookie(s.cookieName()); err == nil && c.Value != "" {
			api := s.api.WithToken(c.Value)
			var me client.Me
			var unread int
			var meErr error
			var wg sync.WaitGroup
			wg.Go(func() { me, meErr = api.Me(r.Context()) })
			wg.Go(func() { unread, _ = api.UnreadCount(r.Context()) })
			wg.Wait()
			switch {
			case client.StatusOf(meErr) == http.StatusUnauthorized:
				s.clearSession(w)
			case meErr != nil:
				s.fail(w, r, meErr)
				return
			default:
				sess.api = api
				sess.viewer = &pages.Viewer{Handle: me.Handle, DisplayName: me.DisplayName, Unread: unread}
			}
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), sessionKey{}, sess)))
	})
}

func sessionOf(r *http.Request) *session {
	if sess, ok := r.Context().Value(sessionKey{}).(*session); ok {
		return sess
	}
	return &session{}
}

// signedIn returns the session, or sends the visitor to sign in.
func (s *Server) signedIn(w http.ResponseWriter, r *http.Request) (*session, bool) {
	sess := sessionOf(r)
	if sess.viewer == nil {
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return nil, false
	}
	return sess, true
}
