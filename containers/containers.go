// Package containers checks Cruddur's container and workspace files where
// no Docker engine runs: the Dockerfiles with BuildKit's own parser and
// linter, docker-compose.yml with compose-go, the Gitpod and dev container
// settings against their schemas, and the dev scripts by running them. The
// homework command (./homework) checks a running stack.
package containers

import (
	"path/filepath"
	"runtime"
)

// Root is the repository's root directory.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(file))
}
