package api_test

import (
	"io"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/cruddur/cruddur-go/backend/internal/api"
	"github.com/cruddur/cruddur-go/backend/openapi"
)

// Every route the server has is in the document, and every operation in
// the document is served.
func TestOpenAPI_DocumentsExactlyTheRoutesServed(t *testing.T) {
	doc, _, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented[method+" "+path] = true
		}
	}
	served := map[string]bool{}
	routes := api.New(api.Options{}).(chi.Routes)
	err = chi.Walk(routes, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		served[method+" "+strings.TrimSuffix(route, "/")] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var missing, unserved []string
	for r := range served {
		if !documented[r] {
			missing = append(missing, r)
		}
	}
	for r := range documented {
		if !served[r] {
			unserved = append(unserved, r)
		}
	}
	sort.Strings(missing)
	sort.Strings(unserved)
	if len(missing) > 0 {
		t.Errorf("served but not in openapi.yaml: %v", missing)
	}
	if len(unserved) > 0 {
		t.Errorf("in openapi.yaml but not served: %v", unserved)
	}
}

func TestOpenAPI_DocumentIsServed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	resp, err := e.HTTP.Get(e.URL + "/api/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || string(body) != string(openapi.Document) || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/yaml") {
		t.Fatalf("GET /api/openapi.yaml: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if !strings.Contains(string(body), "/api/activities/notifications:") {
		t.Fatal("the week-1 homework path is not documented")
	}
}
