#!/usr/bin/env bash
# Browser test of the npm package: builds npm/ (scripts/build_npm.sh), installs the packed tarball
# into a scratch project, bundles tests/browser/app.js with esbuild for the browser (so "natsw"
# resolves through the package's "browser" condition, and the CommonJS @nats-io/nkeys gets
# bundled), starts a nats-server with a plain WebSocket port and JetStream, and loads the page in
# headless Chromium (Debian's `chromium`, installed with apt-get when missing). The page does
# pub/sub with headers, requests and a JetStream publish over WebSocket and reports back; then the
# example page (examples/browser/) is loaded the same way and must report its KV counter.
# Prints "browser: ok" and exits 0 on success.
#
# Usage: scripts/browser_test.sh [--no-build]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
[ "${1:-}" = "--no-build" ] || bash scripts/build_npm.sh --no-lint
bin="$root/tools/node_modules/.bin"
chromium="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$chromium" ]; then
  echo "== installing chromium (apt-get)"
  (export DEBIAN_FRONTEND=noninteractive; apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium; }) >&2
  chromium="$(command -v chromium)"
fi
nats_server="$("$root/scripts/ensure_nats_server.sh")"
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== npm pack + install + esbuild bundle"
tarball="$(cd "$work" && npm pack "$root/npm" --silent)"
mkdir -p "$work/app/www"
cd "$work/app"
echo '{ "name": "natsw-browser-test", "private": true, "type": "module" }' >package.json
npm install --no-audit --no-fund --loglevel=error --prefer-offline "$work/$tarball" >/dev/null
cp "$root/tests/browser/app.js" "$root/tests/browser/index.html" www/
"$bin/esbuild" www/app.js --bundle --format=esm --platform=browser --target=es2022 --outfile=www/bundle.js \
  --log-level=warning
# the example page (examples/browser/), bundled the same way
mkdir -p www/example
cp "$root/examples/browser/app.js" "$root/examples/browser/index.html" www/example/
"$bin/esbuild" www/example/app.js --bundle --format=esm --platform=browser --target=es2022 \
  --outfile=www/example/bundle.js --log-level=warning
echo "bundle.js: $(wc -c <www/bundle.js) bytes"

echo "== nats-server with a WebSocket port"
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
port="$(free_port)"
ws_port="$(free_port)"
cat >"$work/server.conf" <<CONF
listen: "127.0.0.1:$port"
jetstream { store_dir: "$work/js" }
websocket { listen: "127.0.0.1:$ws_port", no_tls: true }
CONF
"$nats_server" -c "$work/server.conf" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 200); do
  (echo >"/dev/tcp/127.0.0.1/$ws_port") 2>/dev/null && break
  sleep 0.05
done

echo "== headless $("$chromium" --version 2>/dev/null | head -1)"
node "$root/tests/browser/serve.mjs" "$work/app/www" "$chromium" "ws://127.0.0.1:$ws_port" 60000
echo "== the example page (examples/browser/)"
node "$root/tests/browser/serve.mjs" "$work/app/www" "$chromium" "ws://127.0.0.1:$ws_port" 60000 example/index.html \
  "kv: visits = 1"
echo "browser: ok"
