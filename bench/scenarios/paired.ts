/**
 * Scenarios backed by benchmark modules that measure both clients in one call (they run ours, then
 * the official client): `service-128` (bench/service_bench.ts), `kv-128` (bench/kv_bench.ts: puts
 * then gets, as many keys as operations, memory bucket) and `obj-64MiB` (bench/obj_bench.ts, each
 * client in its own subprocess). The harness still asks per client, so one paired call serves
 * the two runs of a round; the order inside a pair is fixed by those modules.
 */
import { serviceBench } from "../service_bench.ts";
import { objBench } from "../obj_bench.ts";
import { kvBench } from "../kv_bench.ts";
import { type BenchContext, type ClientKind, metric, type RunResult, type Scenario } from "../types.ts";

function paired<P>(
  name: string,
  runPair: (ctx: BenchContext) => Promise<Record<ClientKind, P>>,
  toResult: (p: P, ctx: BenchContext) => RunResult,
): Scenario {
  let cached: { pair: Promise<Record<ClientKind, P>>; used: Set<ClientKind> } | undefined;
  return {
    name,
    async run(client: ClientKind, ctx: BenchContext): Promise<RunResult> {
      if (!cached || cached.used.has(client)) cached = { pair: runPair(ctx), used: new Set() };
      cached.used.add(client);
      return toResult((await cached.pair)[client], ctx);
    },
  };
}

const MiB = 1024 * 1024;

/** service-128, kv-128 (kvput/kvget ops/s) and obj-64MiB (objput/objget MiB/s, peak RSS). */
export const scenarios: Scenario[] = [
  paired(
    "service-128",
    (ctx) => serviceBench(ctx.url, ctx.n(20_000)),
    (rps) => ({ metrics: [metric("req/s", rps, "req/s", "higher")] }),
  ),
  paired(
    "kv-128",
    (ctx) => kvBench(ctx.url, ctx.n(20_000)),
    (r) => ({
      metrics: [metric("kvput", r.put, "ops/s", "higher"), metric("kvget", r.get, "ops/s", "higher")],
    }),
  ),
  paired(
    "obj-64MiB",
    (ctx) => objBench(ctx.url, Math.max(MiB, Math.round(64 * MiB * ctx.scale))),
    (r) => ({
      metrics: [
        metric("put", r.put, "MiB/s", "higher"),
        metric("get", r.get, "MiB/s", "higher"),
        metric("peak RSS", r.peakRssMiB, "MiB", "lower"),
      ],
    }),
  ),
];
