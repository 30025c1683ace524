package web

import (
	"net/http"

	"github.com/a-h/templ"

	"github.com/cruddur/cruddur-go/backend/client"
	"github.com/cruddur/cruddur-go/frontend/internal/pages"
)

func (s *Server) signupPage(w http.ResponseWriter, r *http.Request) {
	s.renderAuth(w, r, http.StatusOK, "Join Cruddur", pages.Signup, pages.Form{})
}

func (s *Server) signinPage(w http.ResponseWriter, r *http.Request) {
	s.renderAuth(w, r, http.StatusOK, "Sign in", pages.Signin, pages.Form{})
}

func (s *Server) signoutPage(w http.ResponseWriter, r *http.Request) {
	p, err := s.page(r, "Sign out", "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, pages.Signout(p))
}

func (s *Server) renderAuth(w http.ResponseWriter, r *http.Request, status int, title string, page func(pages.Page, pages.Form) templ.Component, form pages.Form) {
	p, err := s.page(r, title, "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, page(p, form))
}

func (s *Server) signup(w http.ResponseWriter, r *http.Request) {
	in := formValues(r, "display_name", "handle", "email", "password")
	sess, err := s.api.Signup(r.Context(), client.Signup{DisplayName: in["display_name"], Handle: in["handle"], Email: in["email"], Password: in["password"]})
	s.finishAuth(w, r, "Join Cruddur", pages.Signup, in, sess, err)
}

func (s *Server) signin(w http.ResponseWriter, r *http.Request) {
	in := formValues(r, "login", "password")
	sess, err := s.api.Signin(r.Context(), in["login"], in["password"])
	if client.StatusOf(err) == http.StatusUnauthorized {
		err = &client.Error{Status: http.StatusUnprocessableEntity, Codes: client.ErrorCodes(err)}
	}
	s.finishAuth(w, r, "Sign in", pages.Signin, in, sess, err)
}

// finishAuth sets the session cookie and goes home, or shows the form again
// with its errors (never the password).
func (s *Server) finishAuth(w http.ResponseWriter, r *http.Request, title string, page func(pages.Page, pages.Form) templ.Component, in map[string]string, sess client.Session, err error) {
	if c := codes(err); c != nil {
		delete(in, "password")
		s.renderAuth(w, r, http.StatusUnprocessableEntity, title, page, pages.FormFromCodes(in, c))
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.setSession(w, sess.Token)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (s *Server) signout(w http.ResponseWriter, r *http.Request) {
	if sess := sessionOf(r); sess.viewer != nil {
		// The cookie goes either way; a token the API could not revoke now expires by itself.
		if err := sess.api.Signout(r.Context()); err != nil {
			s.log.WarnContext(r.Context(), "signout: token not revoked", "err", err)
		}
	}
	s.clearSession(w)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
