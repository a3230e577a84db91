#!/usr/bin/env bash
# Prints the path of a nats-server binary, installing one into .cache/ when none is found.
#
# Order: $NATS_SERVER_BIN, nats-server on PATH (only if its version is >= 2.10), then
# .cache/nats-server/<suite>/usr/sbin/nats-server, then a download of Debian's package
# for the suite (default "sid", which carries 2.15.x) through apt-get, using the mirror
# this machine is already configured with. Nothing is installed system-wide.
#
# Usage: scripts/ensure_nats_server.sh [suite]
set -euo pipefail
suite="${1:-sid}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="$root/.cache/nats-server/$suite"
bin="$cache/usr/sbin/nats-server"

if [ "$suite" = "sid" ] && [ -n "${NATS_SERVER_BIN:-}" ] && [ -x "$NATS_SERVER_BIN" ]; then echo "$NATS_SERVER_BIN"; exit 0; fi
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi
if [ "$suite" = "sid" ] && command -v nats-server >/dev/null 2>&1; then
  v=$(nats-server --version 2>/dev/null | sed -nE 's/.*v([0-9]+)\.([0-9]+).*/\1 \2/p')
  read -r major minor <<<"${v:-0 0}"
  if [ "$major" -ge 2 ] && [ "$minor" -ge 10 ]; then command -v nats-server; exit 0; fi
fi

if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-deb >/dev/null 2>&1; then
  echo "nats-server not found and apt-get/dpkg-deb are not available: install nats-server >= 2.10 and put it on PATH, or set NATS_SERVER_BIN" >&2
  exit 1
fi

src=""
for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  src=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' "$f")
  [ -n "$src" ] && break
done
if [ -z "$src" ] && [ -f /etc/apt/sources.list ]; then
  src=$(awk '/^deb / && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list)
fi
if [ -z "$src" ]; then echo "no Debian mirror configured in /etc/apt: cannot fetch nats-server" >&2; exit 1; fi

work="$root/.cache/apt-$suite"
mkdir -p "$work/sources" "$work/lists/partial" "$work/archives/partial" "$cache"
cat >"$work/sources/nats.sources" <<SRC
Types: deb
URIs: $src
Suites: $suite
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
opts=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$work/sources"
      -o "Dir::State::Lists=$work/lists" -o "Dir::Cache::Archives=$work/archives"
      -o Debug::NoLocking=1 -qq)
echo "installing nats-server from Debian $suite into $cache" >&2
apt-get "${opts[@]}" update >&2
(cd "$work" && apt-get -o APT::Sandbox::User=root "${opts[@]}" download nats-server >&2)
deb=$(ls -t "$work"/nats-server_*.deb | head -1)
dpkg-deb -x "$deb" "$cache"
"$bin" --version >&2
echo "$bin"
