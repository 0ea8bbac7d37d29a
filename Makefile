# Eko: two commands on a fresh machine.
#   make run   installs what is missing, builds, serves http://127.0.0.1:3000
#   make test  installs what is missing, runs every test (unit, HTTP, browser)
# Both are idempotent: installed tools are detected and skipped.

SHELL := /bin/bash
export RUSTFLAGS := --cfg erase_components
# PostgreSQL for the second pass of the HTTP tests; empty skips that pass.
EKO_TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
export EKO_TEST_POSTGRES_URL

.PHONY: run watch test tools build lint test-rust test-postgres test-e2e bench clean-data

run: tools
	cargo leptos serve

watch: tools
	cargo leptos watch

tools:
	@scripts/install-tools.sh

build: tools
	cargo leptos build

# Without erase_components, as a release build compiles: views must type-check
# unerased too.
lint:
	cargo fmt --check
	RUSTFLAGS= cargo clippy --features ssr --all-targets -- -D warnings
	RUSTFLAGS= cargo clippy --lib --features hydrate --target wasm32-unknown-unknown -- -D warnings

# Unit and HTTP tests on SQLite, then the HTTP tests again on PostgreSQL.
test-rust:
	EKO_TEST_POSTGRES_URL= cargo test --features ssr

test-postgres:
	@if [ -n "$(EKO_TEST_POSTGRES_URL)" ] && scripts/postgres-ready.sh "$(EKO_TEST_POSTGRES_URL)"; then \
		cargo test --features ssr --test api; \
	else \
		echo "PostgreSQL not reachable at '$(EKO_TEST_POSTGRES_URL)': PostgreSQL pass skipped"; \
		if [ -n "$$CI" ]; then exit 1; fi; \
	fi

test-e2e: build
	cd end2end && npx playwright test

test: tools
	$(MAKE) lint
	$(MAKE) build
	$(MAKE) test-rust
	$(MAKE) test-postgres
	$(MAKE) test-e2e

# Reaction latency of open pages (median, p95); see bench/README.md.
bench: build
	node bench/live_latency.mjs 30

clean-data:
	rm -rf data outbox end2end/.state
