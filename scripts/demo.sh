#!/usr/bin/env bash
# Runs the demo. Uses $NATS_URL when set; otherwise starts a local nats-server (installing one
# into .cache/ when none is found) on a free port and stops it afterwards.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
deno="${DENO_BIN:-$(command -v deno || echo "$root/tools/node_modules/.bin/deno")}"
if [ -z "${NATS_URL:-}" ]; then
  bin="$("$root/scripts/ensure_nats_server.sh")"
  port=$(( 20000 + RANDOM % 20000 ))
  store="$(mktemp -d)"
  "$bin" -a 127.0.0.1 -p "$port" -js -sd "$store" >"$store/server.log" 2>&1 &
  pid=$!
  trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$store"' EXIT
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.05; done
  export NATS_URL="nats://127.0.0.1:$port"
  echo "started nats-server on $NATS_URL"
fi
hostport="${NATS_URL#*://}"; hostport="${hostport#*@}"
"$deno" run --no-prompt --allow-env=NATS_URL --allow-net="$hostport" scripts/demo.ts
