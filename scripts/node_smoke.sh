#!/usr/bin/env bash
# Node smoke test of the npm package: builds npm/ (scripts/build_npm.sh), packs it with `npm pack`,
# installs the tarball (and the `ws` package) into a scratch Node project in a temp folder (with
# examples/node/tour.mjs, which the suite runs), makes
# a test CA with server and client certificates (openssl), and runs tests/node/smoke.mjs there with
# `node --test` against real nats-server processes. Prints node's test summary; exit code is
# node's.
#
# Usage: scripts/node_smoke.sh [--no-build]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
[ "${1:-}" = "--no-build" ] || bash scripts/build_npm.sh --no-lint
NATS_SERVER_BIN="$("$root/scripts/ensure_nats_server.sh")"
export NATS_SERVER_BIN
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "== certificates (openssl)"
export CERTS_DIR="$work/certs"
mkdir -p "$CERTS_DIR"
(
  cd "$CERTS_DIR"
  ec=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)
  openssl req -x509 "${ec[@]}" -keyout ca.key -out ca.pem -days 2 -subj "/CN=natsw smoke CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
  issue() { # name common-name extensions
    openssl req "${ec[@]}" -keyout "$1.key" -out "$1.csr" -subj "/CN=$2"
    printf '%b\nbasicConstraints=CA:FALSE\n' "$3" >"$1.ext"
    openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -out "$1.pem" -days 2 -extfile "$1.ext"
  }
  issue server localhost 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth'
  issue client natsw-smoke-client 'extendedKeyUsage=clientAuth'
) 2>/dev/null

echo "== npm pack + install into a scratch project"
tarball="$(cd "$work" && npm pack "$root/npm" --silent)"
mkdir -p "$work/app"
cp tests/node/smoke.mjs examples/node/tour.mjs "$work/app/"
cd "$work/app"
echo '{ "name": "natsw-smoke", "private": true, "type": "module" }' >package.json
npm install --no-audit --no-fund --loglevel=error --prefer-offline "$work/$tarball" ws@8.23.0 >/dev/null
echo "installed $(node -p 'require("natsw/package.json").name + "@" + require("natsw/package.json").version') on node $(node --version)"

echo "== node --test"
node --test --test-reporter=spec --test-timeout=60000 smoke.mjs
