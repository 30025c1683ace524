package api

import (
	"context"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/cruddur/cruddur-go/backend/client"
	"github.com/cruddur/cruddur-go/backend/internal/store"
)

const (
	maxDisplayNameChars = 50
	maxBioChars         = 160
)

func toProfile(p store.Profile) client.Profile {
	return client.Profile{
		UUID: p.UUID, Handle: p.Handle, DisplayName: p.DisplayName, Bio: p.Bio, CreatedAt: p.CreatedAt,
		CrudsCount: p.CrudsCount, FollowersCount: p.FollowersCount, FollowingCount: p.FollowingCount,
		Following: p.Following,
	}
}

func validateDisplayName(name string) []string {
	switch {
	case name == "":
		return []string{"display_name_blank"}
	case utf8.RuneCountInString(name) > maxDisplayNameChars:
		return []string{"display_name_too_long"}
	}
	return nil
}

func (s *Server) userShort(w http.ResponseWriter, r *http.Request) {
	handle, ok := pathHandle(w, r)
	if !ok {
		return
	}
	u, err := s.store.UserByHandle(r.Context(), handle)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, client.UserShort{UUID: u.UUID, Handle: u.Handle, DisplayName: u.DisplayName})
}

func (s *Server) showProfile(w http.ResponseWriter, r *http.Request) {
	handle, ok := pathHandle(w, r)
	if !ok {
		return
	}
	s.writeProfile(w, r, handle)
}

func (s *Server) writeProfile(w http.ResponseWriter, r *http.Request, handle string) {
	p, err := s.store.ProfileByHandle(r.Context(), handle, viewer(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toProfile(p))
}

func (s *Server) follow(w http.ResponseWriter, r *http.Request) {
	s.changeFollow(w, r, s.store.Follow)
}

func (s *Server) unfollow(w http.ResponseWriter, r *http.Request) {
	s.changeFollow(w, r, s.store.Unfollow)
}

func (s *Server) changeFollow(w http.ResponseWriter, r *http.Request, change func(context.Context, uuid.UUID, string) error) {
	user, ok := requireUser(w, r)
	if !ok {
		return
	}
	handle, ok := pathHandle(w, r)
	if !ok {
		return
	}
	if err := change(r.Context(), user.UUID, handle); err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeProfile(w, r, handle)
}

func (s *Server) updateProfile(w http.ResponseWriter, r *http.Request) {
	user, ok := requireUser(w, r)
	if !ok {
		return
	}
	var in client.ProfileUpdate
	if !decode(w, r, &in) {
		return
	}
	in.DisplayName = strings.TrimSpace(in.DisplayName)
	in.Bio = strings.TrimSpace(in.Bio)
	codes := validateDisplayName(in.DisplayName)
	if utf8.RuneCountInString(in.Bio) > maxBioChars {
		codes = append(codes, "bio_too_long")
	}
	if len(codes) > 0 {
		writeError(w, http.StatusUnprocessableEntity, codes...)
		return
	}
	if _, err := s.store.UpdateProfile(r.Context(), user.UUID, in.DisplayName, in.Bio); err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeProfile(w, r, user.Handle)
}
