package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/cruddur/cruddur-go/backend/client"
	"github.com/cruddur/cruddur-go/frontend/internal/pages"
)

func (s *Server) messageGroups(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	var groups []client.MessageGroup
	p, err := s.page(r, "Messages", "messages", func(ctx context.Context) (err error) {
		groups, err = sess.api.MessageGroups(ctx)
		return
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, pages.Messages(p, groups, pages.Form{}))
}

// newMessage turns the "New message to" form into the conversation's URL.
func (s *Server) newMessage(w http.ResponseWriter, r *http.Request) {
	handle := strings.TrimPrefix(strings.TrimSpace(r.URL.Query().Get("handle")), "@")
	if handle == "" {
		http.Redirect(w, r, "/messages", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/messages/new/"+url.PathEscape(strings.ToLower(handle)), http.StatusSeeOther)
}

func (s *Server) conversationWith(w http.ResponseWriter, r *http.Request) {
	s.renderConversation(w, r, handleParam(r), "", http.StatusOK, pages.Form{})
}

func (s *Server) conversation(w http.ResponseWriter, r *http.Request) {
	s.renderConversation(w, r, "", chi.URLParam(r, "message_group_uuid"), http.StatusOK, pages.Form{})
}

// renderConversation shows my conversation with a handle, or a group's.
func (s *Server) renderConversation(w http.ResponseWriter, r *http.Request, handle, group string, status int, form pages.Form) {
	sess, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	var msgs []client.Message
	var with string
	p, err := s.page(r, "Messages", "messages", func(ctx context.Context) error {
		if handle != "" {
			u, err := sess.api.UserShort(ctx, handle)
			if err != nil {
				return err
			}
			with = u.DisplayName
			msgs, err = sess.api.MessagesWith(ctx, handle)
			return err
		}
		id, err := uuid.Parse(group)
		if err != nil {
			return &client.Error{Status: http.StatusNotFound}
		}
		if msgs, err = sess.api.Messages(ctx, id); err != nil {
			return err
		}
		with = "a conversation"
		for _, m := range msgs {
			if m.Handle != sess.viewer.Handle {
				with = m.DisplayName
				break
			}
		}
		return nil
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Title = "Messages with " + with
	s.render(w, r, status, pages.Conversation(p, with, msgs, handle, group, form))
}

func (s *Server) sendMessage(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	in := formValues(r, "message", "handle", "message_group_uuid")
	m, err := sess.api.SendMessage(r.Context(), client.NewMessage{Message: in["message"], Handle: in["handle"], MessageGroupUUID: in["message_group_uuid"]})
	if c := codes(err); c != nil {
		s.renderConversation(w, r, strings.ToLower(in["handle"]), in["message_group_uuid"], http.StatusUnprocessableEntity, pages.FormFromCodes(in, c))
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/messages/"+m.MessageGroupUUID.String(), http.StatusSeeOther)
}
