// Package web is the frontend's HTTP side: one file per page, each handler
// reading and writing only through the API client, then rendering a templ
// page. Every action is a form POST answered with a redirect; htmx, where
// present, posts the same forms and swaps the answer in place.
package web

import (
	"log/slog"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/cruddur/cruddur-go/backend/client"
	"github.com/cruddur/cruddur-go/frontend/static"
)

// Options configures a Server.
type Options struct {
	API    *client.Client
	Assets *static.Assets
	Logger *slog.Logger
	// PublicURL is the origin browsers use; https makes cookies Secure.
	PublicURL string
	Secure    bool
	// DevReload allows same-origin scripts (templ's reload script) besides
	// the nonced ones.
	DevReload bool
}

// Server holds what the handlers share.
type Server struct {
	api       *client.Client
	assets    *static.Assets
	log       *slog.Logger
	secure    bool
	scriptSrc string // the CSP's script-src sources besides the nonce
}

// New returns the frontend's http.Handler.
func New(o Options) http.Handler {
	s := &Server{api: o.API, assets: o.Assets, log: o.Logger, secure: o.Secure}
	if o.DevReload {
		s.scriptSrc = "'self' "
	}
	if s.log == nil {
		s.log = slog.Default()
	}

	r := chi.NewRouter()
	r.Use(middleware.RequestID, s.logRequests, s.recoverPanics, s.securityHeaders)
	r.Handle("/static/*", o.Assets)
	r.Get("/health-check", s.healthCheck)

	r.Group(func(r chi.Router) {
		r.Use(s.loadSession)
		r.NotFound(s.notFound)
		r.MethodNotAllowed(s.notFound)

		r.Get("/", s.home)
		r.Post("/activities", s.createActivity)
		r.Post("/activities/{uuid}/like", s.like)
		r.Post("/activities/{uuid}/unlike", s.unlike)
		r.Post("/activities/{uuid}/repost", s.repost)
		r.Get("/activity/{uuid}", s.activityRedirect)

		r.Get("/notifications", s.notifications)
		r.Get("/notifications/badge", s.unreadBadge)
		r.Post("/notifications/read", s.markAllRead)

		r.Get("/@{handle}", s.profile)
		r.Post("/@{handle}/follow", s.follow)
		r.Post("/@{handle}/unfollow", s.unfollow)
		r.Post("/profile", s.updateProfile)
		r.Get("/@{handle}/status/{uuid}", s.status)
		r.Post("/@{handle}/status/{uuid}/reply", s.reply)

		r.Get("/search", s.search)

		r.Get("/messages", s.messageGroups)
		r.Get("/messages/new", s.newMessage)
		r.Get("/messages/new/{handle}", s.conversationWith)
		r.Get("/messages/{message_group_uuid}", s.conversation)
		r.Post("/messages", s.sendMessage)

		r.Get("/signup", s.signupPage)
		r.Post("/signup", s.signup)
		r.Get("/signin", s.signinPage)
		r.Post("/signin", s.signin)
		r.Get("/signout", s.signoutPage)
		r.Post("/signout", s.signout)
	})

	cop := http.NewCrossOriginProtection()
	if o.PublicURL != "" {
		if err := cop.AddTrustedOrigin(o.PublicURL); err != nil {
			s.log.Error("FRONTEND_URL cannot be trusted for cross-origin protection", "err", err)
		}
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "Cross-origin form posts are refused.", http.StatusForbidden)
	}))
	return cop.Handler(r)
}
