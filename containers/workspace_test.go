package containers

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

var extensions = []string{"golang.go", "a-h.templ", "42Crunch.vscode-openapi", "ms-azuretools.vscode-docker", "cweijan.vscode-postgresql-client2"}

// The schema is vendored in testdata so the test runs in any clone; where
// the workplace's copy is beside the repository, the two must agree.
func TestGitpodSchema_MatchesTheSharedCopy(t *testing.T) {
	shared, err := os.ReadFile(filepath.Join(Root(), "..", "shared", "schemas", "gitpod.schema.json"))
	if err != nil {
		t.Skip("no ../shared/schemas beside this clone; the vendored copy is used")
	}
	ours, _ := os.ReadFile("testdata/gitpod.schema.json")
	if !bytes.Equal(shared, ours) {
		t.Fatal("testdata/gitpod.schema.json differs from ../shared/schemas/gitpod.schema.json: copy it again")
	}
}

func TestGitpod_ValidatesAndOpensThePorts(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(Root(), ".gitpod.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	// Through JSON, so the validator sees JSON types.
	asJSON, _ := json.Marshal(doc)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(asJSON))
	if err != nil {
		t.Fatal(err)
	}
	schemaFile, _ := os.Open("testdata/gitpod.schema.json")
	defer schemaFile.Close()
	schemaDoc, err := jsonschema.UnmarshalJSON(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("gitpod.schema.json", schemaDoc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("gitpod.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(inst); err != nil {
		t.Fatalf(".gitpod.yml does not match Gitpod's schema: %v", err)
	}

	var g struct {
		Tasks []map[string]any `yaml:"tasks"`
		Ports []struct {
			Port       int    `yaml:"port"`
			OnOpen     string `yaml:"onOpen"`
			Visibility string `yaml:"visibility"`
		} `yaml:"ports"`
		VSCode struct {
			Extensions []string `yaml:"extensions"`
		} `yaml:"vscode"`
	}
	yaml.Unmarshal(raw, &g)
	want := map[int][2]string{3000: {"open-browser", "public"}, 4567: {"ignore", "public"}, 5432: {"ignore", "private"}, 8000: {"ignore", "private"}}
	for _, p := range g.Ports {
		if w, ok := want[p.Port]; ok {
			if [2]string{p.OnOpen, p.Visibility} != w {
				t.Errorf("port %d: onOpen %s, visibility %s; want %v", p.Port, p.OnOpen, p.Visibility, w)
			}
			delete(want, p.Port)
		}
	}
	if len(want) > 0 {
		t.Errorf("ports missing from .gitpod.yml: %v", want)
	}
	for _, e := range extensions {
		if !slices.Contains(g.VSCode.Extensions, e) {
			t.Errorf(".gitpod.yml lacks the extension %s", e)
		}
	}
	var installs, composeUp bool
	for _, task := range g.Tasks {
		for _, k := range []string{"init", "command", "before"} {
			if s, _ := task[k].(string); s == "./scripts/install-tools.sh" {
				installs = true
			} else if s == "docker compose up" {
				composeUp = true
			}
		}
	}
	if !installs || !composeUp {
		t.Errorf("tasks install the tools: %v; start the stack: %v", installs, composeUp)
	}
}

func TestDevcontainer_ForwardsThePortsWithTheExtensions(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(Root(), ".devcontainer", "devcontainer.json"))
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Image             string                    `json:"image"`
		Features          map[string]map[string]any `json:"features"`
		ForwardPorts      []int                     `json:"forwardPorts"`
		PostCreateCommand string                    `json:"postCreateCommand"`
		Customizations    struct {
			VSCode struct {
				Extensions []string `json:"extensions"`
			} `json:"vscode"`
		} `json:"customizations"`
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatalf("devcontainer.json is not plain JSON: %v", err)
	}
	for _, p := range []int{3000, 4567, 5432, 8000} {
		if !slices.Contains(d.ForwardPorts, p) {
			t.Errorf("port %d is not forwarded", p)
		}
	}
	for _, e := range extensions {
		if !slices.Contains(d.Customizations.VSCode.Extensions, e) {
			t.Errorf("devcontainer.json lacks the extension %s", e)
		}
	}
	if _, ok := d.Features["ghcr.io/devcontainers/features/docker-in-docker:2"]; !ok {
		t.Error("no Docker-in-Docker feature")
	}
	if v, _ := d.Features["ghcr.io/devcontainers/features/go:1"]["version"].(string); v != "1.26.8" {
		t.Errorf("Go feature version %q, want 1.26.8", v)
	}
	if d.PostCreateCommand == "" {
		t.Error("no postCreateCommand")
	}
}
