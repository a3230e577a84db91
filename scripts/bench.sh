#!/usr/bin/env bash
# Benchmarks natsw against nats.js v3 (transport-node on Deno) on one local nats-server 2.15.
# Prints one JSON line per scenario per client (stdout), progress on stderr, then a markdown table.
# Usage: deno task bench [-- --quick | --scale 0.1 | --count N | --only pub-16,reqrep-128 | --rounds N | --list]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
deno="${DENO_BIN:-$(command -v deno || echo "$root/tools/node_modules/.bin/deno")}"
NATS_SERVER_BIN="$("$root/scripts/ensure_nats_server.sh")"
export NATS_SERVER_BIN
args=()
for a in "$@"; do [ "$a" = "--" ] || args+=("$a"); done
exec "$deno" run -A --v8-flags=--expose-gc bench/main.ts "${args[@]}"
