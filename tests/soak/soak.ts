/**
 * `deno task soak [--seconds N] [--seed S]`: a chaos soak on a 3-node JetStream cluster on
 * loopback. Core pub/sub, an R3 JetStream publisher with pull and ordered consumers, a KV writer
 * and watcher and an object store worker run, each on its own connections, while a random node is
 * killed, restarted, frozen or put in lame duck mode every few seconds (one at a time). At the end
 * every workload checks what NATS promises (see each module), the process must have had no
 * unhandled rejection and its RSS must have stayed bounded. Prints a summary and, last,
 * `soak: <seconds>s, N faults, N violations`; exits 1 on any violation.
 *
 * @module
 */
import { NatsCluster } from "../helpers/server.ts";
import { Chaos } from "./chaos.ts";
import { Report, Rng, sleep, type Workload } from "./common.ts";
import { CoreWorkload } from "./core.ts";
import { JsWorkload } from "./js.ts";
import { KvWorkload } from "./kv.ts";
import { ObjWorkload } from "./obj.ts";
import { MemoryWatch } from "./memory.ts";

/** Bound of each workload's end check, once the faults are over. */
const VERIFY_MS = 60_000;

function parseArgs(args: string[]): { seconds: number; seed: number } {
  let seconds = 60;
  let seed = Math.floor(Math.random() * 2 ** 31);
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split("=", 2);
    const value = inline ?? args[++i];
    if (flag === "--seconds") seconds = Number(value);
    else if (flag === "--seed") seed = Number(value);
    else throw new Error(`unknown argument ${args[i]} (use --seconds N, --seed S)`);
    if (!Number.isInteger(Number(value)) || Number(value) < 0) throw new Error(`${flag} needs a whole number`);
  }
  if (seconds < 1) throw new Error("--seconds must be at least 1");
  return { seconds, seed };
}

function log(line: string): void {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
}

async function main(): Promise<number> {
  const { seconds, seed } = parseArgs(Deno.args);
  const report = new Report();
  const rng = new Rng(seed);
  // a source of its own for the workloads, so the faults of a seed do not depend on their timing
  const workloadRng = new Rng(seed ^ 0x5bd1e995);
  globalThis.addEventListener("unhandledrejection", (e) => {
    e.preventDefault();
    report.violation("process", `unhandled rejection: ${e.reason?.stack ?? e.reason}`);
  });
  log(`soak: ${seconds}s, seed ${seed}`);
  const cluster = await NatsCluster.start(3, {
    jetstream: true,
    monitor: true,
    config: 'lame_duck_duration: "30s"\nlame_duck_grace_period: "1s"',
  });
  const onInterrupt = () => {
    log("interrupted: stopping the servers");
    cluster.stop().finally(() => Deno.exit(130));
  };
  Deno.addSignalListener("SIGINT", onInterrupt);
  const workloads: Workload[] = [];
  const memory = new MemoryWatch();
  const chaos = new Chaos(cluster, rng, report, log);
  try {
    if (!await cluster.waitForHealthy(30_000)) throw new Error("the cluster did not become healthy");
    workloads.push(await CoreWorkload.start(cluster.urls, report));
    workloads.push(await JsWorkload.start(cluster.urls, report));
    workloads.push(await KvWorkload.start(cluster.urls, report));
    workloads.push(await ObjWorkload.start(cluster.urls, report, workloadRng));
    log("workloads running; faults start");
    memory.start();
    chaos.start();
    await sleep(seconds * 1000);
    await chaos.stop();
    memory.stop();
    log(`faults over (${chaos.total}); waiting for the cluster, then the workloads' end checks`);
    if (!await cluster.waitForHealthy(90_000)) report.violation("cluster", "not healthy after the faults");
    await sleep(2000); // the workloads run a moment on a healthy cluster
    for (const w of workloads) await w.stop();
    for (const w of workloads) {
      await w.verify(report, VERIFY_MS).catch((err) => report.violation(w.name, `end check failed: ${err}`));
    }
    memory.check(report);
  } finally {
    await chaos.stop();
    memory.stop();
    for (const w of workloads) await w.close().catch(() => {});
    await cluster.stop();
    Deno.removeSignalListener("SIGINT", onInterrupt);
  }
  const faults = [...chaos.counts].map(([k, v]) => `${k} ${v}`).join(", ") || "none";
  console.log("== summary");
  console.log(`faults: ${chaos.total} (${faults})`);
  for (const w of workloads) console.log(w.summary());
  console.log(memory.summary());
  console.log(`violations: ${report.total}`);
  for (const line of report.lines()) console.log(line);
  console.log(`soak: ${seconds}s, ${chaos.total} faults, ${report.total} violations`);
  return report.total === 0 ? 0 : 1;
}

Deno.exit(await main());
