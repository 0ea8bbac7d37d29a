# Eko: two commands on a fresh machine.
#   make run   installs what is missing, builds, serves http://127.0.0.1:3000
#   make test  installs what is missing, runs every test (unit, HTTP, browser)
# Both are idempotent: installed tools are detected and skipped.
#   make release  builds what a city deploys into dist/eko (see README "Deploying")

SHELL := /bin/bash
# The same cfg as cargo-leptos uses for debug builds, so cargo test and
# clippy share their artifacts. Release builds are not type-erased (see
# README "Release build"): `release` clears it.
export RUSTFLAGS := --cfg erase_components
# wasm-opt (npm binaryen@132) for release builds, installed by `make tools`.
export PATH := $(CURDIR)/.tools/node_modules/.bin:$(PATH)
# PostgreSQL for the second pass of the HTTP tests; empty skips that pass.
EKO_TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
export EKO_TEST_POSTGRES_URL
RELEASE_DIR ?= dist/eko

.PHONY: run watch test tools build release lint test-rust test-postgres test-e2e bench clean-data

run: tools
	cargo leptos serve --split

watch: tools
	cargo leptos watch --split

tools:
	@scripts/install-tools.sh

build: tools
	cargo leptos build

# The deployable folder: optimised server + wasm-opt'd site, nothing else.
release: export RUSTFLAGS :=
release: tools
	cargo leptos build --release --split
	scripts/assemble-release.sh $(RELEASE_DIR)

lint:
	cargo fmt --check
	cargo clippy --features ssr --all-targets -- -D warnings
	cargo clippy --lib --features hydrate --target wasm32-unknown-unknown -- -D warnings

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

# The browser suite runs the release folder: what ships is what is tested.
test-e2e: release
	cd end2end && EKO_BIN=$(abspath $(RELEASE_DIR))/eko npx playwright test

# The release build first: it is the build that can fail on deep view types.
test: tools
	$(MAKE) lint
	$(MAKE) release
	$(MAKE) test-rust
	$(MAKE) test-postgres
	$(MAKE) test-e2e

# Benchmarks of the release build, one after the other, then one table of
# everything measured (bench/README.md has the last numbers; page
# throughput needs wrk: apt-get install wrk).
bench: release
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk || sudo apt-get install -y -qq wrk; }
	node bench/run.mjs

clean-data:
	rm -rf data outbox end2end/.state
