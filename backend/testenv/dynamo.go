package testenv

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/cruddur/cruddur-go/backend/internal/config"
	"github.com/cruddur/cruddur-go/backend/internal/dynamo"
)

// Dynamo is a DynamoDB-protocol server: the one at DYNAMODB_ENDPOINT (such
// as amazon/dynamodb-local from docker compose), or dynalite started here.
type Dynamo struct {
	Endpoint string
	stop     func()
}

// Stop ends a dynalite this package started.
func (d *Dynamo) Stop() {
	if d.stop != nil {
		d.stop()
	}
}

// dynaliteDir is where package.json pins dynalite, next to this file.
func dynaliteDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "dynalite")
}

// StartDynamo returns the server at DYNAMODB_ENDPOINT when set; otherwise
// it installs dynalite from its lockfile if needed (npm ci) and starts it
// on a free loopback port.
func StartDynamo() (*Dynamo, error) {
	if ep := os.Getenv("DYNAMODB_ENDPOINT"); ep != "" {
		return &Dynamo{Endpoint: ep}, nil
	}
	return RunDynalite(0)
}

// RunDynalite starts dynalite on 127.0.0.1:port (0: a free port).
func RunDynalite(port int) (*Dynamo, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("testenv: Node.js is needed to run dynalite, the DynamoDB-protocol server for tests: install Node.js 20 (apt-get install nodejs npm) or set DYNAMODB_ENDPOINT to a DynamoDB Local")
	}
	dir := dynaliteDir()
	cli := filepath.Join(dir, "node_modules", "dynalite", "cli.js")
	if err := installDynalite(dir, cli); err != nil {
		return nil, err
	}
	if port == 0 {
		if port, err = freePort(); err != nil {
			return nil, err
		}
	}
	cmd := exec.Command(node, cli, "--host", "127.0.0.1", "--port", fmt.Sprint(port),
		"--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("testenv: start dynalite: %w", err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	deadline := time.Now().Add(20 * time.Second)
	for {
		if c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
			c.Close()
			break
		}
		select {
		case <-exited:
			return nil, fmt.Errorf("testenv: dynalite exited at start:\n%s", out.String())
		default:
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			return nil, fmt.Errorf("testenv: dynalite did not listen on %s within 20s:\n%s", addr, out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return &Dynamo{
		Endpoint: "http://" + addr,
		stop: func() {
			cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-exited:
			case <-time.After(3 * time.Second):
				cmd.Process.Kill()
			}
		},
	}, nil
}

var installMu sync.Mutex

func installDynalite(dir, cli string) error {
	installMu.Lock()
	defer installMu.Unlock()
	if _, err := os.Stat(cli); err == nil {
		return nil
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return fmt.Errorf("testenv: dynalite is not installed and npm is missing: install Node.js 20 with npm, or run `npm ci` in %s", dir)
	}
	cmd := exec.Command(npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("testenv: npm ci in %s: %w\n%s", dir, err, out)
	}
	return nil
}

var dynamoServer *Dynamo

// DynamoConfig names a notifications and a messages table of the test's
// own (not yet created), deleted when the test ends.
func DynamoConfig(t testing.TB) config.DynamoDB {
	t.Helper()
	if dynamoServer == nil {
		t.Fatal("testenv: no DynamoDB server: call testenv.Main from TestMain")
	}
	suffix := randomSuffix()
	cfg := config.DynamoDB{
		Endpoint:          dynamoServer.Endpoint,
		Region:            "us-east-1",
		MessageTable:      "test-messages-" + suffix,
		NotificationTable: "test-notifications-" + suffix,
	}
	client := DynamoClient(t, cfg, nil)
	t.Cleanup(func() {
		for _, name := range []string{cfg.MessageTable, cfg.NotificationTable} {
			client.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: &name})
		}
	})
	return cfg
}

// DynamoTables is DynamoConfig with the tables created.
func DynamoTables(t testing.TB) config.DynamoDB {
	t.Helper()
	cfg := DynamoConfig(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := dynamo.CreateTables(ctx, DynamoClient(t, cfg, nil), cfg); err != nil {
		t.Fatalf("testenv: create DynamoDB tables: %v", err)
	}
	return cfg
}

// DynamoClient returns a client for cfg; httpClient may be nil.
func DynamoClient(t testing.TB, cfg config.DynamoDB, httpClient *http.Client) *dynamodb.Client {
	t.Helper()
	c, err := dynamo.NewClient(context.Background(), cfg, httpClient)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// CallRecorder is an http.RoundTripper that counts DynamoDB operations by
// name (X-Amz-Target), so tests can hold endpoints to their access pattern.
type CallRecorder struct {
	Next http.RoundTripper
	mu   sync.Mutex
	ops  []string
}

func (r *CallRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	op := req.Header.Get("X-Amz-Target")
	if i := strings.LastIndex(op, "."); i >= 0 {
		op = op[i+1:]
	}
	r.mu.Lock()
	r.ops = append(r.ops, op)
	r.mu.Unlock()
	next := r.Next
	if next == nil {
		next = http.DefaultTransport
	}
	return next.RoundTrip(req)
}

// Take returns the operations recorded since the last Take.
func (r *CallRecorder) Take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	ops := r.ops
	r.ops = nil
	return ops
}

// DynamoEndpoint is the test DynamoDB server's URL.
func DynamoEndpoint() string { return dynamoServer.Endpoint }
