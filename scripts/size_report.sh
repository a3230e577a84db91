#!/usr/bin/env bash
# Bundle sizes of the npm build for browsers: esbuild (bundle, minify, ESM, platform browser, WASM
# parser included as it is embedded base64) of the core entry (natsw/browser) and of everything
# (core + jetstream + kv + obj + service, whichever exist), in bytes and gzip bytes, next to the
# official client's 146 KB (core) and 379 KB (everything) for reference.
#
# Usage: scripts/size_report.sh [--no-build]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
[ "${1:-}" = "--no-build" ] && [ -f npm/src/runtime/browser.js ] || bash scripts/build_npm.sh --no-lint >/dev/null
bin="$root/tools/node_modules/.bin"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

everything="export * as core from \"$root/npm/src/runtime/browser.js\";"
parts="core"
for f in jetstream kv obj service; do
  if [ -f "npm/$f/mod.js" ]; then
    everything+=" export * as $f from \"$root/npm/$f/mod.js\";"
    parts+=" + $f"
  fi
done
bundle() { # name entry-source
  echo "$2" | NODE_PATH="$root/tools/node_modules" "$bin/esbuild" --bundle --minify --format=esm \
    --platform=browser --target=es2022 --log-level=error --outfile="$work/$1.js" --metafile="$work/$1.meta.json"
}
bundle core "export * from \"$root/npm/src/runtime/browser.js\";"
bundle all "$everything"
row() { # label file reference-bytes
  local raw gz
  raw=$(wc -c <"$2")
  gz=$(gzip -9 -c "$2" | wc -c)
  printf '%-52s %9d bytes  %8d gzip  (official client: %s)\n' "$1" "$raw" "$gz" "$3"
}
echo "natsw $(node -p 'require("./npm/package.json").version') browser bundles (esbuild $("$bin/esbuild" --version), minified ESM):"
row "core (natsw/browser)" "$work/core.js" "146 KB"
row "everything ($parts)" "$work/all.js" "379 KB"
node -e '
  const m = require(process.argv[1]);
  const out = Object.values(m.outputs)[0];
  const dep = Object.entries(out.inputs).filter(([p]) => p.includes("node_modules/")).reduce((n, [, v]) => n + v.bytesInOutput, 0);
  console.log(`of the core bundle, ${dep} bytes come from npm dependencies (the library has none)`);
' "$work/core.meta.json"
