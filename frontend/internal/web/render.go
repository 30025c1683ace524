package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/a-h/templ"

	"github.com/cruddur/cruddur-go/backend/client"
	"github.com/cruddur/cruddur-go/frontend/internal/pages"
)

// page builds the layout's data, fetching the sidebar alongside whatever
// else the handler needs (extra), all in parallel. The first error wins.
func (s *Server) page(r *http.Request, title, nav string, extra ...func(context.Context) error) (pages.Page, error) {
	sess := sessionOf(r)
	p := pages.Page{Title: title, Nav: nav, Viewer: sess.viewer, Assets: s.assets, Now: time.Now(), Sidebar: pages.Sidebar{Term: r.URL.Query().Get("term")}}
	fns := append([]func(context.Context) error{
		func(ctx context.Context) (err error) {
			p.Sidebar.Trending, err = sess.api.TrendingHashtags(ctx)
			return
		},
		func(ctx context.Context) (err error) { p.Sidebar.Suggested, err = sess.api.SuggestedUsers(ctx); return },
	}, extra...)
	return p, parallel(r.Context(), fns...)
}

// parallel runs fns at once and returns the first error.
func parallel(ctx context.Context, fns ...func(context.Context) error) error {
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Go(func() { errs[i] = fn(ctx) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

var gzipPool = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression); return w }}

// render writes a component in full or not at all, compressed when the
// browser accepts it.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	var buf bytes.Buffer
	if err := c.Render(r.Context(), &buf); err != nil {
		s.log.ErrorContext(r.Context(), "render", "err", err, "path", r.URL.Path)
		http.Error(w, "Something went wrong on our side. Please try again.", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Add("Vary", "Accept-Encoding, HX-Request")
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") && buf.Len() > 512 {
		h.Set("Content-Encoding", "gzip")
		w.WriteHeader(status)
		gz := gzipPool.Get().(*gzip.Writer)
		gz.Reset(w)
		gz.Write(buf.Bytes())
		gz.Close()
		gzipPool.Put(gz)
		return
	}
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// fail shows the page an API error deserves: 404, sign in, or a friendly
// 503 when the backend is away; anything else is logged and a 500.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := client.StatusOf(err)
	switch {
	case status == http.StatusNotFound:
		s.errorPage(w, r, http.StatusNotFound, "Not found", "There is nothing here. It may have expired: cruds do.")
	case status == http.StatusUnauthorized:
		s.clearSession(w)
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
	case status == http.StatusForbidden:
		s.errorPage(w, r, http.StatusForbidden, "Not yours", "That conversation is not one of yours.")
	case status == 0 || status == http.StatusServiceUnavailable || status == http.StatusBadGateway:
		s.log.WarnContext(r.Context(), "backend unavailable", "err", err)
		w.Header().Set("Retry-After", "5")
		s.errorPage(w, r, http.StatusServiceUnavailable, "Cruddur is catching its breath",
			"We cannot reach Cruddur's backend right now. Please try again in a moment.")
	default:
		s.log.ErrorContext(r.Context(), "backend error", "err", err)
		s.errorPage(w, r, http.StatusInternalServerError, "Something went wrong", "Something went wrong on our side. Please try again.")
	}
}

// errorPage renders without the sidebar's API calls: the API may be the problem.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, heading, message string) {
	p := s.layoutOnly(r)
	p.Title = heading
	s.render(w, r, status, pages.ErrorPage(p, heading, message))
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.errorPage(w, r, http.StatusNotFound, "Not found", "There is nothing here. It may have expired: cruds do.")
}

// codes returns an API validation error's codes (422), or nil.
func codes(err error) []string {
	if client.StatusOf(err) == http.StatusUnprocessableEntity {
		return client.ErrorCodes(err)
	}
	return nil
}

// back is where a form post returns to: the page it came from when that is
// ours, else fallback.
func back(r *http.Request, fallback string) string {
	ref, err := url.Parse(r.Referer())
	if err != nil || ref.Host != r.Host || !strings.HasPrefix(ref.Path, "/") || strings.HasPrefix(ref.Path, "//") {
		return fallback
	}
	if ref.RawQuery != "" {
		return ref.Path + "?" + ref.RawQuery
	}
	return ref.Path
}

func isHTMX(r *http.Request) bool { return r.Header.Get("HX-Request") == "true" }

// formValues reads the named fields of a posted form.
func formValues(r *http.Request, names ...string) map[string]string {
	r.Body = http.MaxBytesReader(nil, r.Body, 64<<10)
	r.ParseForm()
	v := map[string]string{}
	for _, n := range names {
		v[n] = r.PostForm.Get(n)
	}
	return v
}

// layoutOnly is the page data that needs no API call: who and when.
func (s *Server) layoutOnly(r *http.Request) pages.Page {
	return pages.Page{Viewer: sessionOf(r).viewer, Assets: s.assets, Now: time.Now()}
}
