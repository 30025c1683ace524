package containers

import (
	"bytes"
	"fmt"
	"io"
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
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

func freePort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
}

// script runs one of scripts/ in its own process group, stopped (SIGTERM to
// the group) when the test ends; its output is kept for failures.
type script struct {
	cmd *exec.Cmd
	out *testenv.SyncBuffer
}

func startScript(t *testing.T, name string, env ...string) *script {
	t.Helper()
	cmd := exec.Command(filepath.Join(Root(), "scripts", name))
	out := &testenv.SyncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.Env = append(os.Environ(), append([]string{"TMPDIR=" + t.TempDir()}, env...)...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &script{cmd: cmd, out: out}
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		}
		if t.Failed() {
			t.Logf("%s output:\n%s", name, out.String())
		}
	})
	return s
}

// waitHTTP waits until url answers 200.
func waitHTTP(t *testing.T, url string, within time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		resp, err := http.Get(url)
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return string(body)
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never answered 200 (last: %v)", url, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// The dev images' CMD scripts work outside a container too: they build,
// serve, and the backend's restarts on a source change.
func TestDevScripts_BringUpBackendAndFrontendNatively(t *testing.T) {
	dbURL := testenv.DatabaseURL(t)
	ddb := testenv.DynamoTables(t)
	backendPort, frontendPort, proxyPort := freePort(t), freePort(t), freePort(t)
	backend := startScript(t, "dev-backend.sh",
		"PORT="+backendPort, "DATABASE_URL="+dbURL, "DYNAMODB_ENDPOINT="+ddb.Endpoint,
		"DDB_MESSAGE_TABLE="+ddb.MessageTable, "DDB_NOTIFICATION_TABLE="+ddb.NotificationTable, "DEMO_HANDLE=andrewbrown")
	health := waitHTTP(t, "http://127.0.0.1:"+backendPort+"/api/health-check", 3*time.Minute)
	if !strings.Contains(health, `"postgres":"ok"`) || !strings.Contains(health, `"dynamodb":"ok"`) {
		t.Fatalf("backend health: %s", health)
	}

	startScript(t, "dev-frontend.sh", "PORT="+frontendPort, "BACKEND_URL=http://127.0.0.1:"+backendPort,
		"TEMPL_PROXY_BIND=127.0.0.1", "TEMPL_PROXY_PORT="+proxyPort)
	page := waitHTTP(t, "http://127.0.0.1:"+frontendPort+"/", 3*time.Minute)
	if !strings.Contains(page, "<h1>Home</h1>") {
		t.Fatalf("frontend home: %.300s", page)
	}
	// Through templ's proxy the page carries the live-reload script.
	proxied := waitHTTP(t, "http://127.0.0.1:"+proxyPort+"/", time.Minute)
	if !strings.Contains(proxied, "/_templ/reload/script.js") {
		t.Fatalf("the proxy did not add the reload script: %.300s", proxied)
	}

	// A source change restarts the backend (mtime only; content untouched).
	touched := filepath.Join(Root(), "backend", "internal", "api", "health.go")
	info, _ := os.Stat(touched)
	t.Cleanup(func() { os.Chtimes(touched, info.ModTime(), info.ModTime()) })
	os.Chtimes(touched, time.Now(), time.Now())
	deadline := time.Now().Add(2 * time.Minute)
	for !strings.Contains(backend.out.String(), "source changed, restarting") {
		if time.Now().After(deadline) {
			t.Fatal("the backend script did not notice the change")
		}
		time.Sleep(200 * time.Millisecond)
	}
	waitHTTP(t, "http://127.0.0.1:"+backendPort+"/api/health-check", 2*time.Minute)
}

// make publish tags with the version and the commit, never only latest.
func TestPublish_DryRunPrintsTheExactCommands(t *testing.T) {
	cmd := exec.Command("make", "-s", "publish", "DRY_RUN=1")
	cmd.Dir = Root()
	cmd.Env = append(os.Environ(), "REGISTRY=registry.example.com/cruddur", "VERSION=1.2.3", "COMMIT=0123456789ab")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make publish: %v\n%s", err, out)
	}
	want := `docker build --file Dockerfile.backend --target prod --build-arg VERSION=1.2.3 --tag registry.example.com/cruddur/cruddur-backend:1.2.3 --tag registry.example.com/cruddur/cruddur-backend:0123456789ab .
docker push registry.example.com/cruddur/cruddur-backend:1.2.3
docker push registry.example.com/cruddur/cruddur-backend:0123456789ab
docker build --file Dockerfile.frontend --target prod --build-arg VERSION=1.2.3 --tag registry.example.com/cruddur/cruddur-frontend:1.2.3 --tag registry.example.com/cruddur/cruddur-frontend:0123456789ab .
docker push registry.example.com/cruddur/cruddur-frontend:1.2.3
docker push registry.example.com/cruddur/cruddur-frontend:0123456789ab
`
	if string(out) != want {
		t.Fatalf("make publish DRY_RUN=1 printed:\n%s\nwant:\n%s", out, want)
	}

	hub := exec.Command("make", "-s", "publish", "DRY_RUN=1")
	hub.Dir = Root()
	hub.Env = append(filterEnv("REGISTRY", "VERSION", "COMMIT"), "DOCKERHUB_USERNAME=andrewbrown")
	out, err = hub.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--tag docker.io/andrewbrown/cruddur-backend:") || strings.Contains(string(out), ":latest") {
		t.Fatalf("Docker Hub by default: %v\n%s", err, out)
	}

	none := exec.Command("make", "-s", "publish", "DRY_RUN=1")
	none.Dir = Root()
	none.Env = filterEnv("REGISTRY", "DOCKERHUB_USERNAME")
	if out, err := none.CombinedOutput(); err == nil || !bytes.Contains(out, []byte("set REGISTRY")) {
		t.Fatalf("with no registry: %v\n%s", err, out)
	}
}

func filterEnv(drop ...string) []string {
	var out []string
	for _, kv := range os.Environ() {
		keep := true
		for _, d := range drop {
			if strings.HasPrefix(kv, d+"=") {
				keep = false
			}
		}
		if keep {
			out = append(out, kv)
		}
	}
	return out
}
