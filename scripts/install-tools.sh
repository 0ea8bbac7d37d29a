#!/usr/bin/env bash
# Installs what Eko's build and tests need, skipping what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1;32m==>\033[0m %s\n' "$*"; }

# Rust: the toolchain and the wasm target come from rust-toolchain.toml.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# cargo-leptos 0.3.10 (0.3.11 needs a newer rustc). Slow to build: only once.
if ! cargo leptos --version 2>/dev/null | grep -q '0\.3\.10'; then
  say "installing cargo-leptos 0.3.10 (takes a while, once)"
  cargo install cargo-leptos --locked --version 0.3.10
fi

# wasm-bindgen-cli must match the wasm-bindgen version in Cargo.lock.
wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q "$wb_version"; then
  say "installing wasm-bindgen-cli $wb_version"
  cargo install wasm-bindgen-cli --version "$wb_version"
fi

# Browser tests drive Debian's Chromium (Playwright's own download is not used).
if ! command -v chromium >/dev/null 2>&1; then
  say "installing Chromium"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq chromium
  else
    sudo apt-get update -qq && sudo apt-get install -y -qq chromium
  fi
fi

# Playwright test runner, without its browser download.
if [ ! -d end2end/node_modules/@playwright/test ]; then
  say "installing the browser-test runner"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi

# wasm-opt for release builds: binaryen 132 from npm (cargo-leptos finds it on
# PATH; the Makefile puts .tools/node_modules/.bin there). Debian's binaryen
# (108) optimises without complaint but breaks hydration.
if ! .tools/node_modules/.bin/wasm-opt --version 2>/dev/null | grep -q 'version 132'; then
  say "installing wasm-opt (npm binaryen@132)"
  mkdir -p .tools
  npm install --prefix .tools --no-audit --no-fund binaryen@132 >/dev/null
fi
