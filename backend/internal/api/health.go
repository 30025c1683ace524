package api

import (
	"context"
	"net/http"
	"time"

	"github.com/cruddur/cruddur-go/backend/client"
)

// healthCheck answers 200 while PostgreSQL answers, 503 otherwise, with
// each dependency's state either way. DynamoDB being away is reported but
// not fatal: notifications wait in the outbox, messages answer 503.
func (s *Server) healthCheck(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	h := client.Health{Success: true, Version: s.version, Dependencies: map[string]string{"postgres": "ok"}}
	if err := s.store.Ping(ctx); err != nil {
		h.Success = false
		h.Dependencies["postgres"] = "unavailable"
	}
	if s.notes != nil {
		h.Dependencies["dynamodb"] = "ok"
		if err := s.notes.Ping(ctx); err != nil {
			h.Dependencies["dynamodb"] = "unavailable"
		}
	}
	status := http.StatusOK
	if !h.Success {
		status = http.StatusServiceUnavailable
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, h)
}
