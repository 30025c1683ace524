package containers

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// loadCompose loads compose files as `docker compose` would, with exactly
// env as the environment (compose-go validates them against the schema).
func loadCompose(t *testing.T, env map[string]string, files ...string) *types.Project {
	t.Helper()
	var vars []string
	for k, v := range env {
		vars = append(vars, k+"="+v)
	}
	var paths []string
	for _, f := range files {
		paths = append(paths, filepath.Join(Root(), f))
	}
	opts, err := cli.NewProjectOptions(paths, cli.WithWorkingDirectory(Root()), cli.WithEnv(vars), cli.WithName("cruddur"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := opts.LoadProject(context.Background())
	if err != nil {
		t.Fatalf("load %v: %v", files, err)
	}
	return p
}

var longRunning = []string{"frontend", "backend", "db", "dynamodb-local"}
var appServices = []string{"frontend", "backend", "setup"}

func TestCompose_HasNoObsoleteVersionKey(t *testing.T) {
	b, _ := os.ReadFile(filepath.Join(Root(), "docker-compose.yml"))
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "version:") {
			t.Fatal("docker-compose.yml has the obsolete top-level version key")
		}
	}
}

func TestCompose_ServicesHealthGatedInOrder(t *testing.T) {
	p := loadCompose(t, nil, "docker-compose.yml")
	for _, name := range append(longRunning, "setup") {
		if _, err := p.GetService(name); err != nil {
			t.Fatalf("no %s service", name)
		}
	}
	for _, name := range longRunning {
		s, _ := p.GetService(name)
		if s.HealthCheck == nil || s.HealthCheck.Disable || len(s.HealthCheck.Test) == 0 || s.HealthCheck.Test[0] == "NONE" {
			t.Errorf("%s has no healthcheck", name)
		}
	}
	for _, s := range p.Services {
		for dep, cfg := range s.DependsOn {
			if cfg.Condition != types.ServiceConditionHealthy && cfg.Condition != types.ServiceConditionCompletedSuccessfully {
				t.Errorf("%s depends on %s with condition %q: want service_healthy or service_completed_successfully", s.Name, dep, cfg.Condition)
			}
		}
	}
	backend, _ := p.GetService("backend")
	if backend.DependsOn["setup"].Condition != types.ServiceConditionCompletedSuccessfully ||
		backend.DependsOn["db"].Condition != types.ServiceConditionHealthy || backend.DependsOn["dynamodb-local"].Condition != types.ServiceConditionHealthy {
		t.Errorf("backend must wait for db and dynamodb-local to be healthy and setup to complete: %+v", backend.DependsOn)
	}
	frontend, _ := p.GetService("frontend")
	if frontend.DependsOn["backend"].Condition != types.ServiceConditionHealthy {
		t.Error("frontend must wait for a healthy backend")
	}
	setup, _ := p.GetService("setup")
	if setup.Restart != "no" || strings.Join(setup.Command, " ") != "env GOWORK=off go run . setup" {
		t.Errorf("setup: restart %q, command %v", setup.Restart, setup.Command)
	}
	db, _ := p.GetService("db")
	if got := strings.Join(db.HealthCheck.Test, " "); !strings.Contains(got, "pg_isready -U") {
		t.Errorf("db healthcheck %q: want pg_isready with -U", got)
	}
	for _, name := range []string{"frontend", "backend"} {
		s, _ := p.GetService(name)
		if got := strings.Join(s.HealthCheck.Test, " "); !strings.HasSuffix(got, " healthcheck") || s.HealthCheck.Test[0] != "CMD" {
			t.Errorf("%s healthcheck %q: want the binary's healthcheck subcommand", name, got)
		}
	}
}

func TestCompose_ImagesPinnedAndNothingPrivileged(t *testing.T) {
	p := loadCompose(t, nil, "docker-compose.yml")
	for _, s := range p.Services {
		if s.Build == nil {
			if !strings.Contains(s.Image, ":") || strings.HasSuffix(s.Image, ":latest") {
				t.Errorf("%s uses image %q: pin a release tag", s.Name, s.Image)
			}
		} else if s.Build.DockerfileInline != "" {
			res, err := parser.Parse(bytes.NewReader([]byte(s.Build.DockerfileInline)))
			if err != nil {
				t.Fatalf("%s: inline Dockerfile: %v", s.Name, err)
			}
			stages, _, err := instructions.Parse(res.AST, nil)
			if err != nil {
				t.Fatal(err)
			}
			last := stages[len(stages)-1]
			if strings.HasSuffix(last.BaseName, ":latest") || !strings.Contains(last.BaseName, ":") {
				t.Errorf("%s builds FROM %q: pin a release tag", s.Name, last.BaseName)
			}
			var user string
			for _, c := range last.Commands {
				if u, ok := c.(*instructions.UserCommand); ok {
					user = u.User
				}
			}
			if user == "" || user == "root" || strings.HasPrefix(user, "0") {
				t.Errorf("%s's image ends as user %q: want non-root", s.Name, user)
			}
		}
		if s.Privileged {
			t.Errorf("%s is privileged", s.Name)
		}
		if s.NetworkMode == "host" {
			t.Errorf("%s uses the host network", s.Name)
		}
		if s.User == "root" || s.User == "0" || strings.HasPrefix(s.User, "0:") {
			t.Errorf("%s runs as root", s.Name)
		}
		for _, v := range s.Volumes {
			if strings.Contains(v.Source, "docker.sock") {
				t.Errorf("%s mounts the Docker socket", s.Name)
			}
		}
	}
}

func TestCompose_AppContainersAreHardened(t *testing.T) {
	p := loadCompose(t, nil, "docker-compose.yml")
	for _, name := range appServices {
		s, _ := p.GetService(name)
		if !contains(s.SecurityOpt, "no-new-privileges:true") || !contains(s.CapDrop, "ALL") || s.MemLimit <= 0 || s.PidsLimit <= 0 {
			t.Errorf("%s: security_opt %v, cap_drop %v, mem_limit %d, pids_limit %d", name, s.SecurityOpt, s.CapDrop, s.MemLimit, s.PidsLimit)
		}
	}
	for _, name := range []string{"db", "dynamodb-local"} {
		s, _ := p.GetService(name)
		for _, port := range s.Ports {
			if port.HostIP != "127.0.0.1" {
				t.Errorf("%s publishes port %d on %q: want 127.0.0.1 only", name, port.Target, port.HostIP)
			}
		}
	}
}

// Development uses the dev targets with the source mounted, so edits show
// without a rebuild.
func TestCompose_DevTargetsMountTheSource(t *testing.T) {
	p := loadCompose(t, nil, "docker-compose.yml")
	for _, name := range appServices {
		s, _ := p.GetService(name)
		if s.Build == nil || s.Build.Target != "dev" {
			t.Errorf("%s does not build the dev target", name)
		}
		mounted := false
		for _, v := range s.Volumes {
			if v.Type == types.VolumeTypeBind && v.Target == "/src" && v.Source == Root() {
				mounted = true
			}
		}
		if !mounted {
			t.Errorf("%s does not mount the repository at /src", name)
		}
	}
	backend, _ := p.GetService("backend")
	if v := backend.Environment["DEMO_HANDLE"]; v == nil || *v != "andrewbrown" {
		t.Error("the development backend must set DEMO_HANDLE=andrewbrown for the graders")
	}
}

// FRONTEND_URL and BACKEND_URL come out right in Gitpod, Codespaces and on
// localhost without editing a file, and an explicit setting wins.
func TestCompose_PublicURLsWorkOutEverywhere(t *testing.T) {
	for _, c := range []struct {
		name              string
		env               map[string]string
		frontend, backend string
	}{
		{"localhost", nil, "", ""}, // empty: the apps default to http://localhost:3000 and :4567
		{"gitpod", map[string]string{"GITPOD_WORKSPACE_ID": "cruddur-abc123", "GITPOD_WORKSPACE_CLUSTER_HOST": "ws-us116.gitpod.io"},
			"https://3000-cruddur-abc123.ws-us116.gitpod.io", "https://4567-cruddur-abc123.ws-us116.gitpod.io"},
		{"codespaces", map[string]string{"CODESPACE_NAME": "fuzzy-space-xyz", "GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN": "app.github.dev"},
			"https://fuzzy-space-xyz-3000.app.github.dev", "https://fuzzy-space-xyz-4567.app.github.dev"},
		{"explicit", map[string]string{"FRONTEND_URL": "https://cruddur.example.com", "BACKEND_URL": "https://api.cruddur.example.com", "GITPOD_WORKSPACE_ID": "ignored"},
			"https://cruddur.example.com", "https://api.cruddur.example.com"},
	} {
		p := loadCompose(t, c.env, "docker-compose.yml")
		backend, _ := p.GetService("backend")
		frontend, _ := p.GetService("frontend")
		got := [3]string{deref(frontend.Environment["FRONTEND_URL"]), deref(backend.Environment["FRONTEND_URL"]), deref(backend.Environment["BACKEND_URL"])}
		if got != [3]string{c.frontend, c.frontend, c.backend} {
			t.Errorf("%s: frontend FRONTEND_URL %q, backend FRONTEND_URL %q, BACKEND_URL %q", c.name, got[0], got[1], got[2])
		}
	}
}

// The production-like variant runs the prod images read-only.
func TestComposeProd_RunsProdImagesReadOnly(t *testing.T) {
	p := loadCompose(t, nil, "docker-compose.yml", "docker-compose.prod.yml")
	for _, name := range appServices {
		s, _ := p.GetService(name)
		if s.Build == nil || s.Build.Target != "prod" || !s.ReadOnly || !contains(s.Tmpfs, "/tmp") {
			t.Errorf("%s: target %v, read_only %v, tmpfs %v", name, s.Build, s.ReadOnly, s.Tmpfs)
		}
		for _, v := range s.Volumes {
			if v.Target == "/src" {
				t.Errorf("%s mounts the source in prod", name)
			}
		}
	}
	backend, _ := p.GetService("backend")
	if strings.Join(backend.HealthCheck.Test, " ") != "CMD /backend healthcheck" {
		t.Errorf("prod backend healthcheck %v", backend.HealthCheck.Test)
	}
	setup, _ := p.GetService("setup")
	if strings.Join(setup.Command, " ") != "setup" {
		t.Errorf("prod setup command %v", setup.Command)
	}
}

func contains(list []string, want string) bool {
	for _, s := range list {
		if s == want {
			return true
		}
	}
	return false
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
