#!/usr/bin/env bash
# Installs the npm build tools of tools/package.json (AssemblyScript, TypeScript, Deno) once.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ ! -x "$root/tools/node_modules/.bin/asc" ] || [ ! -x "$root/tools/node_modules/.bin/tsc" ]; then
  (cd "$root/tools" && npm install --no-audit --no-fund --loglevel=error >&2)
fi
echo "$root/tools/node_modules/.bin"
