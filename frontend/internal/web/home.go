package web

import (
	"context"
	"net/http"

	"github.com/cruddur/cruddur-go/backend/client"
	"github.com/cruddur/cruddur-go/frontend/internal/pages"
)

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	s.renderHome(w, r, http.StatusOK, pages.Form{})
}

// renderHome shows the feed; after a refused crud, with the form's errors.
func (s *Server) renderHome(w http.ResponseWriter, r *http.Request, status int, form pages.Form) {
	sess := sessionOf(r)
	var feed []client.Activity
	var next string
	p, err := s.page(r, "Home", "home", func(ctx context.Context) (err error) {
		feed, next, err = sess.api.Home(ctx, client.Page{Cursor: r.URL.Query().Get("cursor")})
		return
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, pages.Home(p, form, feed, next))
}
