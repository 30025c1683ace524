package web

import (
	"context"
	"net/http"

	"github.com/cruddur/cruddur-go/backend/client"
	"github.com/cruddur/cruddur-go/frontend/internal/pages"
)

func (s *Server) notifications(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	var list []client.Notification
	var next string
	p, err := s.page(r, "Notifications", "notifications", func(ctx context.Context) (err error) {
		list, next, err = sess.api.Notifications(ctx, client.Page{Limit: 50, Cursor: r.URL.Query().Get("cursor")})
		return
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, pages.Notifications(p, list, next))
}

func (s *Server) markAllRead(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	if _, err := sess.api.MarkRead(r.Context(), nil); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/notifications", http.StatusSeeOther)
}

// unreadBadge is polled by htmx to keep the badge current on every page.
func (s *Server) unreadBadge(w http.ResponseWriter, r *http.Request) {
	n := 0
	if v := sessionOf(r).viewer; v != nil {
		n = v.Unread
	}
	s.render(w, r, http.StatusOK, pages.UnreadBadge(n))
}
