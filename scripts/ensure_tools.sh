#!/usr/bin/env bash
# Installs the npm build tools of tools/package.json (Deno, AssemblyScript, TypeScript, esbuild,
# publint) from its lockfile when any of them is missing; prints the folder of their binaries.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/tools/node_modules/.bin"
for b in deno asc tsc esbuild publint; do
  if [ ! -x "$bin/$b" ]; then
    (cd "$root/tools" && npm ci --no-audit --no-fund --loglevel=error >&2)
    break
  fi
done
echo "$bin"
