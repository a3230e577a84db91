#!/usr/bin/env bash
# Builds the npm package into npm/: ESM .js + .d.ts compiled by tsc (TypeScript 7) from a staged
# copy of the sources without the Deno-only files, a package.json (name natsw, version from
# deno.json), README and LICENSE; then runs publint on it.
#
# Entry points: "." (Node; the "browser"/"worker"/"workerd" conditions get the WebSocket-only
# browser entry), "./node" (src/runtime/node.ts), "./browser" (src/runtime/browser.ts), and
# "./jetstream", "./kv", "./obj", "./service", "./testing" when their mod.ts exists (the testing kit
# with its Node host: testing/default_host.ts is swapped for one naming testing/node_host.ts). The Deno entry (mod.ts) and
# the Deno transports are not part of it; the feature folders import the runtime-neutral src/core.ts.
#
# Usage: scripts/build_npm.sh [--no-lint]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
tools="$root/tools"
need=(tsc esbuild publint)
for b in "${need[@]}"; do
  if [ ! -x "$tools/node_modules/.bin/$b" ] || [ ! -d "$tools/node_modules/@nats-io/nkeys" ] ||
    [ ! -d "$tools/node_modules/@types/node" ]; then
    (cd "$tools" && npm ci --no-audit --no-fund --loglevel=error >&2)
    break
  fi
done
bin="$tools/node_modules/.bin"
out="$root/npm"
stage="$root/.cache/npm-stage"

echo "== stage sources"
rm -rf "$stage" "$out"
mkdir -p "$stage"
dirs=(src)
features=()
for f in jetstream kv obj service testing; do
  if [ -f "$f/mod.ts" ]; then dirs+=("$f"); features+=("$f"); fi
done
find "${dirs[@]}" -name '*.ts' ! -name '*_test.ts' -print0 | xargs -0 cp --parents -t "$stage"
find wasm -maxdepth 1 -name '*.ts' ! -name '*_test.ts' -print0 | xargs -0 cp --parents -t "$stage"
# Deno-only modules: the Deno transports, the Deno creds-file reader and context-file access.
rm -f "$stage"/src/transport/deno_*.ts "$stage"/src/runtime/deno_*.ts "$stage/src/auth/creds_file.ts"
# The testing kit runs on Node's host there (node:child_process, node:net) instead of Deno's.
if [ -d "$stage/testing" ]; then
  rm -f "$stage/testing/deno_host.ts"
  printf '%s\n' '/** The runtime the testing kit uses by default: Node. */' \
    'export { nodeHost as defaultHost } from "./node_host.ts";' >"$stage/testing/default_host.ts"
fi
# Nothing compiled for npm may use the Deno namespace (doc comments aside).
if grep -rnE '\bDeno\.' "$stage" --include='*.ts' | grep -vE '^[^:]+:[0-9]+:\s*(\*|//)'; then
  echo "build_npm: the lines above use Deno APIs; they cannot go into the npm build" >&2
  exit 1
fi
echo '{ "type": "module" }' >"$stage/package.json"
sed -e "s#@OUT@#$out#" -e "s#@TOOLS@#$tools#g" scripts/npm_package/tsconfig.json >"$stage/tsconfig.json"

echo "== tsc ($("$bin/tsc" --version))"
"$bin/tsc" -p "$stage/tsconfig.json"
rm -f "$out/tsconfig.json" "$out/package.json"

echo "== package.json, README, LICENSE"
FEATURES="${features[*]}" STAGE="$stage" node --input-type=module - "$root" "$out" <<'JS'
import { readFileSync, writeFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
const [root, out] = process.argv.slice(2);
// deno.json is JSONC: drop whole-line comments and trailing commas before parsing.
const jsonc = readFileSync(join(root, "deno.json"), "utf8").replace(/^\s*\/\/.*$/gm, "").replace(/,(\s*[\]}])/g, "$1");
const deno = JSON.parse(jsonc);
const entry = (path) => ({ types: `./${path}.d.ts`, default: `./${path}.js` });
const node = entry("src/runtime/node");
const browser = entry("src/runtime/browser");
const exports = {
  ".": { browser, worker: browser, workerd: browser, default: node },
  "./node": node,
  "./browser": browser,
};
for (const f of process.env.FEATURES.split(" ").filter(Boolean)) exports[`./${f}`] = entry(`${f}/mod`);
exports["./package.json"] = "./package.json";
// Dependencies: the bare npm imports of the staged sources, at the versions deno.json maps them to.
const used = new Set();
const walk = (d) => {
  for (const n of readdirSync(d)) {
    const p = join(d, n);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith(".ts")) {
      const code = readFileSync(p, "utf8").split("\n").filter((l) => !/^\s*(\*|\/\/|\/\*)/.test(l)).join("\n");
      for (const m of code.matchAll(/from\s+"(@?[^".][^"]*)"/g)) {
        if (!m[1].startsWith("node:")) used.add(m[1]);
      }
    }
  }
};
walk(process.env.STAGE);
const dependencies = {};
for (const name of [...used].sort()) {
  const spec = deno.imports?.[name];
  const m = /^npm:(@?[^@]+)@(.+)$/.exec(spec ?? "");
  if (!m) throw new Error(`build_npm: no npm: mapping in deno.json for '${name}'`);
  dependencies[m[1]] = m[2];
}
const pkg = JSON.parse(readFileSync(join(root, "scripts/npm_package/package.json"), "utf8"));
pkg.version = deno.version;
pkg.exports = exports;
pkg.dependencies = dependencies;
writeFileSync(join(out, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
console.log(`natsw@${pkg.version} exports: ${Object.keys(exports).join(" ")}; dependencies: ${JSON.stringify(dependencies)}`);
JS
cp scripts/npm_package/README.md "$out/README.md"
cp LICENSE "$out/LICENSE"
echo "npm/: $(find "$out" -name '*.js' | wc -l) .js files, $(du -sk "$out" | cut -f1) KiB"

if [ "${1:-}" != "--no-lint" ]; then
  echo "== publint"
  "$bin/publint" run "$out"
fi
