#!/bin/sh
# Installs the workspace tools the course uses beside docker compose: the
# templ CLI (the version frontend/go.mod pins), a PostgreSQL client, and the
# AWS CLI for the DynamoDB Local exercises. Gitpod's init task and the dev
# container's postCreateCommand run it.
set -eu
cd "$(dirname "$0")/.."

templ_version=$(awk '$1 == "github.com/a-h/templ" {print $2; exit}' frontend/go.mod)
go install "github.com/a-h/templ/cmd/templ@${templ_version}"

sudo apt-get update -qq
sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client awscli >/dev/null || \
	sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client >/dev/null

echo "tools: templ ${templ_version}, $(psql --version), $(aws --version 2>&1 || echo 'no AWS CLI')"
