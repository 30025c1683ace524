package web

import "net/http"

// healthCheck says the frontend serves; whether the backend does is the
// backend's own health check.
func (s *Server) healthCheck(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte(`{"success":true}` + "\n"))
}
