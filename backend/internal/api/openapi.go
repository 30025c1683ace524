package api

import (
	"net/http"

	"github.com/cruddur/cruddur-go/backend/openapi"
)

func (s *Server) openAPIDocument(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	w.Write(openapi.Document)
}
