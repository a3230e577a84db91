/**
 * JetStream scenarios (BENCH.md): `jspub-128` publishes 200,000 messages to a memory stream with at
 * most 1,000 acknowledgements outstanding; `jsconsume-128` pull-consumes those messages with
 * explicit acks. Both clients use their JetStream packages and their idiomatic loops: a window of
 * pending `publish()` promises, and `consume()` with a `for await` loop that acks every message.
 */
import { connect as connectOurs } from "../../mod.ts";
import { jetstream as oursJs, jetstreamManager as oursJsm } from "../../jetstream/mod.ts";
import { connect as connectOfficial } from "@nats-io/transport-node";
import { jetstream as officialJs, jetstreamManager as officialJsm } from "@nats-io/jetstream";
import { type BenchContext, type ClientKind, metric, type RunResult, type Scenario } from "../types.ts";
import { payload } from "../util.ts";

const WINDOW = 1_000;
const SIZE = 128;
let serial = 0;

/** The operations both scenarios need, per client. */
interface JsBench {
  addStream(name: string, subject: string): Promise<void>;
  publish(subject: string, data: Uint8Array): Promise<unknown>;
  consumeAll(stream: string, n: number): Promise<void>;
  close(): Promise<void>;
}

async function ours(ctx: BenchContext): Promise<JsBench> {
  const nc = await connectOurs({ servers: ctx.url });
  const jsm = await oursJsm(nc);
  const js = oursJs(nc);
  return {
    addStream: async (name, subject) => void await jsm.streams.add({ name, subjects: [subject], storage: "memory" }),
    publish: (subject, data) => js.publish(subject, data),
    async consumeAll(stream, n) {
      await jsm.consumers.add(stream, { durable_name: "bench", ack_policy: "explicit" });
      const c = await js.consumers.get(stream, "bench");
      const messages = await c.consume({ max_messages: WINDOW });
      let got = 0;
      for await (const m of messages) {
        m.ack();
        if (++got === n) break;
      }
      await nc.flush();
    },
    close: () => nc.close(),
  };
}

async function official(ctx: BenchContext): Promise<JsBench> {
  const nc = await connectOfficial({ servers: ctx.url, noAsyncTraces: true });
  const jsm = await officialJsm(nc);
  const js = officialJs(nc);
  return {
    addStream: async (name, subject) =>
      void await jsm.streams.add({ name, subjects: [subject], storage: "memory" as never }),
    publish: (subject, data) => js.publish(subject, data),
    async consumeAll(stream, n) {
      await jsm.consumers.add(stream, { durable_name: "bench", ack_policy: "explicit" as never });
      const c = await js.consumers.get(stream, "bench");
      const messages = await c.consume({ max_messages: WINDOW });
      let got = 0;
      for await (const m of messages) {
        m.ack();
        if (++got === n) break;
      }
      await nc.flush();
    },
    close: () => nc.close(),
  };
}

/** Publishes `n` messages keeping at most WINDOW acknowledgements outstanding. */
async function publishWindowed(b: JsBench, subject: string, n: number): Promise<void> {
  const data = payload(SIZE);
  const inflight: Promise<unknown>[] = new Array(WINDOW);
  for (let i = 0; i < n; i++) {
    const slot = i % WINDOW;
    if (i >= WINDOW) await inflight[slot];
    inflight[slot] = b.publish(subject, data);
  }
  await Promise.all(inflight.slice(0, Math.min(n, WINDOW)));
}

/** Streams published by `jspub-128`, consumed by `jsconsume-128` of the same client and round. */
const filled = new Map<ClientKind, { stream: string; n: number }[]>();

const jspub: Scenario = {
  name: "jspub-128",
  async run(client: ClientKind, ctx: BenchContext): Promise<RunResult> {
    const n = ctx.n(200_000);
    const b = client === "ours" ? await ours(ctx) : await official(ctx);
    try {
      const stream = `BENCH_${client}_${++serial}`;
      const subject = `benchjs.${client}.${serial}`;
      await b.addStream(stream, subject);
      const start = performance.now();
      await publishWindowed(b, subject, n);
      const ms = performance.now() - start;
      filled.set(client, [...(filled.get(client) ?? []), { stream, n }]);
      return {
        metrics: [metric("msgs/s", (n * 1000) / ms, "msgs/s", "higher")],
        extra: { count: n, ms, window: WINDOW },
      };
    } finally {
      await b.close();
    }
  },
};

const jsconsume: Scenario = {
  name: "jsconsume-128",
  async run(client: ClientKind, ctx: BenchContext): Promise<RunResult> {
    const b = client === "ours" ? await ours(ctx) : await official(ctx);
    try {
      let target = filled.get(client)?.shift();
      if (!target) {
        // run on its own (--only jsconsume): fill a stream first, untimed
        const n = ctx.n(200_000);
        const stream = `BENCH_${client}_${++serial}`;
        await b.addStream(stream, `benchjs.${client}.${serial}`);
        await publishWindowed(b, `benchjs.${client}.${serial}`, n);
        target = { stream, n };
      }
      const start = performance.now();
      await b.consumeAll(target.stream, target.n);
      const ms = performance.now() - start;
      return {
        metrics: [metric("msgs/s", (target.n * 1000) / ms, "msgs/s", "higher")],
        extra: { count: target.n, ms },
      };
    } finally {
      await b.close();
    }
  },
};

/** The JetStream scenarios, publish first. */
export const scenarios: Scenario[] = [jspub, jsconsume];
