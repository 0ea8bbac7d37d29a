#!/usr/bin/env bash
# Writes the deployable folder from a finished `cargo leptos build --release`:
#   <dir>/eko    the server binary (it finds site/ beside itself)
#   <dir>/site/  the compiled site: pkg/ (wasm, js, css) and public assets
# Nothing else: configuration comes from environment variables.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-dist/eko}"
# cargo writes the binary and hash.txt under its target folder (which
# CARGO_TARGET_DIR may move); cargo-leptos writes the site to target/site.
bin_dir="${CARGO_TARGET_DIR:-target}/release"
[ -x "$bin_dir/eko" ] || { echo "$bin_dir/eko is missing: run cargo leptos build --release" >&2; exit 1; }
[ -f target/site/pkg/eko_bg.wasm ] || ls target/site/pkg/*.wasm >/dev/null 2>&1 \
  || { echo "target/site/pkg has no wasm: run cargo leptos build --release" >&2; exit 1; }
rm -rf "$dir.tmp"
mkdir -p "$dir.tmp"
cp "$bin_dir/eko" "$dir.tmp/eko"
# The content-hashed names of the site's wasm, JS and CSS (hash-files). A
# hash.txt left from another build would make every page ask for a wasm
# that is not there (no page would ever hydrate): refuse that here.
if [ -f "$bin_dir/hash.txt" ]; then
  cp "$bin_dir/hash.txt" "$dir.tmp/hash.txt"
  wasm_hash=$(sed -n 's/^wasm: //p' "$bin_dir/hash.txt")
  [ -z "$wasm_hash" ] || [ -f "target/site/pkg/eko.$wasm_hash.wasm" ] || {
    echo "$bin_dir/hash.txt names eko.$wasm_hash.wasm, which target/site/pkg does not have: rebuild with cargo leptos build --release" >&2
    rm -rf "$dir.tmp"; exit 1; }
fi
cp -R target/site "$dir.tmp/site"
# TypeScript declarations of the wasm bindings: nothing a browser needs.
rm -f "$dir.tmp"/site/pkg/*.d.*ts
rm -rf "$dir"
mv "$dir.tmp" "$dir"
printf 'Release folder %s: %s (server), %s (site)\n' "$dir" \
  "$(du -sh "$dir/eko" | cut -f1)" "$(du -sh "$dir/site" | cut -f1)"
# Precompressed copies beside the static files (the server sends them to
# browsers that accept brotli or gzip): the wasm is ~4× smaller in brotli.
node -e '
const fs = require("fs"), path = require("path"), zlib = require("zlib");
const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) =>
  e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]);
for (const f of walk(process.argv[1]).filter((f) => /\.(wasm|js|css|svg|html|txt)$/.test(f))) {
  const data = fs.readFileSync(f);
  fs.writeFileSync(f + ".br", zlib.brotliCompressSync(data, { params: {
    [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } }));
  fs.writeFileSync(f + ".gz", zlib.gzipSync(data, { level: 9 }));
}' "$dir/site"
main=$(ls "$dir"/site/pkg/eko*.wasm.br 2>/dev/null | head -1)
printf 'Precompressed: main wasm %s bytes in brotli; %s wasm chunks (pages loaded on demand)\n' \
  "$(du -b "$main" | cut -f1)" "$(ls "$dir"/site/pkg/ | grep -c '^\(chunk\|split\)_.*\.wasm$')"
