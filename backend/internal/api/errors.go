package api

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/cruddur/cruddur-go/backend/client"
	"github.com/cruddur/cruddur-go/backend/internal/dynamo"
	"github.com/cruddur/cruddur-go/backend/internal/store"
)

// writeError is the one way an error reaches a client: {"errors": [codes]}.
func writeError(w http.ResponseWriter, status int, codes ...string) {
	writeJSON(w, status, client.ErrorBody{Errors: codes})
}

// fail maps an error from the store to its status and code; anything it
// does not know is logged and answered 500 without details.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, store.ErrUserNotFound):
		writeError(w, http.StatusNotFound, "user_not_found")
	case errors.Is(err, store.ErrActivityNotFound):
		writeError(w, http.StatusNotFound, "activity_not_found")
	case errors.Is(err, store.ErrHandleTaken):
		writeError(w, http.StatusUnprocessableEntity, "handle_taken")
	case errors.Is(err, store.ErrEmailTaken):
		writeError(w, http.StatusUnprocessableEntity, "email_taken")
	case errors.Is(err, store.ErrSelfFollow):
		writeError(w, http.StatusUnprocessableEntity, "cannot_follow_self")
	case errors.Is(err, dynamo.ErrNotificationNotFound):
		writeError(w, http.StatusNotFound, "notification_not_found")
	case errors.Is(err, dynamo.ErrGroupNotFound):
		writeError(w, http.StatusNotFound, "message_group_not_found")
	case errors.Is(err, dynamo.ErrNotMember):
		writeError(w, http.StatusForbidden, "not_a_member")
	case errors.Is(err, dynamo.ErrBadCursor):
		writeError(w, http.StatusBadRequest, "invalid_cursor")
	case errors.Is(err, dynamo.ErrUnavailable):
		s.log.WarnContext(r.Context(), "dynamodb unavailable", "err", err, "request_id", middleware.GetReqID(r.Context()))
		writeError(w, http.StatusServiceUnavailable, "dynamodb_unavailable")
	case unavailable(err):
		s.log.WarnContext(r.Context(), "database unavailable", "err", err, "request_id", middleware.GetReqID(r.Context()))
		writeError(w, http.StatusServiceUnavailable, "database_unavailable")
	default:
		s.log.ErrorContext(r.Context(), "internal error", "err", err, "request_id", middleware.GetReqID(r.Context()))
		writeError(w, http.StatusInternalServerError, "internal_error")
	}
}

// unavailable reports whether err means PostgreSQL could not be reached or
// did not answer in time, rather than a fault in the query.
func unavailable(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// 08: connection exception; 57P: server shutting down or starting; 53300: too many connections.
		return strings.HasPrefix(pgErr.Code, "08") || strings.HasPrefix(pgErr.Code, "57P") || pgErr.Code == "53300"
	}
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	return errors.As(err, &connectErr) || errors.As(err, &netErr) || pgconn.Timeout(err) || pgconn.SafeToRetry(err)
}
