package main

import (
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The test binary doubles as the frontend binary when asked to.
func TestMain(m *testing.M) {
	if os.Getenv("CRUDDUR_FE_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func frontend(env []string, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), "CRUDDUR_FE_MAIN=1"), env...)
	return cmd
}

func freePort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}

func TestFrontend_ServesHealthAndStopsOnSIGTERM(t *testing.T) {
	port := freePort(t)
	env := []string{"PORT=" + port, "BACKEND_URL=http://127.0.0.1:1"}
	if err := frontend(env, "healthcheck").Run(); err == nil {
		t.Fatal("healthcheck passed with nothing listening")
	}
	srv := frontend(env, "serve")
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Process.Kill() })
	deadline := time.Now().Add(10 * time.Second)
	for frontend(env, "healthcheck").Run() != nil {
		if time.Now().After(deadline) {
			t.Fatal("never healthy")
		}
		time.Sleep(50 * time.Millisecond)
	}
	// The backend is away (port 1): the page says so, in a 503, not a crash.
	resp, err := http.Get("http://127.0.0.1:" + port + "/")
	if err != nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("home with the backend away: %v %v", resp, err)
	}
	srv.Process.Signal(syscall.SIGTERM)
	if err := srv.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v", err)
	}
}

func TestConfig_BadSettingStopsWithOneLine(t *testing.T) {
	out, err := frontend([]string{"BACKEND_URL=backend:4567"}, "serve").CombinedOutput()
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if err == nil || len(lines) != 1 || !strings.Contains(lines[0], "BACKEND_URL") {
		t.Fatalf("%v: %q", err, out)
	}
}
