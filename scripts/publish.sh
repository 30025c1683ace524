#!/bin/sh
# Builds the prod images, tags each with the version and the git commit
# (never only "latest"), and pushes them to REGISTRY.
#
#   REGISTRY=docker.io/yourname scripts/publish.sh            # docker login first
#   REGISTRY=docker.io/yourname scripts/publish.sh --dry-run  # print the commands only
set -eu
cd "$(dirname "$0")/.."

run() {
	if [ "$dry_run" = 1 ]; then
		echo "$*"
	else
		"$@"
	fi
}

dry_run=0
[ "${1:-}" = "--dry-run" ] && dry_run=1

registry="${REGISTRY:-}"
if [ -z "$registry" ] && [ -n "${DOCKERHUB_USERNAME:-}" ]; then
	registry="docker.io/${DOCKERHUB_USERNAME}"
fi
if [ -z "$registry" ]; then
	echo "publish: set REGISTRY (e.g. docker.io/yourname) or DOCKERHUB_USERNAME" >&2
	exit 2
fi
version="${VERSION:-$(cat VERSION)}"
commit="${COMMIT:-$(git rev-parse --short=12 HEAD)}"

for app in backend frontend; do
	image="${registry}/cruddur-${app}"
	run docker build --file "Dockerfile.${app}" --target prod --build-arg "VERSION=${version}" \
		--tag "${image}:${version}" --tag "${image}:${commit}" .
	run docker push "${image}:${version}"
	run docker push "${image}:${commit}"
done
