package api

import (
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/cruddur/cruddur-go/backend/client"
	"github.com/cruddur/cruddur-go/backend/internal/store"
)

// Message limits, counted in Unicode characters.
const (
	maxCrudChars  = 280
	maxReplyChars = 1024
	maxTermChars  = 100
)

// ttls are the lifetimes a crud may be given, as Cruddur names them.
var ttls = map[string]time.Duration{
	"30-days":  30 * 24 * time.Hour,
	"7-days":   7 * 24 * time.Hour,
	"3-days":   3 * 24 * time.Hour,
	"1-day":    24 * time.Hour,
	"12-hours": 12 * time.Hour,
	"3-hours":  3 * time.Hour,
	"1-hour":   time.Hour,
}

func toActivity(a store.Activity) client.Activity {
	out := client.Activity{
		UUID: a.UUID, DisplayName: a.DisplayName, Handle: a.Handle, Message: a.Message,
		CreatedAt: a.CreatedAt.UTC(), ExpiresAt: a.ExpiresAt.UTC(),
		LikesCount: a.LikesCount, RepliesCount: a.RepliesCount, RepostsCount: a.RepostsCount,
		ReplyToActivityUUID: a.ReplyTo, Liked: a.Liked, Reposted: a.Reposted,
	}
	if a.ReplyTo == nil {
		out.Replies = make([]client.Activity, len(a.Replies))
		for i, r := range a.Replies {
			out.Replies[i] = toActivity(r)
		}
	}
	return out
}

func toActivities(list []store.Activity) []client.Activity {
	out := make([]client.Activity, len(list))
	for i, a := range list {
		out[i] = toActivity(a)
	}
	return out
}

func activityCursor(a client.Activity) store.Cursor {
	return store.Cursor{CreatedAt: a.CreatedAt, UUID: a.UUID}
}

// validateMessage trims a message and checks it is there and short enough.
func validateMessage(msg *string, max int, tooLong string) []string {
	*msg = strings.TrimSpace(*msg)
	switch {
	case *msg == "":
		return []string{"message_blank"}
	case utf8.RuneCountInString(*msg) > max:
		return []string{tooLong}
	}
	return nil
}

// pathUUID reads {uuid}; a malformed one names no activity.
func pathUUID(w http.ResponseWriter, r *http.Request) (uuid.UUID, bool) {
	id, err := uuid.Parse(chi.URLParam(r, "uuid"))
	if err != nil {
		writeError(w, http.StatusNotFound, "activity_not_found")
		return id, false
	}
	return id, true
}

// pathHandle reads @{handle}; a malformed one names no user.
func pathHandle(w http.ResponseWriter, r *http.Request) (string, bool) {
	h := normalizeHandle(chi.URLParam(r, "handle"))
	if !handlePattern.MatchString(h) {
		writeError(w, http.StatusNotFound, "user_not_found")
		return h, false
	}
	return h, true
}

func (s *Server) homeActivities(w http.ResponseWriter, r *http.Request) {
	p, ok := page(w, r)
	if !ok {
		return
	}
	list, err := s.store.HomeFeed(r.Context(), viewer(r), lookahead(p))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writePage(w, r, p, toActivities(list), activityCursor)
}

func (s *Server) userActivities(w http.ResponseWriter, r *http.Request) {
	handle, ok := pathHandle(w, r)
	if !ok {
		return
	}
	p, ok := page(w, r)
	if !ok {
		return
	}
	list, err := s.store.UserFeed(r.Context(), viewer(r), handle, lookahead(p))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writePage(w, r, p, toActivities(list), activityCursor)
}

func (s *Server) searchActivities(w http.ResponseWriter, r *http.Request) {
	term := strings.TrimSpace(r.URL.Query().Get("term"))
	switch {
	case !validText(term):
		writeError(w, http.StatusBadRequest, "invalid_text")
		return
	case term == "":
		writeError(w, http.StatusUnprocessableEntity, "search_term_blank")
		return
	case utf8.RuneCountInString(term) > maxTermChars:
		writeError(w, http.StatusUnprocessableEntity, "search_term_too_long")
		return
	}
	p, ok := page(w, r)
	if !ok {
		return
	}
	list, err := s.store.Search(r.Context(), viewer(r), term, lookahead(p))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writePage(w, r, p, toActivities(list), activityCursor)
}

func (s *Server) createActivity(w http.ResponseWriter, r *http.Request) {
	user, ok := requireUser(w, r)
	if !ok {
		return
	}
	var in client.NewActivity
	if !decode(w, r, &in) {
		return
	}
	codes := validateMessage(&in.Message, maxCrudChars, "message_exceed_max_chars")
	ttl, known := ttls[in.TTL]
	switch {
	case in.TTL == "":
		codes = append(codes, "ttl_blank")
	case !known:
		codes = append(codes, "ttl_invalid")
	}
	if len(codes) > 0 {
		writeError(w, http.StatusUnprocessableEntity, codes...)
		return
	}
	a, err := s.store.CreateActivity(r.Context(), user.UUID, in.Message, ttl)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", client.ActivityPath(a.UUID))
	writeJSON(w, http.StatusCreated, toActivity(a))
}

func (s *Server) showActivity(w http.ResponseWriter, r *http.Request) {
	id, ok := pathUUID(w, r)
	if !ok {
		return
	}
	a, err := s.store.ActivityByUUID(r.Context(), viewer(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toActivity(a))
}

// showStatus is /@handle/status/uuid: the crud, only under its author's handle.
func (s *Server) showStatus(w http.ResponseWriter, r *http.Request) {
	handle, ok := pathHandle(w, r)
	if !ok {
		return
	}
	id, ok := pathUUID(w, r)
	if !ok {
		return
	}
	a, err := s.store.ActivityByUUID(r.Context(), viewer(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if a.Handle != handle {
		writeError(w, http.StatusNotFound, "activity_not_found")
		return
	}
	writeJSON(w, http.StatusOK, toActivity(a))
}

func (s *Server) createReply(w http.ResponseWriter, r *http.Request) {
	user, ok := requireUser(w, r)
	if !ok {
		return
	}
	parent, ok := pathUUID(w, r)
	if !ok {
		return
	}
	var in client.NewReply
	if !decode(w, r, &in) {
		return
	}
	if codes := validateMessage(&in.Message, maxReplyChars, "message_exceed_max_chars_1024"); len(codes) > 0 {
		writeError(w, http.StatusUnprocessableEntity, codes...)
		return
	}
	a, err := s.store.CreateReply(r.Context(), user.UUID, parent, in.Message)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", client.ActivityPath(a.UUID))
	writeJSON(w, http.StatusCreated, toActivity(a))
}
