/**
 * Fast-ingest scenario (ADR-50, nats-server 2.14+): `jsfast-128` publishes 200,000 messages of 128
 * bytes to a memory stream with `allow_batched` as one fast-ingest batch (no gaps allowed, ack
 * interval 500, two acks outstanding), awaiting every `add()` and committing with `end()`. The
 * official client runs the same loop with `startFastIngest` from `@nats-io/jetstream/internal`.
 */
import { connect as connectOurs } from "../../mod.ts";
import { jetstream as oursJs, jetstreamManager as oursJsm } from "../../jetstream/mod.ts";
import { connect as connectOfficial } from "@nats-io/transport-node";
import { jetstreamManager as officialJsm } from "@nats-io/jetstream";
import { startFastIngest as officialStartFastIngest } from "@nats-io/jetstream/internal";
import { type BenchContext, type ClientKind, metric, type RunResult, type Scenario } from "../types.ts";
import { payload } from "../util.ts";

const SIZE = 128;
const SETTINGS = { allowGaps: false, ackInterval: 500, maxOutstandingAcks: 2 };
let serial = 0;

/** Publishes `n` messages as one batch (the first starts it); returns the milliseconds taken. */
async function ingestOurs(ctx: BenchContext, stream: string, subject: string, n: number): Promise<number> {
  const nc = await connectOurs({ servers: ctx.url });
  try {
    await (await oursJsm(nc)).streams.add({
      name: stream,
      subjects: [subject],
      storage: "memory",
      allow_batched: true,
    });
    const data = payload(SIZE);
    const start = performance.now();
    const fi = await oursJs(nc).startFastIngest(subject, data, SETTINGS);
    for (let i = 1; i < n; i++) await fi.add(subject, data);
    const ack = await fi.end();
    if (ack.count !== n) throw new Error(`ours: ${ack.count} of ${n} messages stored`);
    return performance.now() - start;
  } finally {
    await nc.close();
  }
}

async function ingestOfficial(ctx: BenchContext, stream: string, subject: string, n: number): Promise<number> {
  const nc = await connectOfficial({ servers: ctx.url, noAsyncTraces: true });
  try {
    const jsm = await officialJsm(nc);
    await jsm.streams.add({ name: stream, subjects: [subject], storage: "memory" as never, allow_batched: true });
    const data = payload(SIZE);
    const start = performance.now();
    const fi = await officialStartFastIngest(nc, subject, data, SETTINGS);
    for (let i = 1; i < n; i++) await fi.add(subject, data);
    const ack = await fi.end();
    if (ack.count !== n) throw new Error(`official: ${ack.count} of ${n} messages stored`);
    return performance.now() - start;
  } finally {
    await nc.close();
  }
}

const jsfast: Scenario = {
  name: "jsfast-128",
  async run(client: ClientKind, ctx: BenchContext): Promise<RunResult> {
    const n = ctx.n(200_000);
    const stream = `BENCH_FI_${client}_${++serial}`;
    const subject = `benchfi.${client}.${serial}`;
    const ms = client === "ours"
      ? await ingestOurs(ctx, stream, subject, n)
      : await ingestOfficial(ctx, stream, subject, n);
    return {
      metrics: [metric("msgs/s", (n * 1000) / ms, "msgs/s", "higher")],
      extra: { count: n, ms, ...SETTINGS },
    };
  },
};

/** The fast-ingest scenarios. */
export const scenarios: Scenario[] = [jsfast];
