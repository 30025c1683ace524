package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cruddur/cruddur-go/backend/client"
	"github.com/cruddur/cruddur-go/backend/testenv"
)

// The test binary doubles as the backend binary when asked to.
func TestMain(m *testing.M) {
	if os.Getenv("CRUDDUR_BE_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(testenv.Main(m))
}

func backend(t *testing.T, env []string, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Args[0] = "backend"
	cmd.Env = append(append(os.Environ(), "CRUDDUR_BE_MAIN=1"), env...)
	return cmd
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func TestConfig_MissingDatabaseURLStopsWithOneClearLine(t *testing.T) {
	cmd := backend(t, []string{"DATABASE_URL=", "CONNECTION_URL="}, "serve")
	out, err := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); err == nil || code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], "DATABASE_URL is not set") {
		t.Fatalf("output %q", out)
	}
}

func TestHealthcheck_FailsWhenNothingListens(t *testing.T) {
	cmd := backend(t, []string{"PORT=" + strconv.Itoa(freePort(t))}, "healthcheck")
	if err := cmd.Run(); err == nil || cmd.ProcessState.ExitCode() != 1 {
		t.Fatalf("healthcheck with nothing listening exited %v", err)
	}
}

// migrate, seed, serve, healthcheck, then SIGTERM: the README's first run.
func TestBackend_MigrateSeedServeAndStopGracefully(t *testing.T) {
	dbURL := testenv.DatabaseURL(t)
	ddb := testenv.DynamoConfig(t)
	port := freePort(t)
	env := []string{"DATABASE_URL=" + dbURL, "PORT=" + strconv.Itoa(port), "DEMO_HANDLE=andrewbrown",
		"DYNAMODB_ENDPOINT=" + ddb.Endpoint, "DDB_MESSAGE_TABLE=" + ddb.MessageTable, "DDB_NOTIFICATION_TABLE=" + ddb.NotificationTable}

	for _, cmd := range []string{"migrate", "setup", "seed"} {
		if out, err := backend(t, env, cmd).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", cmd, err, out)
		}
	}

	srv := backend(t, env, "serve")
	stdout, _ := srv.StdoutPipe()
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Process.Kill() })
	logs := make(chan string, 1000)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			logs <- sc.Text()
		}
		close(logs)
	}()

	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(15 * time.Second)
	for backend(t, env, "healthcheck").Run() != nil {
		if time.Now().After(deadline) {
			t.Fatal("backend never became healthy")
		}
		time.Sleep(100 * time.Millisecond)
	}
	c := client.New(base, nil)
	feed, _, err := c.Home(context.Background(), client.Page{})
	if err != nil || len(feed) != 10 {
		t.Fatalf("seeded feed: %d cruds, %v", len(feed), err)
	}
	me, err := c.Me(context.Background())
	if err != nil || me.Handle != "andrewbrown" {
		t.Fatalf("demo identity: %+v %v", me, err)
	}
	if s, err := c.Signin(context.Background(), "andrewbrown", "cruddur-dev"); err != nil || s.Token == "" {
		t.Fatalf("the README's development password does not work: %v", err)
	}
	// The seed's notifications and conversation are there on first run,
	// and stay the same after the second seed.
	notes, _, err := c.Notifications(context.Background(), client.Page{Limit: 100})
	if err != nil || len(notes) != 11 {
		t.Fatalf("andrewbrown's seeded notifications: %d, %v", len(notes), err)
	}
	convo, err := c.MessagesWith(context.Background(), "bayko")
	if err != nil || len(convo) != 5 || convo[4].Handle != "bayko" {
		t.Fatalf("seeded conversation: %+v %v", convo, err)
	}
	groups, err := c.MessageGroups(context.Background())
	if err != nil || len(groups) != 1 {
		t.Fatalf("seeded message groups: %+v %v", groups, err)
	}
	// A reply by bayko reaches andrewbrown through the running dispatcher.
	bayko, err := c.Signin(context.Background(), "bayko", "cruddur-dev")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.WithToken(bayko.Token).Reply(context.Background(), feed[0].UUID, "nice one"); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		n, err := c.UnreadCount(context.Background())
		if err == nil && n == 12 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("unread count after bayko's reply: %d, %v; want 12", n, err)
		}
	}

	// Requests under way when SIGTERM arrives still get their answers.
	results := make(chan int, 20)
	for i := 0; i < 20; i++ {
		go func() {
			resp, err := http.Get(base + "/api/activities/home")
			if err != nil {
				results <- 0
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			results <- resp.StatusCode
		}()
	}
	time.Sleep(5 * time.Millisecond)
	srv.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- srv.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("backend exited with %v after SIGTERM, want 0", err)
		}
	case <-time.After(12 * time.Second):
		t.Fatal("backend did not stop within 12s of SIGTERM")
	}
	for i := 0; i < 20; i++ {
		if r := <-results; r != 200 && r != 0 {
			t.Fatalf("a request during shutdown got %d", r)
		}
	}

	var all []string
	for l := range logs {
		all = append(all, l)
	}
	text := strings.Join(all, "\n")
	for _, want := range []string{`"msg":"DEMO_HANDLE is set`, `"msg":"request"`, `"request_id":`, `"msg":"stopped"`} {
		if !strings.Contains(text, want) {
			t.Errorf("logs lack %s:\n%.2000s", want, text)
		}
	}
	if strings.Contains(text, "cruddur-dev") {
		t.Error("a password reached the logs")
	}
}
