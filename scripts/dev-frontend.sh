#!/bin/sh
# Runs the pages for development. templ's watch mode regenerates a changed
# .templ file, rebuilds and restarts the server on any Go change, and its
# proxy (port 7331) reloads the open browser page. It is the frontend dev
# image's CMD and what `make dev` runs without Docker.
set -eu
cd "$(dirname "$0")/../frontend"

bin="${TMPDIR:-/tmp}/cruddur-frontend-dev"   # the compose healthcheck runs "$bin healthcheck"
export DEV_RELOAD=1                          # lets the reload script past the CSP
export GOWORK=off                            # the frontend module alone, as the dev image downloaded it

exec go tool templ generate -watch \
	-proxy="http://127.0.0.1:${PORT:-3000}" \
	-proxybind="${TEMPL_PROXY_BIND:-0.0.0.0}" \
	-proxyport="${TEMPL_PROXY_PORT:-7331}" \
	-open-browser=false \
	-cmd="go build -o $bin . && exec $bin serve"
