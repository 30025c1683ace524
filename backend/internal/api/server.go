// Package api is Cruddur's JSON API: a chi router over the store, one file
// per resource. Handlers decode and validate, call the store once, and
// answer with JSON or one error.
package api

import (
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/google/uuid"

	"github.com/cruddur/cruddur-go/backend/internal/dynamo"
	"github.com/cruddur/cruddur-go/backend/internal/store"
)

// Options configures a Server.
type Options struct {
	Store         *store.Storage
	Notifications *dynamo.Notifications
	Messages      *dynamo.Messages
	Logger        *slog.Logger
	// AllowedOrigins may call the API from a browser (FRONTEND_URL, BACKEND_URL).
	AllowedOrigins []string
	// DemoHandle, when set, is who requests without a token act as (development only).
	DemoHandle string
	// DBTimeout bounds each request's time on PostgreSQL; 5s when zero.
	DBTimeout time.Duration
	Version   string
}

// Server holds what the handlers share.
type Server struct {
	store     *store.Storage
	notes     *dynamo.Notifications
	messages  *dynamo.Messages
	log       *slog.Logger
	origins   map[string]bool
	demo      string
	dbTimeout time.Duration
	version   string

	demoMu   sync.Mutex
	demoUser *store.User
}

// New returns the API's http.Handler.
func New(o Options) http.Handler {
	s := &Server{
		store:     o.Store,
		notes:     o.Notifications,
		messages:  o.Messages,
		log:       o.Logger,
		origins:   map[string]bool{},
		demo:      o.DemoHandle,
		dbTimeout: o.DBTimeout,
		version:   o.Version,
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.dbTimeout == 0 {
		s.dbTimeout = 5 * time.Second
	}
	for _, origin := range o.AllowedOrigins {
		s.origins[origin] = true
	}
	return s.routes()
}

func (s *Server) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.RequestID, s.logRequests, s.recoverPanics, s.cors)
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "not_found")
	})
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed")
	})

	r.Route("/api", func(r chi.Router) {
		r.Use(s.limitDBTime, s.authenticate)

		r.Get("/health-check", s.healthCheck)
		r.Get("/openapi.yaml", s.openAPIDocument)

		r.Post("/auth/signup", s.signup)
		r.Post("/auth/signin", s.signin)
		r.Post("/auth/signout", s.signout)
		r.Get("/me", s.me)

		r.Get("/activities/home", s.homeActivities)
		r.Get("/activities/search", s.searchActivities)
		r.Post("/activities", s.createActivity)
		r.Get("/activities/@{handle}", s.userActivities)
		r.Get("/activities/@{handle}/status/{uuid}", s.showStatus)
		r.Get("/activities/{uuid}", s.showActivity)
		r.Post("/activities/{uuid}/reply", s.createReply)
		r.Post("/activities/{uuid}/like", s.like)
		r.Delete("/activities/{uuid}/like", s.unlike)
		r.Post("/activities/{uuid}/repost", s.repost)

		r.Get("/activities/notifications", s.listNotifications)
		r.Get("/notifications/unread_count", s.unreadCount)
		r.Post("/notifications/read", s.markRead)
		r.Delete("/notifications/{id}", s.dismissNotification)

		r.Get("/message_groups", s.messageGroups)
		r.Get("/messages/@{handle}", s.messagesWith)
		r.Get("/messages/{message_group_uuid}", s.groupMessages)
		r.Post("/messages", s.createMessage)

		r.Get("/hashtags/trending", s.trendingHashtags)
		r.Get("/users/suggested", s.suggestedUsers)

		r.Get("/users/@{handle}/short", s.userShort)
		r.Get("/users/@{handle}", s.showProfile)
		r.Post("/users/@{handle}/follow", s.follow)
		r.Delete("/users/@{handle}/follow", s.unfollow)
		r.Post("/profile/update", s.updateProfile)
	})
	return r
}

// viewer is the signed-in user's uuid, or uuid.Nil.
func viewer(r *http.Request) uuid.UUID {
	if u := currentUser(r); u != nil {
		return u.UUID
	}
	return uuid.Nil
}
