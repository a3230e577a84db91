/**
 * The names gate: every name a nats.js 3.4 public entry exports must resolve from natsw's matching
 * entry, as a value where nats.js exports a value and as a type where nats.js exports a type.
 *
 * nats.js's names come from its installed npm packages (the versions pinned in `deno.json`):
 * `deno doc --json` lists every exported name and its declaration kinds, and importing the
 * package tells which of them exist at run time. natsw's names come from `deno doc --json` and
 * an import of each entry. Prints `names: N of M present` and every missing name; exits 1 when
 * any name is missing. Run by `deno task check`, or alone:
 *
 * ```sh
 * deno run -A scripts/compat_names.ts
 * ```
 *
 * @module
 */

/** A nats.js package and which of its names an entry must have (all when `only` is absent). */
interface Source {
  /** The import-map name in `deno.json`, e.g. `@nats-io/nats-core`. */
  pkg: string;
  /** Just these names of the package (for transports, whose other names are the core's). */
  only?: string[];
}

/** A natsw entry and the nats.js packages whose names it must export. */
interface Pair {
  entry: string;
  sources: Source[];
}

const pairs: Pair[] = [
  {
    entry: "mod.ts",
    sources: [{ pkg: "@nats-io/nats-core" }, { pkg: "@nats-io/transport-node", only: ["connect"] }],
  },
  { entry: "jetstream/mod.ts", sources: [{ pkg: "@nats-io/jetstream" }] },
  { entry: "kv/mod.ts", sources: [{ pkg: "@nats-io/kv" }] },
  { entry: "obj/mod.ts", sources: [{ pkg: "@nats-io/obj" }] },
  { entry: "service/mod.ts", sources: [{ pkg: "@nats-io/services" }] },
];

/**
 * nats.js names that natsw deliberately does not export, by entry, each with its reason, e.g.
 * `{ "mod.ts": { SomeImpl: "an implementation class programs do not use" } }`. Empty: every name
 * is exported. A name added here is a name a nats.js program cannot import from natsw.
 */
const allowed: Record<string, Record<string, string>> = {};

/** Declaration kinds that give a name a type meaning. */
const typeKinds = new Set(["class", "enum", "interface", "typeAlias"]);
/** Keys that CommonJS interop adds to an imported npm module. */
const interopKeys = new Set(["__esModule", "default", "module.exports"]);

/** What a module exports: which names are values at run time, and which have a type meaning. */
interface Exports {
  values: Set<string>;
  types: Set<string>;
  all: string[];
}

const root = new URL("../", import.meta.url);
const deno = Deno.execPath();

/** The names `deno doc --json` lists for `specifier`, with whether each has a type meaning. */
async function docNames(specifier: string): Promise<Map<string, boolean>> {
  const out = await new Deno.Command(deno, {
    args: ["doc", "--json", specifier],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`deno doc ${specifier} failed: ${new TextDecoder().decode(out.stderr)}`);
  const doc = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    nodes: Record<string, { symbols: { name: string; declarations: { kind: string }[] }[] }>;
  };
  const names = new Map<string, boolean>();
  for (const node of Object.values(doc.nodes)) {
    for (const s of node.symbols) {
      const isType = s.declarations.some((d) => typeKinds.has(d.kind));
      names.set(s.name, (names.get(s.name) ?? false) || isType);
    }
  }
  return names;
}

/** The exports of `specifier`: `deno doc` for the names and kinds, an import for the values. */
async function exportsOf(specifier: string): Promise<Exports> {
  const names = await docNames(specifier);
  const runtime = Object.keys(await import(specifier)).filter((k) => !interopKeys.has(k));
  const values = new Set(runtime.filter((k) => names.has(k)));
  const types = new Set([...names].filter(([, isType]) => isType).map(([n]) => n));
  return { values, types, all: [...names.keys()] };
}

const imports = (JSON.parse(await Deno.readTextFile(new URL("deno.json", root))) as {
  imports: Record<string, string>;
}).imports;

let present = 0;
let total = 0;
const missing: string[] = [];
for (const { entry, sources } of pairs) {
  const ours = await exportsOf(new URL(entry, root).href);
  let entryPresent = 0;
  let entryTotal = 0;
  for (const { pkg, only } of sources) {
    const spec = imports[pkg];
    if (!spec) throw new Error(`deno.json has no import for ${pkg}`);
    const theirs = await exportsOf(spec);
    for (const name of only ?? theirs.all) {
      if (!theirs.all.includes(name)) throw new Error(`${pkg} does not export ${name}`);
      entryTotal++;
      const gaps: string[] = [];
      if (theirs.values.has(name) && !ours.values.has(name)) gaps.push("value");
      if (theirs.types.has(name) && !ours.types.has(name)) gaps.push("type");
      if (gaps.length === 0) entryPresent++;
      else if (!allowed[entry]?.[name]) missing.push(`  ${entry}: ${name} (${gaps.join(" and ")} of ${pkg})`);
      else entryPresent++;
    }
  }
  console.log(`${entry}: ${entryPresent} of ${entryTotal}`);
  present += entryPresent;
  total += entryTotal;
}
const allowedCount = Object.values(allowed).reduce((n, m) => n + Object.keys(m).length, 0);
console.log(`names: ${present} of ${total} present${allowedCount ? ` (${allowedCount} allowed absent)` : ""}`);
if (missing.length) {
  console.log(`missing (${missing.length}):\n${missing.join("\n")}`);
  Deno.exit(1);
}
