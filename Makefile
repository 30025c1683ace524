# Cruddur in Go. `make help` lists the targets.
MODULES := ./backend/... ./db/... ./frontend/... ./containers/...
GO_TEST_FLAGS ?= -race -count=1 -timeout 15m

.PHONY: help test check tools generate vendor db run migrate seed frontend publish dev homework bench

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

test: check tools ## run every test: API, DynamoDB, pages and headless Chromium (starts its own services)
	go test $(GO_TEST_FLAGS) $(MODULES)

check: ## formatting and vet
	@out=$$(gofmt -l backend db frontend containers); if [ -n "$$out" ]; then echo "gofmt would change: $$out"; exit 1; fi
	go vet $(MODULES)

tools: ## install what the tests need and a fresh machine lacks: Chromium, dynalite, axe-core
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then echo "installing Chromium"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium is needed for the browser tests: sudo apt-get install chromium"; exit 1; fi; }
	@[ -d backend/testenv/dynalite/node_modules ] || npm ci --prefix backend/testenv/dynalite --no-audit --no-fund --ignore-scripts --loglevel=error
	@[ -d frontend/node_modules ] || npm ci --prefix frontend --no-audit --no-fund --ignore-scripts --loglevel=error

generate: ## regenerate the templ pages (commit the *_templ.go files)
	cd frontend && go tool templ generate

vendor: ## copy the pinned htmx from npm into frontend/static/vendor
	npm ci --prefix frontend --no-audit --no-fund --ignore-scripts --loglevel=error
	cp frontend/node_modules/htmx.org/dist/htmx.min.js frontend/static/vendor/htmx-2.0.8.min.js

dev: ## the whole stack without Docker: databases, migrate and seed, backend and frontend with live reload
	go run ./backend/cmd/dev

db: ## only the databases, without Docker: PostgreSQL (127.0.0.1:5432, data in .data/postgres) and dynalite (127.0.0.1:8000)
	go run ./backend/cmd/dev -services-only

migrate: ## apply the schema to DATABASE_URL and create the DynamoDB tables
	go run ./backend migrate

seed: ## load the demo data
	go run ./backend seed

run: migrate seed ## migrate, seed and serve the API on :4567 as andrewbrown by default
	DEMO_HANDLE=$${DEMO_HANDLE-andrewbrown} go run ./backend

frontend: ## serve the pages on :3000 against BACKEND_URL (http://localhost:4567)
	go run ./frontend

publish: ## build the prod images, tag them with VERSION and the commit, push to REGISTRY (DRY_RUN=1 prints only)
	./scripts/publish.sh $(if $(DRY_RUN),--dry-run)

bench: ## the benchmark: seeds 1M cruds (reused), loads every hot path, prints the table (bench/results/latest.json)
	go run ./backend/cmd/bench $(BENCH_FLAGS)

homework: ## check a running stack against the week-1 homework (a checklist; exit 0 only when all pass)
	go run ./containers/homework
