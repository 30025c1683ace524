package api

import (
	"context"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/cruddur/cruddur-go/backend/client"
	"github.com/cruddur/cruddur-go/backend/internal/dynamo"
	"github.com/cruddur/cruddur-go/backend/internal/store"
)

// conversationLength is how many of the latest messages a conversation shows.
const conversationLength = 100

func person(u store.User) dynamo.Person {
	return dynamo.Person{UUID: u.UUID, Handle: u.Handle, DisplayName: u.DisplayName}
}

func toMessages(list []dynamo.DirectMessage) []client.Message {
	out := make([]client.Message, len(list))
	for i, m := range list {
		out[i] = toMessage(m)
	}
	return out
}

func toMessage(m dynamo.DirectMessage) client.Message {
	return client.Message{UUID: m.UUID, MessageGroupUUID: m.GroupUUID, DisplayName: m.From.DisplayName,
		Handle: m.From.Handle, Message: m.Message, CreatedAt: m.CreatedAt.UTC()}
}

func (s *Server) messageGroups(w http.ResponseWriter, r *http.Request) {
	user, ok := requireUser(w, r)
	if !ok {
		return
	}
	groups, err := s.messages.Groups(r.Context(), user.UUID, 100)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]client.MessageGroup, len(groups))
	for i, g := range groups {
		out[i] = client.MessageGroup{UUID: g.UUID, DisplayName: g.With.DisplayName, Handle: g.With.Handle, Message: g.Message, CreatedAt: g.CreatedAt.UTC()}
	}
	writeJSON(w, http.StatusOK, out)
}

// groupMessages is a conversation by its uuid, only for its members.
func (s *Server) groupMessages(w http.ResponseWriter, r *http.Request) {
	user, ok := requireUser(w, r)
	if !ok {
		return
	}
	group, err := uuid.Parse(chi.URLParam(r, "message_group_uuid"))
	if err != nil {
		writeError(w, http.StatusNotFound, "message_group_not_found")
		return
	}
	if _, err := s.messages.Other(r.Context(), group, user.UUID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeConversation(w, r, group)
}

// messagesWith is my conversation with @handle (empty when we have none).
func (s *Server) messagesWith(w http.ResponseWriter, r *http.Request) {
	user, ok := requireUser(w, r)
	if !ok {
		return
	}
	handle, ok := pathHandle(w, r)
	if !ok {
		return
	}
	them, err := s.store.UserByHandle(r.Context(), handle)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeConversation(w, r, dynamo.GroupUUID(user.UUID, them.UUID))
}

func (s *Server) writeConversation(w http.ResponseWriter, r *http.Request, group uuid.UUID) {
	list, err := s.messages.Conversation(r.Context(), group, conversationLength)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toMessages(list))
}

func (s *Server) createMessage(w http.ResponseWriter, r *http.Request) {
	user, ok := requireUser(w, r)
	if !ok {
		return
	}
	var in client.NewMessage
	if !decode(w, r, &in) {
		return
	}
	codes := validateMessage(&in.Message, maxReplyChars, "message_exceed_max_chars_1024")
	in.Handle = normalizeHandle(in.Handle)
	if in.Handle == "" && in.MessageGroupUUID == "" {
		codes = append(codes, "user_receiver_handle_blank")
	}
	if len(codes) > 0 {
		writeError(w, http.StatusUnprocessableEntity, codes...)
		return
	}

	var them dynamo.Person
	if in.Handle != "" {
		if !handlePattern.MatchString(in.Handle) {
			writeError(w, http.StatusNotFound, "user_not_found")
			return
		}
		u, err := s.store.UserByHandle(r.Context(), in.Handle)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		them = person(u)
	} else {
		group, err := uuid.Parse(in.MessageGroupUUID)
		if err != nil {
			writeError(w, http.StatusNotFound, "message_group_not_found")
			return
		}
		if them, err = s.messages.Other(r.Context(), group, user.UUID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if them.UUID == user.UUID {
		writeError(w, http.StatusUnprocessableEntity, "cannot_message_self")
		return
	}

	msg, err := s.messages.Send(r.Context(), person(*user), them, in.Message)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.notifyMessage(r.Context(), msg, them)
	w.Header().Set("Location", "/api/messages/"+msg.GroupUUID.String())
	writeJSON(w, http.StatusCreated, toMessage(msg))
}

// notifyMessage tells the receiver. DynamoDB just took the message, so the
// notification goes there directly; should that fail, the outbox takes it
// with the same id and delivers it later. The message is sent either way.
func (s *Server) notifyMessage(ctx context.Context, msg dynamo.DirectMessage, to dynamo.Person) {
	id, err := uuid.NewV7()
	if err != nil {
		s.log.ErrorContext(ctx, "message notification", "err", err)
		return
	}
	n := dynamo.Notification{
		ID: id, Recipient: to.UUID, Type: dynamo.Message,
		ActorUUID: msg.From.UUID, ActorHandle: msg.From.Handle, ActorDisplayName: msg.From.DisplayName,
		SubjectUUID: msg.UUID, Message: msg.Message, CreatedAt: msg.CreatedAt, ExpiresAt: msg.CreatedAt.Add(dynamo.Lifetime),
	}
	// Own deadlines, not the request's: a slow first try must leave the
	// fallback time to run.
	ctx = context.WithoutCancel(ctx)
	putCtx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := s.notes.Put(putCtx, n); err == nil {
		return
	}
	outboxCtx, cancel2 := context.WithTimeout(ctx, 3*time.Second)
	defer cancel2()
	if err := s.store.NotifyMessage(outboxCtx, id, to.UUID, msg.From.UUID, msg.UUID, msg.Message); err != nil {
		s.log.ErrorContext(ctx, "message notification lost: DynamoDB and PostgreSQL both failed", "err", err, "message_uuid", msg.UUID)
	}
}
