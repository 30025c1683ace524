package api

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/cruddur/cruddur-go/backend/client"
	"github.com/cruddur/cruddur-go/backend/internal/dynamo"
)

// listNotifications is GET /api/activities/notifications, the week-1
// homework path: the signed-in user's notifications, newest first.
func (s *Server) listNotifications(w http.ResponseWriter, r *http.Request) {
	user, ok := requireUser(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	p := dynamo.NotificationPage{Limit: 20, Cursor: q.Get("cursor"), Types: q["types[]"]}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			writeError(w, http.StatusBadRequest, "invalid_limit")
			return
		}
		p.Limit = min(n, 100)
	}
	for _, t := range p.Types {
		if !slices.Contains(dynamo.Types, t) {
			writeError(w, http.StatusBadRequest, "invalid_types")
			return
		}
	}
	list, next, err := s.notes.List(r.Context(), user.UUID, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// Counts are live, from PostgreSQL, in one query for the page.
	var subjects []uuid.UUID
	for _, n := range list {
		if n.ActivityUUID != nil {
			subjects = append(subjects, n.SubjectUUID)
		}
	}
	counts, err := s.store.ActivityCounts(r.Context(), subjects)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]client.Notification, len(list))
	for i, n := range list {
		c := counts[n.SubjectUUID]
		out[i] = client.Notification{
			UUID: n.SubjectUUID, NotificationID: n.ID, Type: n.Type, Read: n.Read, ActivityUUID: n.ActivityUUID,
			Handle: n.ActorHandle, DisplayName: n.ActorDisplayName, Message: n.Message,
			CreatedAt: n.CreatedAt.UTC(), ExpiresAt: n.ExpiresAt.UTC(),
			LikesCount: c[0], RepliesCount: c[1], RepostsCount: c[2],
			Actor: client.UserShort{UUID: n.ActorUUID, Handle: n.ActorHandle, DisplayName: n.ActorDisplayName},
		}
	}
	if next != "" {
		q.Set("cursor", next)
		q.Set("limit", strconv.Itoa(p.Limit))
		w.Header().Set("Link", "<"+r.URL.Path+"?"+q.Encode()+`>; rel="next"`)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) unreadCount(w http.ResponseWriter, r *http.Request) {
	user, ok := requireUser(w, r)
	if !ok {
		return
	}
	n, err := s.notes.UnreadCount(r.Context(), user.UUID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, client.UnreadCount{Count: n})
}

// markRead marks all unread notifications read, or those up to an id; the
// body is optional.
func (s *Server) markRead(w http.ResponseWriter, r *http.Request) {
	user, ok := requireUser(w, r)
	if !ok {
		return
	}
	var in client.MarkRead
	if r.ContentLength != 0 && !decode(w, r, &in) {
		return
	}
	n, err := s.notes.MarkRead(r.Context(), user.UUID, in.UpTo)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, client.Marked{Marked: n})
}

func (s *Server) dismissNotification(w http.ResponseWriter, r *http.Request) {
	user, ok := requireUser(w, r)
	if !ok {
		return
	}
	id, err := uuid.Parse(chi.URLParam(r, "id"))
	if err != nil {
		writeError(w, http.StatusNotFound, "notification_not_found")
		return
	}
	if err := s.notes.Dismiss(r.Context(), user.UUID, id); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
