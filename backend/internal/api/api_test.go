package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cruddur/cruddur-go/backend/client"
	"github.com/cruddur/cruddur-go/backend/internal/auth"
	"github.com/cruddur/cruddur-go/backend/internal/config"
	"github.com/cruddur/cruddur-go/backend/internal/database"
	"github.com/cruddur/cruddur-go/backend/internal/dynamo"
	"github.com/cruddur/cruddur-go/backend/internal/outbox"
	"github.com/cruddur/cruddur-go/backend/internal/store"
	"github.com/cruddur/cruddur-go/backend/openapi"
	"github.com/cruddur/cruddur-go/backend/testenv"
	"github.com/cruddur/cruddur-go/backend/testenv/testbackend"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

// env is one test's backend: a real HTTP server over a fresh database and
// DynamoDB tables of its own, with the outbox dispatcher running.
type env struct {
	t      *testing.T
	URL    string
	Pool   *pgxpool.Pool
	HTTP   *http.Client // validates every answer against the OpenAPI document
	Anon   *client.Client
	logBuf *testenv.SyncBuffer

	Dynamo     config.DynamoDB
	DynamoOps  *testenv.CallRecorder // the API's DynamoDB calls
	Notes      *dynamo.Notifications
	Dispatcher *outbox.Dispatcher
}

type envOption func(*testbackend.Options)

func withDemo(handle string) envOption {
	return func(o *testbackend.Options) { o.DemoHandle = handle }
}

func withDBTimeout(d time.Duration) envOption {
	return func(o *testbackend.Options) { o.DBTimeout = d }
}

func withDispatcherVia(endpoint string) envOption {
	return func(o *testbackend.Options) { o.DispatcherEndpoint = endpoint }
}

func newEnv(t *testing.T, opts ...envOption) *env {
	t.Helper()
	return newEnvOnPool(t, testenv.Pool(t), opts...)
}

func newEnvOnPool(t *testing.T, pool *pgxpool.Pool, opts ...envOption) *env {
	t.Helper()
	logs := &testenv.SyncBuffer{}
	ops := &testenv.CallRecorder{}
	o := testbackend.Options{
		Pool:       pool,
		Logger:     slog.New(slog.NewJSONHandler(logs, nil)),
		DynamoHTTP: &http.Client{Transport: ops},
	}
	for _, opt := range opts {
		opt(&o)
	}
	b := testbackend.Start(t, o)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	hc := &http.Client{Timeout: 20 * time.Second, Transport: &validating{t: t, next: http.DefaultTransport}}
	ops.Take()
	return &env{t: t, URL: b.URL, Pool: pool, HTTP: hc, Anon: client.New(b.URL, hc), logBuf: logs,
		Dynamo: b.Dynamo, DynamoOps: ops, Notes: b.Notes, Dispatcher: b.Dispatcher}
}

// seed loads the demo data.
func (e *env) seed() {
	e.t.Helper()
	if err := database.Seed(context.Background(), e.Pool); err != nil {
		e.t.Fatal(err)
	}
}

var userSeq struct {
	sync.Mutex
	n int
}

// signup creates a user through the API and returns a client signed in as them.
func (e *env) signup(handle string) *client.Client {
	e.t.Helper()
	s, err := e.Anon.Signup(context.Background(), client.Signup{
		DisplayName: strings.ToUpper(handle[:1]) + handle[1:], Handle: handle,
		Email: handle + "@example.com", Password: "password-" + handle,
	})
	if err != nil {
		e.t.Fatalf("signup %s: %v", handle, err)
	}
	return e.Anon.WithToken(s.Token)
}

// signin signs a user in: seeded users with the development password,
// others with the password signup gave them.
func signin(t *testing.T, e *env, handle string) string {
	t.Helper()
	password := "password-" + handle
	if slices.Contains([]string{"andrewbrown", "altbrown", "bayko", "londo"}, handle) {
		password = "cruddur-dev"
	}
	s, err := e.Anon.Signin(context.Background(), handle, password)
	if err != nil {
		t.Fatalf("signin %s: %v", handle, err)
	}
	return s.Token
}

func storeFor(e *env) *store.Storage { return store.New(e.Pool) }

type dynamoAdmin struct {
	e   *env
	ddb *dynamodb.Client
}

func (e *env) dynamoAdmin() dynamoAdmin {
	return dynamoAdmin{e: e, ddb: testenv.DynamoClient(e.t, e.Dynamo, nil)}
}

// deleteTables drops this test's tables, as if DynamoDB were gone.
func (a dynamoAdmin) deleteTables() {
	for _, name := range []string{a.e.Dynamo.MessageTable, a.e.Dynamo.NotificationTable} {
		if _, err := a.ddb.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: &name}); err != nil {
			a.e.t.Fatal(err)
		}
	}
}

// fastUsers makes n signed-in users straight in the store, skipping bcrypt,
// for tests that need many.
func (e *env) fastUsers(n int) []*client.Client {
	e.t.Helper()
	st := store.New(e.Pool)
	out := make([]*client.Client, n)
	for i := range out {
		token, hash, _ := auth.NewToken()
		h := fmt.Sprintf("crowd%d", i)
		if _, err := st.CreateUser(context.Background(), store.NewUser{Handle: h, Email: h + "@example.com", DisplayName: h, PasswordHash: "x"}, hash); err != nil {
			e.t.Fatal(err)
		}
		out[i] = e.Anon.WithToken(token)
	}
	return out
}

// raw sends a request as given and returns the status and decoded error codes.
func (e *env) raw(method, path, contentType, body string, header ...string) (int, http.Header, []string) {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.URL+path, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := e.HTTP.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	var eb client.ErrorBody
	data, _ := io.ReadAll(resp.Body)
	json.Unmarshal(data, &eb)
	return resp.StatusCode, resp.Header, eb.Errors
}

// --- OpenAPI validation of every answer ---

var spec struct {
	once   sync.Once
	doc    *openapi3.T
	router routers.Router
	err    error
}

func loadSpec() (*openapi3.T, routers.Router, error) {
	spec.once.Do(func() {
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromData(openapi.Document)
		if err != nil {
			spec.err = err
			return
		}
		if err := doc.Validate(context.Background()); err != nil {
			spec.err = fmt.Errorf("openapi.yaml is not valid: %w", err)
			return
		}
		doc.Servers = nil // match any host: the tests' servers are on random ports
		spec.doc = doc
		spec.router, spec.err = legacy.NewRouter(doc)
	})
	return spec.doc, spec.router, spec.err
}

// validating checks each answer against the OpenAPI document: its status
// must be documented for the operation and its body must match the schema.
type validating struct {
	t    *testing.T
	next http.RoundTripper
}

func (v *validating) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := v.next.RoundTrip(req)
	if err != nil || req.Method == http.MethodOptions {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))

	doc, router, err := loadSpec()
	if err != nil {
		v.t.Errorf("openapi: %v", err)
		return resp, nil
	}
	route, params, err := router.FindRoute(req)
	if err != nil {
		// Undocumented paths and methods must still answer with an Error.
		if resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusMethodNotAllowed {
			v.t.Errorf("openapi: %s %s is not documented but answered %d", req.Method, req.URL.Path, resp.StatusCode)
		}
		var data any
		if jerr := json.Unmarshal(body, &data); jerr != nil {
			v.t.Errorf("openapi: %s %s answered %d with non-JSON %q", req.Method, req.URL.Path, resp.StatusCode, body)
		} else if verr := doc.Components.Schemas["Error"].Value.VisitJSON(data); verr != nil {
			v.t.Errorf("openapi: %s %s answered %d with a body that is not an Error: %v", req.Method, req.URL.Path, resp.StatusCode, verr)
		}
		return resp, nil
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
		},
		Status:  resp.StatusCode,
		Header:  resp.Header,
		Body:    io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(req.Context(), in); err != nil {
		v.t.Errorf("openapi: %s %s answered %d, which does not match the document: %v\nbody: %.500s", req.Method, req.URL.Path, resp.StatusCode, err, body)
	}
	return resp, nil
}

// wantCodes fails unless err is an API error with status and exactly codes.
func wantCodes(t *testing.T, err error, status int, codes ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %d %v", status, codes)
	}
	if got := client.StatusOf(err); got != status {
		t.Fatalf("got %v, want status %d %v", err, status, codes)
	}
	if got := client.ErrorCodes(err); strings.Join(got, ",") != strings.Join(codes, ",") {
		t.Fatalf("got codes %v, want %v", got, codes)
	}
}
