package api

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/cruddur/cruddur-go/backend/internal/store"
)

// maxBody is the largest request body accepted.
const maxBody = 64 << 10

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// decode reads a JSON body into dst, or answers 415, 413 or 400 and returns false.
func decode(w http.ResponseWriter, r *http.Request, dst any) bool {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		writeError(w, http.StatusUnsupportedMediaType, "unsupported_media_type")
		return false
	}
	if r.ContentLength > maxBody {
		writeError(w, http.StatusRequestEntityTooLarge, "body_too_large")
		return false
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	err := dec.Decode(dst)
	if err == nil && dec.Decode(&struct{}{}) != io.EOF {
		err = errors.New("trailing data after the JSON value")
	}
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		writeError(w, http.StatusRequestEntityTooLarge, "body_too_large")
		return false
	case err != nil:
		writeError(w, http.StatusBadRequest, "invalid_json")
		return false
	case !textOK(reflect.ValueOf(dst)):
		writeError(w, http.StatusBadRequest, "invalid_text")
		return false
	}
	return true
}

// textOK reports whether every string in v can be stored: PostgreSQL text
// holds no NUL character.
func textOK(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer:
		return v.IsNil() || textOK(v.Elem())
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if !textOK(v.Field(i)) {
				return false
			}
		}
	case reflect.String:
		return validText(v.String())
	}
	return true
}

func validText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// page reads limit (default 20, at most 100) and cursor from the query.
func page(w http.ResponseWriter, r *http.Request) (store.Page, bool) {
	p := store.Page{Limit: 20}
	q := r.URL.Query()
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			writeError(w, http.StatusBadRequest, "invalid_limit")
			return p, false
		}
		p.Limit = min(n, 100)
	}
	if v := q.Get("cursor"); v != "" {
		c, err := decodeCursor(v)
		if err != nil {
			writeError(w, http.StatusBadRequest, "invalid_cursor")
			return p, false
		}
		p.Cursor = &c
	}
	return p, true
}

// Cursors are opaque to clients: base64url("<unix microseconds>.<uuid>").
func encodeCursor(c store.Cursor) string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%d.%s", c.CreatedAt.UnixMicro(), c.UUID))
}

func decodeCursor(s string) (store.Cursor, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return store.Cursor{}, err
	}
	at, id, ok := strings.Cut(string(raw), ".")
	micros, err1 := strconv.ParseInt(at, 10, 64)
	u, err2 := uuid.Parse(id)
	if !ok || err1 != nil || err2 != nil {
		return store.Cursor{}, errors.New("malformed cursor")
	}
	return store.Cursor{CreatedAt: time.UnixMicro(micros), UUID: u}, nil
}

// writePage answers a list fetched with Limit+1 rows: the extra row only
// says there is a next page, announced in a Link header.
func writePage[T any](w http.ResponseWriter, r *http.Request, p store.Page, items []T, last func(T) store.Cursor) {
	if len(items) > p.Limit {
		items = items[:p.Limit]
		q := r.URL.Query()
		q.Set("cursor", encodeCursor(last(items[len(items)-1])))
		q.Set("limit", strconv.Itoa(p.Limit))
		next := url.URL{Path: r.URL.Path, RawQuery: q.Encode()}
		w.Header().Set("Link", fmt.Sprintf("<%s>; rel=\"next\"", next.String()))
	}
	writeJSON(w, http.StatusOK, items)
}

// lookahead asks the store for one row more than the page shows.
func lookahead(p store.Page) store.Page {
	p.Limit++
	return p
}
