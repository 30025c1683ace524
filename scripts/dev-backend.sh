#!/bin/sh
# Runs the API for development and restarts it when its source changes.
# It is the backend dev image's CMD (compose mounts the repository at /src)
# and what `make dev` runs without Docker. It polls file times instead of
# waiting for file events, so it works on bind mounts that deliver none
# (Windows, some VMs).
set -eu
cd "$(dirname "$0")/.."

tmp="${TMPDIR:-/tmp}"
bin="$tmp/cruddur-backend-dev"   # the compose healthcheck runs "$bin healthcheck"
stamp="$tmp/cruddur-backend-dev.stamp"
pid=""

stop() {
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		pid=""
	fi
}
trap 'stop; exit 0' INT TERM

changed() {
	[ -n "$(find backend db -newer "$stamp" \( -name '*.go' -o -name '*.sql' -o -name '*.yaml' -o -name '*.json' -o -name 'go.mod' \) -print 2>/dev/null | head -n 1)" ]
}

while :; do
	touch "$stamp"
	# GOWORK=off: the backend module alone, as the dev image downloaded it.
	if (cd backend && GOWORK=off go build -o "$bin" .); then
		"$bin" serve &
		pid=$!
	else
		echo "dev-backend: the build failed; fix the code and save to retry" >&2
	fi
	while ! changed; do
		sleep 1
	done
	echo "dev-backend: source changed, restarting" >&2
	stop
done
