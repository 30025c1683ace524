package api

import (
	"net/http"

	"github.com/cruddur/cruddur-go/backend/client"
)

// trendingHashtags feeds the sidebar's "Trending" box.
func (s *Server) trendingHashtags(w http.ResponseWriter, r *http.Request) {
	tags, err := s.store.TrendingHashtags(r.Context(), 5)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]client.Hashtag, len(tags))
	for i, t := range tags {
		out[i] = client.Hashtag{Hashtag: t.Tag, Count: t.Count}
	}
	writeJSON(w, http.StatusOK, out)
}

// suggestedUsers feeds the sidebar's "Suggested users" box.
func (s *Server) suggestedUsers(w http.ResponseWriter, r *http.Request) {
	users, err := s.store.SuggestedUsers(r.Context(), viewer(r), 3)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]client.UserShort, len(users))
	for i, u := range users {
		out[i] = client.UserShort{UUID: u.UUID, Handle: u.Handle, DisplayName: u.DisplayName}
	}
	writeJSON(w, http.StatusOK, out)
}
