package web

import (
	"context"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/cruddur/cruddur-go/backend/client"
	"github.com/cruddur/cruddur-go/frontend/internal/pages"
)

// createActivity posts the crud form; a refused crud shows the home page
// again with the text kept and the error next to its field.
func (s *Server) createActivity(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	in := formValues(r, "message", "ttl")
	_, err := sess.api.CreateActivity(r.Context(), in["message"], in["ttl"])
	if c := codes(err); c != nil {
		s.renderHome(w, r, http.StatusUnprocessableEntity, pages.FormFromCodes(in, c))
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (s *Server) like(w http.ResponseWriter, r *http.Request) {
	s.react(w, r, (*client.Client).Like)
}

func (s *Server) unlike(w http.ResponseWriter, r *http.Request) {
	s.react(w, r, (*client.Client).Unlike)
}

func (s *Server) repost(w http.ResponseWriter, r *http.Request) {
	s.react(w, r, (*client.Client).Repost)
}

// react likes, unlikes or reposts; htmx gets the card back to swap in,
// a plain form post a redirect to the page it came from.
func (s *Server) react(w http.ResponseWriter, r *http.Request, do func(*client.Client, context.Context, uuid.UUID) (client.Activity, error)) {
	sess, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	id, err := uuid.Parse(chi.URLParam(r, "uuid"))
	if err != nil {
		s.notFound(w, r)
		return
	}
	a, err := do(sess.api, r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if isHTMX(r) {
		p := s.layoutOnly(r)
		s.render(w, r, http.StatusOK, pages.Crud(a, p.Viewer, p.Now))
		return
	}
	http.Redirect(w, r, back(r, "/"), http.StatusSeeOther)
}

// activityRedirect sends /activity/{uuid} to the crud's page (a reply's
// crud for a reply): notifications know the activity, not its author.
func (s *Server) activityRedirect(w http.ResponseWriter, r *http.Request) {
	id, err := uuid.Parse(chi.URLParam(r, "uuid"))
	if err != nil {
		s.notFound(w, r)
		return
	}
	api := sessionOf(r).api
	a, err := api.Activity(r.Context(), id)
	if err == nil && a.ReplyToActivityUUID != nil {
		a, err = api.Activity(r.Context(), *a.ReplyToActivityUUID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, pages.StatusURL(a.Handle, a.UUID), http.StatusSeeOther)
}
