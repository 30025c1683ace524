package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/cruddur/cruddur-go/backend/client"
	"github.com/cruddur/cruddur-go/frontend/internal/pages"
)

func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	_, searched := r.URL.Query()["term"]
	term := strings.TrimSpace(r.URL.Query().Get("term"))
	form := pages.Form{Values: map[string]string{"term": term}}
	var results []client.Activity
	var searchErr error
	p, err := s.page(r, "Search", "", func(ctx context.Context) error {
		if searched {
			results, _, searchErr = sessionOf(r).api.Search(ctx, term, client.Page{Limit: 50})
		}
		return nil
	})
	if err == nil && codes(searchErr) == nil {
		err = searchErr
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	status := http.StatusOK
	if c := codes(searchErr); c != nil {
		form = pages.FormFromCodes(form.Values, c)
		status = http.StatusUnprocessableEntity
	}
	if term != "" {
		p.Title = "Search: " + term
	}
	s.render(w, r, status, pages.Search(p, form, results, searched))
}
