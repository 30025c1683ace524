package pages_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The committed *_templ.go files must be what templ makes of the .templ
// files now: run `make generate` after editing a template. templ has no
// check mode, so this generates a copy elsewhere and compares.
func TestGeneratedTemplFilesAreCurrent(t *testing.T) {
	templs, _ := filepath.Glob("*.templ")
	if len(templs) == 0 {
		t.Fatal("no .templ files found")
	}
	// The same layout as frontend/, since the paths end up in the output.
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "internal", "pages")
	os.MkdirAll(dir, 0o755)
	for _, f := range templs {
		b, _ := os.ReadFile(f)
		os.WriteFile(filepath.Join(dir, f), b, 0o644)
	}
	cmd := exec.Command("go", "tool", "templ", "generate", "-path", tmp)
	cmd.Dir = filepath.Join("..", "..") // frontend/, whose go.mod pins the templ tool
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("templ generate: %v\n%s", err, out)
	}
	for _, f := range templs {
		name := strings.TrimSuffix(f, ".templ") + "_templ.go"
		fresh, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("templ made no %s: %v", name, err)
		}
		committed, err := os.ReadFile(name)
		if err != nil || !bytes.Equal(fresh, committed) {
			t.Errorf("%s is stale or missing: run make generate and commit it", name)
		}
	}
}
