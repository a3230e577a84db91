/**
 * `deno task bench`: starts one nats-server (JetStream on, temp store, random loopback port), runs
 * every scenario for natsw ("ours") and nats.js v3 ("official") alternately, prints one JSON line
 * per scenario per client on stdout, then a markdown table with both numbers and ours/official.
 *
 * Flags: --quick (= --scale 0.05, one round, fewer cold starts), --scale <x>, --count <n>
 * (overrides every scenario's message count), --only a,b (names or prefixes, e.g. pub,parse-16),
 * --rounds <r> (default 3, 1 with --quick; medians are reported), --ours-loop every|catch,
 * --list.
 */
import { NatsServer } from "../tests/helpers/server.ts";
import { SCENARIOS } from "./registry.ts";
import { type BenchContext, type ClientKind, CLIENTS, type Metric, type RunResult, type Scenario } from "./types.ts";
import { delay, median } from "./util.ts";

interface Args {
  quick: boolean;
  scale: number;
  count: number | undefined;
  only: string[];
  rounds: number;
  oursLoop: "every" | "catch";
  list: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { quick: false, scale: 1, count: undefined, only: [], rounds: 0, oursLoop: "every", list: false };
  let scaleSet = false;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2) as [string, string | undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case "--":
        break;
      case "--quick":
        a.quick = true;
        break;
      case "--scale":
        a.scale = Number(value());
        scaleSet = true;
        break;
      case "--count":
        a.count = Number(value());
        break;
      case "--only":
        a.only = value().split(",").map((s) => s.trim()).filter(Boolean);
        break;
      case "--rounds":
        a.rounds = Number(value());
        break;
      case "--ours-loop":
        a.oursLoop = value() === "catch" ? "catch" : "every";
        break;
      case "--list":
        a.list = true;
        break;
      default:
        throw new Error(`unknown flag ${argv[i]} (see bench/main.ts)`);
    }
  }
  if (a.quick && !scaleSet) a.scale = 0.05;
  if (!(a.scale > 0)) throw new Error("--scale must be > 0");
  if (a.count !== undefined && !(a.count > 0)) throw new Error("--count must be > 0");
  if (a.rounds <= 0) a.rounds = a.quick ? 1 : 3;
  return a;
}

function selected(all: Scenario[], only: string[]): Scenario[] {
  if (only.length === 0) return all;
  return all.filter((s) => only.some((o) => s.name === o || s.name.startsWith(o.endsWith("-") ? o : `${o}-`)));
}

function fmt(m: Metric | undefined): string {
  if (!m) return "—";
  const v = m.value;
  if (m.unit === "msgs/s" || m.unit === "req/s" || m.unit === "ops/s") {
    return v >= 1e6 ? `${(v / 1e6).toFixed(2)} M/s` : v >= 1e3 ? `${(v / 1e3).toFixed(1)} k/s` : `${v.toFixed(0)}/s`;
  }
  if (m.unit === "msgs") return v >= 1e3 ? `${(v / 1e3).toFixed(1)} k` : `${v}`;
  const digits = v >= 100 ? 0 : v >= 10 ? 1 : 2;
  return `${v.toFixed(digits)} ${m.unit}`;
}

/** Per-metric medians over rounds (the first run's metric list gives the order). */
function aggregate(runs: RunResult[]): Metric[] {
  if (runs.length === 0) return [];
  return runs[0].metrics.map((m, i) => ({ ...m, value: median(runs.map((r) => r.metrics[i]?.value ?? NaN)) }));
}

async function main(): Promise<void> {
  const args = parseArgs(Deno.args);
  const scenarios = selected(SCENARIOS, args.only);
  if (args.list) {
    for (const s of SCENARIOS) console.log(s.name);
    return;
  }
  if (scenarios.length === 0) throw new Error(`no scenario matches --only ${args.only.join(",")}`);
  const gc = (globalThis as { gc?: () => void }).gc;
  const log = (msg: string) => console.error(`[bench] ${msg}`);
  const server = await NatsServer.start({ jetstream: true });
  const stop = () => {
    server.stop().finally(() => Deno.exit(130));
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  const tmpDir = await Deno.makeTempDir({ prefix: "natsw-bench-" });
  const ctx: BenchContext = {
    url: server.url,
    scale: args.scale,
    count: args.count,
    quick: args.quick,
    denoBin: Deno.execPath(),
    config: new URL("../deno.json", import.meta.url).pathname,
    tmpDir,
    oursLoop: args.oursLoop,
    log,
    n(full: number): number {
      return args.count ?? Math.max(1, Math.round(full * args.scale));
    },
  };
  const version = new TextDecoder().decode(
    (await new Deno.Command(server.bin, { args: ["--version"] }).output()).stdout,
  )
    .trim();
  log(
    `${version} at ${server.url}; deno ${Deno.version.deno}; scale ${args.scale}; rounds ${args.rounds}` +
      `; load ${Deno.loadavg().map((x) => x.toFixed(2)).join(" ")}`,
  );
  const rows: { name: string; ours: Metric[]; official: Metric[]; errors: string[] }[] = [];
  try {
    for (let si = 0; si < scenarios.length; si++) {
      const s = scenarios[si];
      const runs: Record<ClientKind, RunResult[]> = { ours: [], official: [] };
      const errors: string[] = [];
      for (let r = 0; r < args.rounds; r++) {
        const order = (r + si) % 2 === 0 ? CLIENTS : [...CLIENTS].reverse();
        for (const client of order) {
          gc?.();
          await delay(100);
          try {
            const res = await s.run(client, ctx);
            runs[client].push(res);
            log(`${s.name} ${client} round ${r + 1}: ${res.metrics.map((m) => `${m.name} ${fmt(m)}`).join(", ")}`);
          } catch (err) {
            const msg = `${client}: ${err instanceof Error ? err.message : String(err)}`;
            errors.push(msg);
            log(`${s.name} ${msg}`);
          }
        }
      }
      const agg = { ours: aggregate(runs.ours), official: aggregate(runs.official) };
      for (const client of CLIENTS) {
        const last = runs[client].at(-1);
        console.log(JSON.stringify({
          scenario: s.name,
          client,
          rounds: runs[client].length,
          metrics: Object.fromEntries(
            agg[client].map((m) => [m.name, { value: m.value, unit: m.unit, better: m.better }]),
          ),
          headline: runs[client].map((res) => res.metrics[0]?.value),
          extra: last?.extra,
          errors: errors.filter((e) => e.startsWith(`${client}:`)),
        }));
      }
      rows.push({ name: s.name, ...agg, errors });
    }
  } finally {
    Deno.removeSignalListener("SIGINT", stop);
    Deno.removeSignalListener("SIGTERM", stop);
    await server.stop();
    await Deno.remove(tmpDir, { recursive: true }).catch(() => {});
  }
  console.log("");
  console.log(
    `natsw vs nats.js 3.4.0 (transport-node on Deno ${Deno.version.deno}), ${version}, ` +
      `scale ${args.scale}, ${args.rounds} round(s), medians`,
  );
  console.log("");
  console.log("| scenario | metric | ours | official | ours/official | better |");
  console.log("|---|---|---:|---:|---:|---|");
  for (const row of rows) {
    const names = (row.ours.length ? row.ours : row.official).map((m) => m.name);
    if (names.length === 0) console.log(`| ${row.name} | failed | — | — | — | ${row.errors.join("; ")} |`);
    for (const name of names) {
      const o = row.ours.find((m) => m.name === name);
      const f = row.official.find((m) => m.name === name);
      const better = (o ?? f)!.better;
      const ratio = o && f && better !== "none" && f.value > 0 ? `${(o.value / f.value).toFixed(2)}×` : "—";
      const label = better === "higher"
        ? "higher (ratio > 1 = ours faster)"
        : better === "lower"
        ? "lower (ratio < 1 = ours better)"
        : "info";
      console.log(`| ${row.name} | ${name} | ${fmt(o)} | ${fmt(f)} | ${ratio} | ${label} |`);
    }
  }
}

await main();
