package web

import (
	"context"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/cruddur/cruddur-go/backend/client"
	"github.com/cruddur/cruddur-go/frontend/internal/pages"
)

func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	s.renderStatus(w, r, http.StatusOK, pages.Form{})
}

func (s *Server) renderStatus(w http.ResponseWriter, r *http.Request, status int, reply pages.Form) {
	id, err := uuid.Parse(chi.URLParam(r, "uuid"))
	if err != nil {
		s.notFound(w, r)
		return
	}
	sess := sessionOf(r)
	var a client.Activity
	p, err := s.page(r, "Crud", "", func(ctx context.Context) (err error) {
		a, err = sess.api.Status(ctx, handleParam(r), id)
		return
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Title = "Crud by " + a.DisplayName
	if isHTMX(r) {
		// htmx swaps only 2xx answers; the errors are in the fragment.
		s.render(w, r, http.StatusOK, pages.Thread(p, a, reply))
		return
	}
	s.render(w, r, status, pages.Status(p, a, reply))
}

// reply posts the reply form; htmx gets the thread back, a plain post a redirect.
func (s *Server) reply(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	id, err := uuid.Parse(chi.URLParam(r, "uuid"))
	if err != nil {
		s.notFound(w, r)
		return
	}
	in := formValues(r, "message")
	_, err = sess.api.Reply(r.Context(), id, in["message"])
	if c := codes(err); c != nil {
		s.renderStatus(w, r, http.StatusUnprocessableEntity, pages.FormFromCodes(in, c))
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if isHTMX(r) {
		s.renderStatus(w, r, http.StatusOK, pages.Form{})
		return
	}
	http.Redirect(w, r, pages.StatusURL(handleParam(r), id), http.StatusSeeOther)
}
