package containers

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/opencontainers/go-digest"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

var dockerfiles = []string{"Dockerfile.backend", "Dockerfile.frontend"}

type dockerfile struct {
	name     string
	source   []byte
	stages   []instructions.Stage
	metaArgs []instructions.ArgCommand
}

func parseDockerfile(t *testing.T, name string) dockerfile {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(Root(), name))
	if err != nil {
		t.Fatal(err)
	}
	res, err := parser.Parse(bytes.NewReader(src))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	stages, metaArgs, err := instructions.Parse(res.AST, nil)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return dockerfile{name: name, source: src, stages: stages, metaArgs: metaArgs}
}

// BuildKit's linter (what `docker build --check` runs) finds nothing.
func TestDockerfiles_PassBuildKitsLinter(t *testing.T) {
	for _, name := range dockerfiles {
		d := parseDockerfile(t, name)
		// The lint result names its source by an LLB definition: an empty one will do.
		def, err := llb.Scratch().Marshal(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		sm := llb.NewSourceMap(nil, name, "Dockerfile", d.source)
		sm.Definition = def
		res, err := dockerfile2llb.DockerfileLint(context.Background(), d.source, dockerfile2llb.ConvertOpt{
			SourceMap:      sm,
			MetaResolver:   offlineImages{},
			TargetPlatform: &ocispecs.Platform{OS: "linux", Architecture: "amd64"},
		})
		if err != nil {
			t.Fatalf("%s: lint: %v", name, err)
		}
		if res.Error != nil {
			t.Errorf("%s: %s", name, res.Error.Message)
		}
		for _, w := range res.Warnings {
			t.Errorf("%s: %s: %s", name, w.RuleName, w.Detail)
		}
	}
}

// offlineImages answers BuildKit's questions about base images with an
// empty config, so linting needs no registry (none is reachable here).
type offlineImages struct{}

func (offlineImages) ResolveImageConfig(_ context.Context, ref string, _ sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	cfg := []byte(`{"architecture":"amd64","os":"linux","config":{}}`)
	return ref, digest.FromBytes(cfg), cfg, nil
}

// expand replaces ${ARG} with the default of a global ARG.
func (d dockerfile) expand(s string) string {
	for _, a := range d.metaArgs {
		for _, kv := range a.Args {
			if kv.Value != nil {
				s = strings.ReplaceAll(s, "${"+kv.Key+"}", *kv.Value)
				s = strings.ReplaceAll(s, "$"+kv.Key, *kv.Value)
			}
		}
	}
	return s
}

func TestDockerfiles_FollowCruddursRules(t *testing.T) {
	secretName := regexp.MustCompile(`(?i)(secret|passw|token|api_?key|private_?key|credential)`)
	for _, name := range dockerfiles {
		d := parseDockerfile(t, name)
		names := map[string]bool{}
		for _, st := range d.stages {
			names[st.Name] = true
		}
		if len(d.stages) < 2 || !names["dev"] || !names["build"] || !names["prod"] {
			t.Errorf("%s: stages %v, want dev, build and prod", name, names)
		}
		for _, st := range d.stages {
			base := d.expand(st.BaseName)
			if names[base] {
				continue // FROM an earlier stage
			}
			if strings.HasSuffix(base, ":latest") || !regexp.MustCompile(`:[A-Za-z0-9._-]+$|@sha256:[0-9a-f]{64}$`).MatchString(base) {
				t.Errorf("%s: stage %s's base %q is not pinned to a version", name, st.Name, base)
			}
			for _, cmd := range st.Commands {
				switch c := cmd.(type) {
				case *instructions.AddCommand:
					t.Errorf("%s: ADD at line %d: use COPY", name, c.Location()[0].Start.Line)
				case *instructions.CmdCommand:
					if c.PrependShell {
						t.Errorf("%s: stage %s: CMD in shell form", name, st.Name)
					}
				case *instructions.EntrypointCommand:
					if c.PrependShell {
						t.Errorf("%s: stage %s: ENTRYPOINT in shell form", name, st.Name)
					}
				case *instructions.ArgCommand:
					for _, kv := range c.Args {
						if secretName.MatchString(kv.Key) && kv.Value != nil && *kv.Value != "" {
							t.Errorf("%s: ARG %s carries a value that looks secret", name, kv.Key)
						}
					}
				case *instructions.EnvCommand:
					for _, kv := range c.Env {
						if secretName.MatchString(kv.Key) {
							t.Errorf("%s: ENV %s looks secret: pass secrets at run time", name, kv.Key)
						}
					}
				}
			}
		}

		prod := d.stages[len(d.stages)-1]
		if prod.Name != "prod" {
			t.Errorf("%s: the last stage is %q, want prod", name, prod.Name)
		}
		var user string
		var health *instructions.HealthCheckCommand
		var exposed bool
		for _, cmd := range prod.Commands {
			switch c := cmd.(type) {
			case *instructions.UserCommand:
				user = c.User
			case *instructions.HealthCheckCommand:
				health = c
			case *instructions.ExposeCommand:
				exposed = true
			}
		}
		if !regexp.MustCompile(`^[1-9][0-9]*(:[0-9]+)?$`).MatchString(user) {
			t.Errorf("%s: prod runs as %q: want a numeric non-root uid", name, user)
		}
		if health == nil || len(health.Health.Test) < 2 || health.Health.Test[0] != "CMD" || health.Health.Test[len(health.Health.Test)-1] != "healthcheck" {
			t.Errorf("%s: prod needs an exec-form HEALTHCHECK running the binary's healthcheck, got %+v", name, health)
		}
		if !exposed {
			t.Errorf("%s: prod exposes no port", name)
		}
	}
}

// The dev stage's CMD is a script kept in the repository (the homework
// challenge), executable, and it must exist.
func TestDockerfiles_DevCMDIsAnExternalScript(t *testing.T) {
	for _, name := range dockerfiles {
		d := parseDockerfile(t, name)
		for _, st := range d.stages {
			if st.Name != "dev" {
				continue
			}
			var cmd []string
			for _, c := range st.Commands {
				if c, ok := c.(*instructions.CmdCommand); ok {
					cmd = c.CmdLine
				}
			}
			if len(cmd) != 1 || !strings.HasPrefix(cmd[0], "./scripts/") {
				t.Fatalf("%s: dev CMD %v, want one script in scripts/", name, cmd)
			}
			info, err := os.Stat(filepath.Join(Root(), cmd[0]))
			if err != nil || info.Mode()&0o111 == 0 {
				t.Errorf("%s: %s is missing or not executable", name, cmd[0])
			}
		}
	}
}

func TestDockerignore_KeepsSecretsAndHistoryOut(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(Root(), ".dockerignore"))
	if err != nil {
		t.Fatal(".dockerignore is missing")
	}
	lines := map[string]bool{}
	for _, l := range strings.Split(string(b), "\n") {
		lines[strings.TrimSpace(l)] = true
	}
	for _, want := range []string{".git", ".env", ".env.*", ".data/", "**/node_modules/"} {
		if !lines[want] {
			t.Errorf(".dockerignore lacks %s", want)
		}
	}
}
