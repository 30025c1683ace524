package api

import (
	"context"
	"net/http"

	"github.com/google/uuid"

	"github.com/cruddur/cruddur-go/backend/internal/store"
)

// react runs a like, unlike or repost by the signed-in user and answers
// with the activity as it now stands.
func (s *Server) react(w http.ResponseWriter, r *http.Request, do func(context.Context, uuid.UUID, uuid.UUID) (store.Activity, error)) {
	user, ok := requireUser(w, r)
	if !ok {
		return
	}
	id, ok := pathUUID(w, r)
	if !ok {
		return
	}
	a, err := do(r.Context(), user.UUID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toActivity(a))
}

func (s *Server) like(w http.ResponseWriter, r *http.Request)   { s.react(w, r, s.store.Like) }
func (s *Server) unlike(w http.ResponseWriter, r *http.Request) { s.react(w, r, s.store.Unlike) }
func (s *Server) repost(w http.ResponseWriter, r *http.Request) { s.react(w, r, s.store.Repost) }
