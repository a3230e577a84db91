/**
 * JetStream programs written for nats.js, run on nats.js 3.4 and on natsw against the same kind
 * of server: publishing, pull `consume()`, ordered consumers, `fetch()`, `next()` and stream and
 * consumer management as nats.js's docs and examples use them, and how consuming settles when the
 * stream or the consumer goes away. Each body returns what a program would observe.
 */
import { jetstream as njsJetstream, jetstreamManager as njsJetstreamManager } from "@nats-io/jetstream";
import {
  type ConsumerMessages,
  type ConsumerNotification,
  jetstream as nwJetstream,
  type JetStreamClient,
  type JetStreamManager,
  jetstreamManager as nwJetstreamManager,
  type JsMsg,
  nanos,
} from "../../jetstream/mod.ts";
import type { NatsConnection } from "../../mod.ts";
import { type CompatClient, type CompatConnection, compatTest } from "./harness.ts";

/**
 * The JetStream client and manager of `client` over `nc`. Bodies are written against natsw's
 * types and use only what nats.js has too; nats.js's objects are cast to them.
 */
async function open(
  client: CompatClient,
  nc: CompatConnection,
): Promise<{ js: JetStreamClient; jsm: JetStreamManager }> {
  if (client.name === "natsw") {
    const c = nc as unknown as NatsConnection;
    return { js: nwJetstream(c), jsm: await nwJetstreamManager(c) };
  }
  const js = njsJetstream(nc as never) as unknown as JetStreamClient;
  return { js, jsm: await njsJetstreamManager(nc as never) as unknown as JetStreamManager };
}

/** Connects `client` to `srv` and opens JetStream on it. */
async function setup(client: CompatClient, hostport: string) {
  const nc = await client.connect({ servers: hostport });
  return { nc, ...await open(client, nc) };
}

/** Records the notifications of `messages`. */
function record(messages: ConsumerMessages): ConsumerNotification[] {
  const seen: ConsumerNotification[] = [];
  (async () => {
    for await (const s of messages.status()) seen.push(s);
  })().catch(() => {});
  return seen;
}

/** Iterates `messages`; resolves with their payloads and the message of the error that ended them. */
async function drain(messages: ConsumerMessages): Promise<{ got: string[]; error?: string }> {
  const got: string[] = [];
  try {
    for await (const m of messages) got.push(m.string());
    return { got };
  } catch (err) {
    return { got, error: (err as Error).message };
  }
}

/** Polls `check` every 50 ms for up to `ms`. */
async function until(check: () => boolean, ms: number): Promise<boolean> {
  for (let waited = 0; waited < ms && !check(); waited += 50) await new Promise((r) => setTimeout(r, 50));
  return check();
}

/** Settles with `p`, or with `"timeout"` after `ms`. */
async function within<T>(p: Promise<T>, ms: number): Promise<T | "timeout"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"timeout">((r) => timer = setTimeout(() => r("timeout"), ms));
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The first notification of `type` (its payload), if any. */
function first<T extends ConsumerNotification["type"]>(seen: ConsumerNotification[], type: T) {
  return seen.find((n) => n.type === type) as Extract<ConsumerNotification, { type: T }> | undefined;
}

const JS = { jetstream: true };

compatTest("js.publish: acks, msgID duplicates, expectations and a subject no stream captures", async (client, srv) => {
  const { nc, js, jsm } = await setup(client, srv.hostport);
  await jsm.streams.add({ name: "ORDERS", subjects: ["orders.>"] });
  const acks = [];
  acks.push(await js.publish("orders.1", "a", { msgID: "one" }));
  acks.push(await js.publish("orders.1", "a", { msgID: "one" }));
  acks.push(await js.publish("orders.2", "b", { expect: { streamName: "ORDERS", lastSequence: 1 } }));
  const failed = await js.publish("orders.3", "c", { expect: { lastSequence: 1 } }).catch((e) => e);
  const t0 = performance.now();
  const none = await js.publish("nowhere", "x").catch((e) => e);
  const oneAttempt = performance.now() - t0 < 500;
  await nc.close();
  return {
    acks: acks.map((a) => ({ stream: a.stream, seq: a.seq, duplicate: a.duplicate })),
    failed: { code: failed.code, message: failed.message },
    none: { rejected: none instanceof Error, notEnabled: /not enabled/.test(none.message), oneAttempt },
  };
}, JS);

compatTest("js.publish retries: attempts while nobody answers in time", async (client, srv) => {
  const { nc, js } = await setup(client, srv.hostport);
  let seen = 0;
  nc.subscribe("slow", {
    callback: (_e: unknown, m: { respond(d: string): void }) => {
      if (++seen === 2) m.respond(JSON.stringify({ stream: "X", seq: 5 }));
    },
  });
  await nc.flush();
  const ack = await js.publish("slow", "x", { timeout: 300, retries: 3 });
  await nc.close();
  return { seen, stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate };
}, JS);

compatTest("pull consume: every message once, in order, with nats.js's JsMsg fields", async (client, srv) => {
  const { nc, js, jsm } = await setup(client, srv.hostport);
  await jsm.streams.add({ name: "S", subjects: ["s.>"] });
  for (let i = 1; i <= 10; i++) await js.publish(`s.${i}`, `m${i}`);
  await jsm.consumers.add("S", { durable_name: "worker", ack_policy: "explicit" });
  const c = await js.consumers.get("S", "worker");
  const messages = await c.consume({ max_messages: 5, expires: 2000 });
  const got = [];
  for await (const m of messages) {
    got.push({
      seq: m.seq,
      subject: m.subject,
      data: m.string(),
      deliveryCount: m.info.deliveryCount,
      redelivered: m.redelivered,
      stream: m.info.stream,
      consumer: m.info.consumer,
      pending: m.info.pending,
      timestamp: typeof m.timestamp === "string" && m.timestamp === m.time.toISOString(),
      timestampNanos: typeof m.timestampNanos,
      sid: typeof m.sid,
    });
    m.ack();
    if (m.info.pending === 0) break;
  }
  const counts = { received: messages.getReceived(), processed: messages.getProcessed() };
  // the server applies acks asynchronously: give the last ones a moment
  let ci = await c.info();
  for (let i = 0; i < 40 && ci.num_ack_pending > 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
    ci = await c.info();
  }
  await nc.close();
  return { got, counts, ackPending: ci.num_ack_pending, ackFloor: ci.ack_floor.stream_seq };
}, JS);

compatTest("consume with max_messages 1: nothing pending while each message is handled", async (client, srv) => {
  const { nc, js, jsm } = await setup(client, srv.hostport);
  await jsm.streams.add({ name: "A", subjects: ["a"] });
  for (let i = 0; i < 20; i++) await js.publish("a", `${i}`);
  await jsm.consumers.add("A", { durable_name: "a", ack_policy: "explicit" });
  const c = await js.consumers.get("A", "a");
  const iter = await c.consume({ max_messages: 1 });
  const seen = [];
  for await (const m of iter) {
    seen.push([iter.getPending(), iter.getReceived() === m.seq]);
    m.ack();
    if (m.info.pending === 0) break;
  }
  await nc.close();
  return seen;
}, JS);

compatTest(
  "redelivery: nak() and m.info.deliveryCount, and a callback stopping at a count settles",
  async (client, srv) => {
    const { nc, js, jsm } = await setup(client, srv.hostport);
    await jsm.streams.add({ name: "B", subjects: ["b"] });
    await jsm.consumers.add("B", {
      durable_name: "me",
      ack_policy: "explicit",
      max_deliver: 3,
      backoff: [nanos(100), nanos(300)],
    });
    await js.publish("b", "x");
    const c = await js.consumers.get("B", "me");
    const counts: number[] = [];
    const iter = await c.consume({
      callback: (m: JsMsg) => {
        counts.push(m.info.deliveryCount);
        if (m.info.deliveryCount === 3) iter.stop();
      },
    });
    const settled = await within(iter.closed(), 10_000);
    await nc.close();
    return { counts, settled: settled !== "timeout" };
  },
  JS,
);

compatTest("ordered consume: in order from a named prefix, info(true) right after get()", async (client, srv) => {
  const { nc, js, jsm } = await setup(client, srv.hostport);
  await jsm.streams.add({ name: "O", subjects: ["o.>"] });
  for (let i = 1; i <= 5; i++) await js.publish("o.a", `v${i}`);
  const oc = await js.consumers.get("O", { name_prefix: "reader", filter_subjects: "o.a" });
  const name = (await oc.info(true)).name;
  const messages = await oc.consume({ max_messages: 2 });
  const got: string[] = [];
  for await (const m of messages) {
    got.push(m.string());
    if (m.info.pending === 0) break;
  }
  await nc.close();
  return { name, got };
}, JS);

compatTest("ordered consume: a deleted consumer is reset under its name and reading goes on", async (client, srv) => {
  const { nc, js, jsm } = await setup(client, srv.hostport);
  await jsm.streams.add({ name: "O", subjects: ["o.>"] });
  await js.publish("o.a", "v1");
  const oc = await js.consumers.get("O", { name_prefix: "oc" });
  const messages = await oc.consume({ expires: 2000 });
  const seen = record(messages);
  const it = messages[Symbol.asyncIterator]();
  const got = [((await it.next()).value as JsMsg).string()];
  await jsm.consumers.delete("O", "oc_1");
  await js.publish("o.a", "v2");
  const next = await within(it.next(), 15_000);
  if (next !== "timeout" && !next.done) got.push((next.value as JsMsg).string());
  messages.stop();
  await nc.close();
  return {
    got,
    reset: first(seen, "reset"),
    recreated: seen.some((n) => n.type === "ordered_consumer_recreated"),
  };
}, JS);

compatTest("fetch: what is there within expires, and the unfilled rest as discard", async (client, srv) => {
  const { nc, js, jsm } = await setup(client, srv.hostport);
  await jsm.streams.add({ name: "F", subjects: ["f"] });
  for (let i = 1; i <= 3; i++) await js.publish("f", `m${i}`);
  await jsm.consumers.add("F", { durable_name: "c", ack_policy: "explicit" });
  const c = await js.consumers.get("F", "c");
  const fetched = await c.fetch({ max_messages: 5, expires: 1000 });
  const seen = record(fetched);
  const got: string[] = [];
  for await (const m of fetched) {
    got.push(m.string());
    m.ack();
  }
  await nc.close();
  return { got, discard: first(seen, "discard") };
}, JS);

compatTest("next: null when nothing comes within expires, then the message", async (client, srv) => {
  const { nc, js, jsm } = await setup(client, srv.hostport);
  await jsm.streams.add({ name: "N", subjects: ["n"] });
  await jsm.consumers.add("N", { durable_name: "c", ack_policy: "explicit" });
  const c = await js.consumers.get("N", "c");
  const none = await c.next({ expires: 1000 });
  await js.publish("n", "hello");
  const m = await c.next({ expires: 1000 });
  m?.ack();
  await nc.close();
  return { none, got: m?.string(), seq: m?.seq };
}, JS);

compatTest("JsMsg.next(): expires in milliseconds keeps the request open", async (client, srv) => {
  const { nc, js, jsm } = await setup(client, srv.hostport);
  await jsm.streams.add({ name: "X", subjects: ["x"] });
  await jsm.consumers.add("X", { durable_name: "c", ack_policy: "explicit" });
  await js.publish("x", "m1");
  const c = await js.consumers.get("X", "c");
  const m = await c.next({ expires: 1000 });
  const got: string[] = [];
  nc.subscribe("more", {
    callback: (_e: unknown, r: { data: Uint8Array; string(): string }) => r.data.length && got.push(r.string()),
  });
  m?.next("more", { expires: 5000 });
  await new Promise((r) => setTimeout(r, 500));
  await js.publish("x", "m2");
  await until(() => got.length > 0, 4000);
  await nc.close();
  return got;
}, JS);

compatTest("manage: streams and consumers, and the errors for missing ones", async (client, srv) => {
  const { nc, jsm } = await setup(client, srv.hostport);
  const si = await jsm.streams.add({ name: "M", subjects: ["m.>"], max_msgs: 10 });
  const ci = await jsm.consumers.add("M", { durable_name: "d", ack_policy: "explicit", filter_subject: "m.a" });
  const names = [];
  for await (const s of jsm.streams.list()) names.push(s.config.name);
  const consumers = [];
  for await (const c of jsm.consumers.list("M")) consumers.push(c.name);
  const missing = await jsm.streams.info("NOPE").catch((e) => ({ code: e.code, message: e.message }));
  const noConsumer = await jsm.consumers.info("M", "nope").catch((e) => ({ code: e.code, message: e.message }));
  const deleted = [await jsm.consumers.delete("M", "d"), await jsm.streams.delete("M")];
  await nc.close();
  return {
    stream: { name: si.config.name, subjects: si.config.subjects, max_msgs: si.config.max_msgs },
    consumer: { name: ci.name, filter: ci.config.filter_subject, ack: ci.config.ack_policy },
    names,
    consumers,
    missing,
    noConsumer,
    deleted,
  };
}, JS);

compatTest(
  "consume after the consumer is deleted: notified, kept going, picks up the recreated consumer",
  async (client, srv) => {
    const { nc, js, jsm } = await setup(client, srv.hostport);
    await jsm.streams.add({ name: "D", subjects: ["d"] });
    await jsm.consumers.add("D", { durable_name: "c", ack_policy: "explicit" });
    const c = await js.consumers.get("D", "c");
    const messages = await c.consume({ expires: 2000 });
    const seen = record(messages);
    const done = drain(messages);
    await new Promise((r) => setTimeout(r, 300));
    await jsm.consumers.delete("D", "c");
    await until(() => seen.some((n) => n.type === "consumer_not_found"), 10_000);
    await jsm.consumers.add("D", { durable_name: "c", ack_policy: "explicit" });
    await js.publish("d", "back");
    await until(() => messages.getReceived() === 1, 10_000);
    messages.stop();
    const result = await done;
    await nc.close();
    return { deleted: first(seen, "consumer_deleted"), notFound: first(seen, "consumer_not_found"), ...result };
  },
  JS,
);

compatTest("consume with abort_on_missing_resource ends when the consumer is deleted", async (client, srv) => {
  const { nc, js, jsm } = await setup(client, srv.hostport);
  await jsm.streams.add({ name: "A", subjects: ["a"] });
  await jsm.consumers.add("A", { durable_name: "a", ack_policy: "explicit" });
  const c = await js.consumers.get("A", "a");
  const messages = await c.consume({ expires: 3000, abort_on_missing_resource: true });
  const done = drain(messages);
  await new Promise((r) => setTimeout(r, 500));
  await c.delete();
  const result = await within(done, 10_000);
  await nc.close();
  return result === "timeout" ? result : { consumerDeleted: /consumer deleted/.test(result.error ?? "") };
}, JS);

compatTest(
  "consume on a consumer deleted before it starts, and nobody responds: notifications, then recovery",
  async (client, srv) => {
    const { nc, js, jsm } = await setup(client, srv.hostport);
    await jsm.streams.add({ name: "messages", subjects: ["m"] });
    await jsm.consumers.add("messages", { name: "c", deliver_policy: "all" });
    const c = await js.consumers.get("messages", "c");
    await jsm.consumers.delete("messages", "c");
    const messages = await c.consume({ expires: 2000 });
    const seen = record(messages);
    const done = drain(messages);
    const third = await until(() => seen.some((n) => n.type === "heartbeats_missed" && n.count === 3), 15_000);
    const before = {
      third,
      noResponders: seen.some((n) => n.type === "no_responders"),
      notFound: seen.find((n) => n.type === "consumer_not_found"),
    };
    await js.publish("m", "hi");
    await jsm.consumers.add("messages", { name: "c", deliver_policy: "all" });
    await until(() => messages.getReceived() === 1, 15_000);
    messages.stop();
    const result = await done;
    await nc.close();
    return { ...before, ...result };
  },
  JS,
);

compatTest("an ordered consume with abort_on_missing_resource rejects once its stream is gone", async (client, srv) => {
  const { nc, js, jsm } = await setup(client, srv.hostport);
  await jsm.streams.add({ name: "A", subjects: ["a"] });
  const c = await js.consumers.get("A");
  await jsm.streams.delete("A");
  const messages = await c.consume({ expires: 3000, abort_on_missing_resource: true });
  const result = await within(drain(messages), 15_000);
  await nc.close();
  return result === "timeout" ? result : { streamNotFound: /stream not found/.test(result.error ?? "") };
}, JS);

compatTest("bind: fetch and consume never look the consumer up", async (client, srv) => {
  const { nc, js, jsm } = await setup(client, srv.hostport);
  await jsm.streams.add({ name: "A", subjects: ["a"] });
  await jsm.consumers.add("A", { durable_name: "a", ack_policy: "explicit" });
  await js.publish("a", "x");
  const c = await js.consumers.get("A", "a");
  let lookups = 0;
  nc.subscribe("$JS.API.CONSUMER.INFO.A.a", { callback: () => lookups++ });
  await nc.flush();
  const fetched = await drain(await c.fetch({ expires: 1000, bind: true }));
  await c.delete();
  const messages = await c.consume({ expires: 1000, bind: true });
  const seen = record(messages);
  const done = drain(messages);
  const missed = await until(() => seen.filter((n) => n.type === "heartbeats_missed").length >= 3, 15_000);
  messages.stop();
  await done;
  await nc.close();
  return { fetched: fetched.got, missed, notFound: seen.some((n) => n.type === "consumer_not_found"), lookups };
}, JS);

compatTest("discard notification: a consume pull that expires unfilled", async (client, srv) => {
  const { nc, js, jsm } = await setup(client, srv.hostport);
  await jsm.streams.add({ name: "A", subjects: ["a"] });
  await jsm.consumers.add("A", { name: "a", ack_policy: "explicit" });
  await js.publish("a", "x");
  const c = await js.consumers.get("A", "a");
  const messages = await c.consume({ expires: 1000, max_messages: 101 });
  const seen = record(messages);
  const done = drain(messages);
  await until(() => seen.some((n) => n.type === "discard"), 10_000);
  messages.stop();
  const result = await done;
  await nc.close();
  return { discard: first(seen, "discard"), ...result };
}, JS);

compatTest(
  "consumer limits: a fetch over max_batch rejects, a consume is notified and goes on",
  async (client, srv) => {
    const { nc, js, jsm } = await setup(client, srv.hostport);
    await jsm.streams.add({ name: "L", subjects: ["l"] });
    await jsm.consumers.add("L", { durable_name: "a", ack_policy: "explicit", max_batch: 10 });
    const c = await js.consumers.get("L", "a");
    const fetched = await drain(await c.fetch({ max_messages: 100, expires: 1000 }));
    const messages = await c.consume({ max_messages: 100, expires: 2000, callback: () => {} });
    const seen = record(messages);
    const twice = await until(() => seen.filter((n) => n.type === "exceeded_limits").length >= 2, 15_000);
    messages.stop();
    await messages.closed();
    await nc.close();
    return {
      fetch: /exceeded maxrequestbatch of 10/.test(fetched.error ?? ""),
      twice,
      description: first(seen, "exceeded_limits")?.description,
    };
  },
  JS,
);

compatTest(
  "option rules: max_messages with max_bytes, a too short expires, bind on an ordered consumer, iterating with a callback",
  async (client, srv) => {
    const { nc, js, jsm } = await setup(client, srv.hostport);
    await jsm.streams.add({ name: "R", subjects: ["r"] });
    await jsm.consumers.add("R", { durable_name: "a", ack_policy: "explicit" });
    const c = await js.consumers.get("R", "a");
    // nats.js throws these synchronously from consume(): a program awaits it inside a try
    const both = await (async () => await c.consume({ max_messages: 100, max_bytes: 100 }))()
      .catch((e) => [e.name, e.message]);
    const short = await (async () => await c.consume({ expires: 500 }))().catch((e) => e.name);
    const oc = await js.consumers.get("R");
    const bind = await oc.fetch({ bind: true }).catch((e) => [e.name, e.message]);
    const withCallback = await c.consume({ expires: 1000, callback: () => {} });
    const iterated = await drain(withCallback);
    withCallback.stop();
    const tooLarge = await within(drain(await c.consume({ expires: 2000, idle_heartbeat: 5000 })), 5000);
    await nc.close();
    return {
      both,
      short,
      bind,
      iterated: iterated.error,
      tooLarge: tooLarge === "timeout" ? tooLarge : /heartbeat value too large/.test(tooLarge.error ?? ""),
    };
  },
  JS,
);
