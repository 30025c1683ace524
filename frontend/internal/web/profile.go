package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/cruddur/cruddur-go/backend/client"
	"github.com/cruddur/cruddur-go/frontend/internal/pages"
)

func handleParam(r *http.Request) string {
	return strings.ToLower(chi.URLParam(r, "handle"))
}

func (s *Server) profile(w http.ResponseWriter, r *http.Request) {
	s.renderProfile(w, r, handleParam(r), http.StatusOK, pages.Form{})
}

func (s *Server) renderProfile(w http.ResponseWriter, r *http.Request, handle string, status int, edit pages.Form) {
	sess := sessionOf(r)
	var prof client.Profile
	var cruds []client.Activity
	p, err := s.page(r, "@"+handle, "", func(ctx context.Context) (err error) {
		prof, err = sess.api.Profile(ctx, handle)
		return
	}, func(ctx context.Context) (err error) {
		cruds, _, err = sess.api.UserActivities(ctx, handle, client.Page{})
		return
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Title = prof.DisplayName + " (@" + prof.Handle + ")"
	if p.Viewer != nil && p.Viewer.Handle == prof.Handle {
		p.Nav = "profile"
		if edit.Values == nil {
			edit.Values = map[string]string{"display_name": prof.DisplayName, "bio": prof.Bio}
		}
	}
	s.render(w, r, status, pages.Profile(p, prof, cruds, edit))
}

func (s *Server) follow(w http.ResponseWriter, r *http.Request) {
	s.changeFollow(w, r, (*client.Client).Follow)
}

func (s *Server) unfollow(w http.ResponseWriter, r *http.Request) {
	s.changeFollow(w, r, (*client.Client).Unfollow)
}

func (s *Server) changeFollow(w http.ResponseWriter, r *http.Request, do func(*client.Client, context.Context, string) (client.Profile, error)) {
	sess, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	handle := handleParam(r)
	if _, err := do(sess.api, r.Context(), handle); err != nil && codes(err) == nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/@"+handle, http.StatusSeeOther)
}

func (s *Server) updateProfile(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	in := formValues(r, "display_name", "bio")
	_, err := sess.api.UpdateProfile(r.Context(), client.ProfileUpdate{DisplayName: in["display_name"], Bio: in["bio"]})
	if c := codes(err); c != nil {
		s.renderProfile(w, r, sess.viewer.Handle, http.StatusUnprocessableEntity, pages.FormFromCodes(in, c))
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/@"+sess.viewer.Handle, http.StatusSeeOther)
}
