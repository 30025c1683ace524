# Cruddur in Go. `make help` lists the targets.
MODULES := ./backend/... ./db/...
GO_TEST_FLAGS ?= -race -count=1 -timeout 15m

.PHONY: help test check unit db run migrate seed

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

test: check ## run every test (starts PostgreSQL itself unless DATABASE_URL is set)
	go test $(GO_TEST_FLAGS) $(MODULES)

check: ## formatting, vet and module tidiness
	@out=$$(gofmt -l backend db); if [ -n "$$out" ]; then echo "gofmt would change: $$out"; exit 1; fi
	go vet $(MODULES)

db: ## run PostgreSQL (127.0.0.1:5432, data in .data/postgres) and dynalite (127.0.0.1:8000) for development
	go run ./backend/cmd/devdb

migrate: ## apply the schema to DATABASE_URL
	go run ./backend migrate

seed: ## load the demo data into DATABASE_URL
	go run ./backend seed

run: migrate seed ## migrate, seed and serve the API on :4567 as andrewbrown by default
	DEMO_HANDLE=$${DEMO_HANDLE-andrewbrown} go run ./backend
