// Package static serves the frontend's CSS, JavaScript and vendored htmx
// from the binary, under content-hashed names, so they can be cached for a
// year and still change the moment they do.
package static

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed css js vendor
var files embed.FS

type asset struct {
	body, gzipped []byte
	contentType   string
}

// Assets maps file names (css/app.css) to their hashed URLs and content.
type Assets struct {
	urls   map[string]string // "css/app.css" -> "/static/css/app.1a2b3c4d5e.css"
	byPath map[string]asset  // "/static/css/app.1a2b3c4d5e.css" -> content
}

// New hashes and compresses every embedded file.
func New() (*Assets, error) {
	a := &Assets{urls: map[string]string{}, byPath: map[string]asset{}}
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(name, ".go") {
			return err
		}
		body, err := files.ReadFile(name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ext := path.Ext(name)
		url := "/static/" + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext
		var gz bytes.Buffer
		w, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		w.Write(body)
		w.Close()
		a.urls[name] = url
		a.byPath[url] = asset{body: body, gzipped: gz.Bytes(), contentType: mime.TypeByExtension(ext)}
		return nil
	})
	return a, err
}

// URL is the hashed URL of a file such as "css/app.css"; it panics on a
// name that is not embedded, which the page tests catch.
func (a *Assets) URL(name string) string {
	u, ok := a.urls[name]
	if !ok {
		panic("static: no asset " + name)
	}
	return u
}

// ServeHTTP serves a hashed URL, compressed when the client accepts gzip.
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f, ok := a.byPath[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("Vary", "Accept-Encoding")
	body := f.body
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		body = f.gzipped
	}
	w.Write(body)
}
