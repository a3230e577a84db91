/**
 * Core NATS scenarios run in the bench process: publish throughput, publish→subscribe throughput
 * and sequential request/reply latency. Each run uses fresh connections and subjects.
 */
import { benchConnect } from "../clients.ts";
import { type BenchContext, type ClientKind, metric, type RunResult, type Scenario } from "../types.ts";
import { payload, percentile, waitCount } from "../util.ts";

let serial = 0;
function subject(kind: string, client: ClientKind): string {
  return `bench.${kind}.${client}.${++serial}`;
}

function throughput(n: number, size: number, ms: number): RunResult["metrics"] {
  return [
    metric("msgs/s", (n * 1000) / ms, "msgs/s", "higher"),
    metric("payload MB/s", (n * size) / 1e3 / ms, "MB/s", "higher"),
  ];
}

function pub(size: number): Scenario {
  return {
    name: `pub-${size}`,
    async run(client: ClientKind, ctx: BenchContext): Promise<RunResult> {
      const n = ctx.n(size >= 1024 ? 500_000 : 2_000_000);
      const data = payload(size);
      const nc = await benchConnect(client, ctx);
      try {
        const subj = subject("pub", client);
        const start = performance.now();
        await nc.publishMany(subj, data, n);
        await nc.flush();
        const ms = performance.now() - start;
        return { metrics: throughput(n, size, ms), extra: { count: n, size, ms } };
      } finally {
        await nc.close();
      }
    },
  };
}

/**
 * Publish→subscribe throughput; the subscriber takes messages with a callback (`pubsub-<size>`) or
 * with `for await` (`pubsubiter-<size>`).
 */
function pubsub(size: number, style: "callback" | "iterator"): Scenario {
  const name = style === "callback" ? `pubsub-${size}` : `pubsubiter-${size}`;
  return {
    name,
    async run(client: ClientKind, ctx: BenchContext): Promise<RunResult> {
      const n = ctx.n(size >= 1024 ? 500_000 : 2_000_000);
      const data = payload(size);
      const subConn = await benchConnect(client, ctx);
      const pubConn = await benchConnect(client, ctx);
      try {
        const subj = subject("pubsub", client);
        const sub = style === "callback" ? subConn.countSub(subj, n) : subConn.iterSub(subj, n);
        await subConn.flush();
        const start = performance.now();
        await pubConn.publishMany(subj, data, n);
        const pubMs = performance.now() - start;
        // Wait for the subscriber; a stall of 10 s (e.g. the server cut a slow consumer) ends the run.
        const got = await Promise.race([sub.done.then(() => n), waitCount(sub.received, n)]);
        const ms = performance.now() - start;
        const extra = { count: n, size, received: got, ms, publishLoopMs: pubMs };
        if (got < n) ctx.log(`${name} ${client}: only ${got} of ${n} messages arrived`);
        return { metrics: throughput(got, size, ms), extra: got < n ? { ...extra, incomplete: true } : extra };
      } finally {
        await pubConn.close();
        await subConn.close();
      }
    },
  };
}

const reqrep: Scenario = {
  name: "reqrep-128",
  async run(client: ClientKind, ctx: BenchContext): Promise<RunResult> {
    const n = ctx.n(20_000);
    const data = payload(128);
    const responder = await benchConnect(client, ctx);
    const requester = await benchConnect(client, ctx);
    try {
      const subj = subject("reqrep", client);
      responder.echo(subj);
      await responder.flush();
      for (let i = 0; i < Math.min(500, n); i++) await requester.request(subj, data);
      const lat = new Float64Array(n);
      const start = performance.now();
      for (let i = 0; i < n; i++) {
        const t = performance.now();
        const got = await requester.request(subj, data);
        lat[i] = (performance.now() - t) * 1000;
        if (got !== 128) throw new Error(`echo returned ${got} bytes`);
      }
      const ms = performance.now() - start;
      lat.sort();
      return {
        metrics: [
          metric("req/s", (n * 1000) / ms, "req/s", "higher"),
          metric("p50", percentile(lat, 50), "µs", "lower"),
          metric("p99", percentile(lat, 99), "µs", "lower"),
        ],
        extra: { count: n, ms },
      };
    } finally {
      await requester.close();
      await responder.close();
    }
  },
};

/** pub-16/128/1024, pubsub-16/128/1024 (callback), pubsubiter-16/128/1024 (`for await`), reqrep-128. */
export const scenarios: Scenario[] = [
  pub(16),
  pub(128),
  pub(1024),
  pubsub(16, "callback"),
  pubsub(128, "callback"),
  pubsub(1024, "callback"),
  pubsub(16, "iterator"),
  pubsub(128, "iterator"),
  pubsub(1024, "iterator"),
  reqrep,
];
