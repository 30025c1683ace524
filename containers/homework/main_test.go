package main

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cruddur/cruddur-go/backend/testenv"
	"github.com/cruddur/cruddur-go/backend/testenv/testbackend"
	"github.com/cruddur/cruddur-go/containers"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

// startFrontend builds and runs the frontend binary against backendURL.
func startFrontend(t *testing.T, backendURL string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "frontend")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = filepath.Join(containers.Root(), "frontend")
	build.Env = append(os.Environ(), "GOWORK=off")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build the frontend: %v\n%s", err, out)
	}
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), fmt.Sprintf("PORT=%d", port), "BACKEND_URL="+backendURL)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() })
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(url + "/health-check"); err == nil {
			resp.Body.Close()
			return url
		}
		if time.Now().After(deadline) {
			t.Fatal("the frontend never started")
		}
	}
}

func TestHomework_PassesAgainstTheHarnessStack(t *testing.T) {
	dbURL := testenv.DatabaseURL(t)
	b := testbackend.Start(t, testbackend.Options{Seed: true, DemoHandle: "andrewbrown"})
	cfg := Config{
		BackendURL: b.URL, FrontendURL: startFrontend(t, b.URL),
		DatabaseURL: dbURL, DynamoDBEndpoint: testenv.DynamoEndpoint(),
		Repo: containers.Root(), Login: "andrewbrown", Password: "cruddur-dev",
	}
	var out bytes.Buffer
	ok := run(t.Context(), cfg, &out)
	t.Log("\n" + out.String())
	if !ok {
		t.Fatal("the self-check failed against a working stack")
	}
	for _, want := range []string{
		"✅ Backend: GET /api/activities/notifications answers a JSON array that matches the OpenAPI document",
		"✅ OpenAPI document: has the /api/activities/notifications path",
		"✅ Frontend: the /notifications page renders",
		"✅ PostgreSQL: accepts a connection with the compose credentials",
		"✅ DynamoDB Local: create-table, put-item, scan, list-tables round trip",
		"✅ Dockerfiles: multi-stage builds",
		"✅ Docker compose: healthchecks on every long-running service",
		"✅ Dockerfiles: CMD runs an external script",
		"All week 1 checks pass.",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the checklist lacks %q", want)
		}
	}
}

func TestHomework_FailsWithTheFix(t *testing.T) {
	cfg := Config{
		BackendURL: "http://127.0.0.1:1", FrontendURL: "http://127.0.0.1:1",
		DatabaseURL: "postgresql://postgres:password@127.0.0.1:1/cruddur", DynamoDBEndpoint: "http://127.0.0.1:1",
		Repo: containers.Root(),
	}
	var out bytes.Buffer
	if run(t.Context(), cfg, &out) {
		t.Fatalf("passed with nothing running:\n%s", out.String())
	}
	text := out.String()
	if strings.Count(text, "❌") != 5 || !strings.Contains(text, "fix: start the stack") || !strings.Contains(text, "fix: is dynamodb-local up") {
		t.Fatalf("checklist:\n%s", text)
	}
	// The repository checks still pass: they need no running stack.
	if !strings.Contains(text, "✅ Dockerfiles: multi-stage builds") {
		t.Fatalf("checklist:\n%s", text)
	}
}
