#!/usr/bin/env bash
# The publish gate: format, lint, type check, doc lint, JSR dry run, and the WASM module
# matching its sources. Usage: deno task check
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
deno="${DENO_BIN:-$(command -v deno || echo "$root/tools/node_modules/.bin/deno")}"
entries=(mod.ts src/runtime/browser.ts src/runtime/node.ts)
for f in jetstream/mod.ts kv/mod.ts obj/mod.ts service/mod.ts testing/mod.ts; do [ -f "$f" ] && entries+=("$f"); done
step() { echo "== $*"; }
step "deno fmt --check"; "$deno" fmt --check
step "deno lint"; "$deno" lint
step "deno check"; "$deno" check "${entries[@]}" tests/ bench/ scripts/*.ts examples/deno/ examples/edge/
step "deno check --doc-only (examples in doc comments)"; "$deno" check --doc-only "${entries[@]}"
step "deno doc --lint ${entries[*]}"; "$deno" doc --lint "${entries[@]}"
step "every nats.js 3.4 export name resolves from the matching entry"; "$deno" run -A scripts/compat_names.ts
step "library code avoids APIs Node 20 lacks, and Deno/node: outside the runtime entries"
lib=(src jetstream kv obj service wasm)
if grep -rnE 'Promise\.withResolvers|Array\.fromAsync|Uint8Array\.fromBase64|\.toBase64\(' "${lib[@]}" --include='*.ts' |
  grep -vE '^[^:]+:[0-9]+:\s*(\*|//|/\*)'; then
  echo "check: the lines above use APIs that Node 20 lacks (use deferred() from src/encoding.ts)" >&2
  exit 1
fi
if grep -rlnE '\bDeno\.|from "node:' "${lib[@]}" --include='*.ts' | grep -vE '^src/(transport/deno_|transport/node_tcp|auth/creds_file|runtime/node|runtime/deno_)' |
  xargs -r grep -nE '^[^*/]*(\bDeno\.|from "node:)'; then
  echo "check: only the Deno/Node transports and entries may use Deno or node: APIs" >&2
  exit 1
fi
step "deno publish --dry-run"; "$deno" publish --dry-run --allow-dirty
step "wasm matches parser-as/"; DENO_BIN="$deno" bash scripts/build_wasm.sh --check
echo "check: all passed"
