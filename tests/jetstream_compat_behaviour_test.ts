/**
 * JetStream behaviours a nats.js program relies on, checked on natsw against a real server:
 * message metadata under nats.js's names, `JsMsg.next()` units, publish attempts and errors, and
 * how `consume()`, `fetch()` and ordered consumers settle when the stream or the consumer goes
 * away (each wait is bounded: these used to hang).
 */
import assert from "node:assert/strict";
import {
  connect,
  createInbox,
  headers,
  InvalidArgumentError,
  InvalidOperationError,
  type Msg,
  type NatsConnection,
  NoRespondersError,
  TimeoutError,
} from "../mod.ts";
import {
  type ConsumerMessages,
  type ConsumerNotification,
  jetstream,
  type JetStreamClient,
  type JetStreamManager,
  jetstreamManager,
  JetStreamNotEnabledError,
  JetStreamStatusError,
  type JsMsg,
  nanos,
} from "../jetstream/mod.ts";
import { NatsServer } from "./helpers/server.ts";
import { delay, waitFor } from "./helpers/util.ts";

/** Rejects when `p` has not settled within `ms`. */
async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not settled within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Records the notifications of `messages` as they come. */
function record(messages: ConsumerMessages): ConsumerNotification[] {
  const seen: ConsumerNotification[] = [];
  (async () => {
    for await (const s of messages.status()) seen.push(s);
  })();
  return seen;
}

/** Iterates `messages` in the background; resolves with the messages and the error that ended them. */
function drain(messages: ConsumerMessages): Promise<{ got: JsMsg[]; err?: unknown }> {
  const got: JsMsg[] = [];
  return (async () => {
    try {
      for await (const m of messages) got.push(m);
      return { got };
    } catch (err) {
      return { got, err };
    }
  })();
}

/** Waits for a notification of `type` matching `test`; returns it. */
async function note<T extends ConsumerNotification["type"]>(
  seen: ConsumerNotification[],
  type: T,
  test: (n: Extract<ConsumerNotification, { type: T }>) => boolean = () => true,
  timeout = 10_000,
): Promise<Extract<ConsumerNotification, { type: T }>> {
  const find = () =>
    seen.find((n): n is Extract<ConsumerNotification, { type: T }> =>
      n.type === type && test(n as Extract<ConsumerNotification, { type: T }>)
    );
  await waitFor(() => find() !== undefined, `a ${type} notification`, timeout);
  return find()!;
}

/** A stream `S` on `s.>` with `n` messages and a durable pull consumer `c`. */
async function setup(nc: NatsConnection, n = 0): Promise<{ js: JetStreamClient; jsm: JetStreamManager }> {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "S", subjects: ["s.>"], storage: "memory" });
  await jsm.consumers.add("S", { durable_name: "c", ack_policy: "explicit" });
  const js = jetstream(nc);
  for (let i = 1; i <= n; i++) await js.publish("s.a", `m${i}`);
  return { js, jsm };
}

Deno.test("jetstream compat - JsMsg has nats.js's deliveryCount, timestamp, timestampNanos and sid", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { js } = await setup(nc, 1);
  const c = await js.consumers.get("S", "c");
  const m = await c.next({ expires: 2000 });
  assert.ok(m);
  assert.equal(m.info.deliveryCount, 1);
  assert.equal(m.info.redeliveryCount, 1);
  assert.equal(m.info.account_hash, "");
  assert.match(m.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(m.timestamp, m.time.toISOString());
  assert.equal(typeof m.timestampNanos, "bigint");
  assert.equal(m.timestampNanos, m.info.timestampNanos);
  assert.ok(Number.isInteger(m.sid) && m.sid > 0);
  m.nak();
  const again = await c.next({ expires: 2000 });
  assert.equal(again?.info.deliveryCount, 2);
  assert.equal(again?.redelivered, true);
  again?.ack();
});

Deno.test("jetstream compat - a consume callback stopping at m.info.deliveryCount settles (nats.js's backoff example)", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "B", subjects: ["b"], storage: "memory" });
  await jsm.consumers.add("B", {
    durable_name: "me",
    ack_policy: "explicit",
    max_deliver: 3,
    backoff: [nanos(100), nanos(300)],
  });
  const js = jetstream(nc);
  await js.publish("b");
  const c = await js.consumers.get("B", "me");
  const counts: number[] = [];
  const iter = await c.consume({
    callback: (m) => {
      counts.push(m.info.deliveryCount);
      if (m.info.deliveryCount === 3) iter.stop();
    },
  });
  await within(iter.closed(), 10_000, "consume stopped on the third delivery");
  assert.deepEqual(counts, [1, 2, 3]);
});

Deno.test("jetstream compat - JsMsg.next() takes expires in milliseconds", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { js } = await setup(nc, 1);
  const c = await js.consumers.get("S", "c");
  const m = await c.next({ expires: 2000 });
  assert.ok(m);
  const inbox = createInbox();
  const got = Promise.withResolvers<Msg>();
  const sub = nc.subscribe(inbox, { callback: (_e, r) => r.data.length > 0 && got.resolve(r) });
  m.next(inbox, { expires: 5000 });
  // a 5 s request is still open half a second later; a 5 µs one would have expired at once
  await delay(500);
  await js.publish("s.a", "m2");
  const next = await within(got.promise, 4000, "the message asked for with next()");
  assert.equal(next.string(), "m2");
  sub.unsubscribe();
  assert.throws(() => m.next(inbox, { expires: -1 }), InvalidArgumentError);
});

Deno.test("jetstream compat - publish to a subject no stream captures makes one attempt and rejects with JetStreamNotEnabledError", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const js = jetstream(nc);
  const t0 = performance.now();
  const err = await js.publish("nowhere", "x").catch((e) => e);
  const elapsed = performance.now() - t0;
  assert.ok(err instanceof JetStreamNotEnabledError, String(err));
  assert.ok(err.cause instanceof NoRespondersError);
  assert.ok(elapsed < 500, `one attempt, not retries with backoff: ${elapsed} ms`);
});

Deno.test("jetstream compat - publish retries counts attempts, for no responders and for timeouts", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const js = jetstream(nc);
  let silent = 0;
  nc.subscribe("silent", { callback: () => silent++ });
  await nc.flush();
  await assert.rejects(js.publish("silent", "x", { timeout: 300, retries: 3 }), TimeoutError);
  assert.equal(silent, 3);
  let late = 0;
  nc.subscribe("late", {
    callback: (_e, m) => {
      if (++late === 2) m.respond(JSON.stringify({ stream: "L", seq: 7 }));
    },
  });
  await nc.flush();
  const ack = await js.publish("late", "x", { timeout: 300, retries: 2 });
  assert.deepEqual([ack.stream, ack.seq, ack.duplicate, late], ["L", 7, false, 2]);
  await assert.rejects(js.publish("late", "x", { timeout: 300 }), TimeoutError);
  assert.equal(late, 3, "the default is one attempt");
});

Deno.test("jetstream compat - consume goes on after its consumer is deleted and picks up the recreated one", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { js, jsm } = await setup(nc);
  const c = await js.consumers.get("S", "c");
  const messages = await c.consume({ expires: 2000 });
  const seen = record(messages);
  const done = drain(messages);
  await note(seen, "next");
  await jsm.consumers.delete("S", "c");
  assert.deepEqual(await note(seen, "consumer_deleted"), {
    type: "consumer_deleted",
    code: 409,
    description: "consumer deleted",
  });
  assert.deepEqual(await note(seen, "consumer_not_found"), {
    type: "consumer_not_found",
    name: "c",
    stream: "S",
    count: 1,
  });
  await jsm.consumers.add("S", { durable_name: "c", ack_policy: "explicit" });
  await js.publish("s.a", "back");
  await waitFor(async () => (await jsm.consumers.info("S", "c")).delivered.consumer_seq === 1, "a delivery", 10_000);
  await messages.close();
  const { got, err } = await done;
  assert.equal(err, undefined);
  assert.deepEqual(got.map((m) => m.string()), ["back"]);
});

Deno.test("jetstream compat - consume on a missing consumer: no_responders, missed heartbeats from 2, consumer_not_found, then recovery", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { js, jsm } = await setup(nc);
  const c = await js.consumers.get("S", "c");
  await jsm.consumers.delete("S", "c");
  const messages = await c.consume({ expires: 2000 });
  const seen = record(messages);
  const done = drain(messages);
  await note(seen, "heartbeats_missed", (n) => n.count === 3, 15_000);
  const missed = seen.filter((n) => n.type === "heartbeats_missed").map((n) =>
    n.type === "heartbeats_missed" && n.count
  );
  assert.deepEqual(missed.slice(0, 2), [2, 3]);
  assert.ok(seen.some((n) => n.type === "no_responders"));
  assert.ok(seen.some((n) => n.type === "consumer_not_found" && n.name === "c" && n.stream === "S"));
  await jsm.consumers.add("S", { durable_name: "c", ack_policy: "explicit" });
  await js.publish("s.a", "found");
  await waitFor(() => messages.getReceived() === 1, "the message after the consumer came back", 10_000);
  await messages.close();
  assert.deepEqual((await done).got.map((m) => m.string()), ["found"]);
});

Deno.test("jetstream compat - a deleted stream is notified with its name; abort_on_missing_resource ends consume", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { js, jsm } = await setup(nc);
  const c = await js.consumers.get("S", "c");
  await jsm.streams.delete("S");
  const going = await c.consume({ expires: 1000 });
  const seen = record(going);
  const goingDone = drain(going);
  assert.deepEqual(await note(seen, "stream_not_found"), { type: "stream_not_found", name: "S" });
  await going.close();
  assert.equal((await goingDone).err, undefined);
  const aborting = await c.consume({ expires: 1000, abort_on_missing_resource: true });
  const { err } = await within(drain(aborting), 10_000, "the aborting consume");
  assert.match(String((err as Error)?.message), /stream not found/);
});

Deno.test("jetstream compat - bind never looks the consumer up", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { js, jsm } = await setup(nc, 1);
  const c = await js.consumers.get("S", "c");
  let lookups = 0;
  nc.subscribe("$JS.API.CONSUMER.INFO.S.c", { callback: () => lookups++ });
  await nc.flush();
  const fetched = await Array.fromAsync(await c.fetch({ expires: 1000, bind: true }));
  assert.equal(fetched.length, 1);
  fetched[0].ack();
  await jsm.consumers.delete("S", "c");
  const messages = await c.consume({ expires: 1000, bind: true });
  const seen = record(messages);
  const done = drain(messages);
  await note(seen, "heartbeats_missed", (n) => n.count >= 4, 15_000);
  await messages.close();
  await done;
  assert.ok(!seen.some((n) => n.type === "consumer_not_found" || n.type === "stream_not_found"));
  assert.equal(lookups, 0);
});

Deno.test("jetstream compat - a pull that ends unfilled is notified as discard", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { js } = await setup(nc, 1);
  const c = await js.consumers.get("S", "c");
  const messages = await c.consume({ expires: 1000, max_messages: 101 });
  const seen = record(messages);
  const done = drain(messages);
  assert.deepEqual(await note(seen, "discard"), { type: "discard", messagesLeft: 100, bytesLeft: 0 });
  await messages.close();
  assert.equal((await done).got.length, 1);
});

Deno.test("jetstream compat - next and heartbeat notifications carry nats.js's payloads", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { js } = await setup(nc, 2);
  const c = await js.consumers.get("S", "c");
  const messages = await c.consume({ expires: 2000, idle_heartbeat: 500, max_messages: 10 });
  const seen = record(messages);
  const done = drain(messages);
  const next = await note(seen, "next");
  assert.deepEqual(next.options, { batch: 10, expires: nanos(2000), idle_heartbeat: nanos(500) });
  const hb = await note(seen, "heartbeat");
  assert.deepEqual(hb, { type: "heartbeat", lastConsumerSequence: 2, lastStreamSequence: 2 });
  await messages.close();
  await done;
});

Deno.test("jetstream compat - idle_heartbeat as nats.js: expires/2 by default, clamped to 500 ms, too large refused by the server", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { js } = await setup(nc);
  const c = await js.consumers.get("S", "c");
  const fetched = await c.fetch({ expires: 2000 });
  const fetchNotes = record(fetched);
  await Array.fromAsync(fetched);
  assert.equal((await note(fetchNotes, "next")).options.idle_heartbeat, nanos(1000));
  const clamped = await c.consume({ expires: 1000, idle_heartbeat: 100 });
  const clampedNotes = record(clamped);
  assert.equal((await note(clampedNotes, "next")).options.idle_heartbeat, nanos(500));
  await clamped.close();
  const tooLarge = await c.consume({ expires: 2000, idle_heartbeat: 5000 });
  const { err } = await within(drain(tooLarge), 5000, "a consume the server refuses");
  assert.ok(err instanceof JetStreamStatusError && err.code === 400, String(err));
  assert.match(err.message, /heartbeat value too large/);
});

Deno.test("jetstream compat - max_messages with max_bytes is refused with nats.js's message", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { js } = await setup(nc);
  const c = await js.consumers.get("S", "c");
  for (
    const call of [
      () => c.consume({ max_messages: 100, max_bytes: 100 }),
      () => c.fetch({ max_messages: 1, max_bytes: 1 }),
    ]
  ) {
    await assert.rejects(
      call,
      (e) => e instanceof InvalidArgumentError && /'max_messages','max_bytes' are mutually exclusive/.test(e.message),
    );
  }
});

Deno.test("jetstream compat - an exceeded consumer limit fails a fetch but not a consume", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { js, jsm } = await setup(nc);
  await jsm.consumers.add("S", { durable_name: "small", ack_policy: "explicit", max_batch: 10 });
  const c = await js.consumers.get("S", "small");
  const fetched = await c.fetch({ max_messages: 100, expires: 1000 });
  await assert.rejects(Array.fromAsync(fetched), /exceeded maxrequestbatch of 10/i);
  const messages = await c.consume({ max_messages: 100, expires: 2000, callback: () => {} });
  const seen = record(messages);
  await waitFor(() => seen.filter((n) => n.type === "exceeded_limits").length >= 2, "two exceeded_limits", 15_000);
  const limit = await note(seen, "exceeded_limits");
  assert.equal(limit.description, "exceeded maxrequestbatch of 10");
  await messages.close();
  assert.equal(await messages.closed(), undefined);
});

Deno.test("jetstream compat - a message larger than a fetch's max_bytes rejects the fetch", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { js } = await setup(nc);
  await js.publish("s.big", new Uint8Array(1024));
  const c = await js.consumers.get("S", "c");
  const fetched = await c.fetch({ max_bytes: 10, expires: 1000 });
  const seen = record(fetched);
  const { got, err } = await within(drain(fetched), 5000, "the fetch");
  assert.equal(got.length, 0);
  assert.ok(err instanceof JetStreamStatusError, String(err));
  assert.equal(err.description, "message size exceeds maxbytes");
  assert.ok(seen.some((n) => n.type === "discard" && n.bytesLeft === 10));
});

Deno.test("jetstream compat - getPending() counts received messages not yet handed out, as nats.js", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { js, jsm } = await setup(nc, 5);
  const c = await js.consumers.get("S", "c");
  const buffered = await c.consume({ max_messages: 10, expires: 2000 });
  await waitFor(() => buffered.getReceived() === 5, "five messages buffered");
  assert.equal(buffered.getPending(), 5);
  await buffered.close();
  await jsm.consumers.add("S", { durable_name: "one", ack_policy: "explicit" });
  const one = await (await js.consumers.get("S", "one")).consume({ max_messages: 1, expires: 2000 });
  for await (const m of one) {
    assert.equal(one.getPending(), 0);
    assert.equal(one.getReceived(), m.seq);
    m.ack();
    if (m.info.pending === 0) break;
  }
});

Deno.test("jetstream compat - iterating messages that have a callback rejects with InvalidOperationError", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { js } = await setup(nc);
  const c = await js.consumers.get("S", "c");
  const messages = await c.consume({ expires: 1000, callback: () => {} });
  const { err } = await drain(messages);
  assert.ok(err instanceof InvalidOperationError);
  assert.equal(err.message, "iterator cannot be used when a callback is registered");
  await messages.close();
});

Deno.test("jetstream compat - an ordered consumer exists once get() resolves", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { js, jsm } = await setup(nc);
  const oc = await js.consumers.get("S", { name_prefix: "hello" });
  const ci = await oc.info(true);
  assert.ok(ci.name.startsWith("hello"));
  assert.deepEqual(await Array.fromAsync(jsm.consumers.names("S")), ["c", ci.name].sort());
  await assert.rejects(js.consumers.get("NOPE"), /stream not found/);
});

Deno.test("jetstream compat - an ordered consume with abort_on_missing_resource ends when its consumer is deleted", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { js, jsm } = await setup(nc);
  const oc = await js.consumers.get("S");
  const messages = await oc.consume({ expires: 3000, abort_on_missing_resource: true });
  const done = drain(messages);
  await delay(300);
  await jsm.consumers.delete("S", (await oc.info(true)).name);
  const { err } = await within(done, 5000, "the ordered consume");
  assert.ok(err instanceof JetStreamStatusError && err.isConsumerDeleted(), String(err));
  assert.match(err.message, /consumer deleted/);
});

Deno.test("jetstream compat - an ordered reset names the dropped consumer, then the recreated one", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { js, jsm } = await setup(nc, 2);
  const oc = await js.consumers.get("S");
  const first = (await oc.info(true)).name;
  const messages = await oc.consume({ expires: 2000 });
  const seen = record(messages);
  const it = messages[Symbol.asyncIterator]();
  assert.equal(((await it.next()).value as JsMsg).string(), "m1");
  await jsm.consumers.delete("S", first);
  const recreated = await note(seen, "ordered_consumer_recreated");
  const order = seen.filter((n) => n.type === "reset" || n.type === "ordered_consumer_recreated");
  assert.deepEqual(order[0], { type: "reset", name: first });
  assert.notEqual(recreated.name, first);
  assert.equal(((await it.next()).value as JsMsg).string(), "m2");
  await messages.close();
});

Deno.test("jetstream compat - an ordered consume outlives its stream, notifies as nats.js and resumes when it is back", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { js, jsm } = await setup(nc);
  const oc = await js.consumers.get("S");
  await jsm.streams.delete("S");
  const messages = await oc.consume({ expires: 2000 });
  const seen = record(messages);
  const done = drain(messages);
  await note(seen, "heartbeats_missed", (n) => n.count === 3, 15_000);
  assert.ok(seen.some((n) => n.type === "no_responders"));
  const snf = await note(seen, "stream_not_found");
  assert.equal(snf.name, "S");
  assert.ok((snf.consumerCreateFails ?? 0) >= 1);
  await jsm.streams.add({ name: "S", subjects: ["s.>"], storage: "memory" });
  await js.publish("s.a", "again");
  await waitFor(() => messages.getReceived() === 1, "the message after the stream came back", 15_000);
  await messages.close();
  assert.deepEqual((await done).got.map((m) => m.string()), ["again"]);
});

Deno.test("jetstream compat - an ordered consume with abort_on_missing_resource rejects when the stream is gone", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { js, jsm } = await setup(nc);
  const oc = await js.consumers.get("S");
  await jsm.streams.delete("S");
  const messages = await oc.consume({ expires: 2000, abort_on_missing_resource: true });
  const { err } = await within(drain(messages), 10_000, "the ordered consume");
  assert.match(String((err as Error)?.message), /stream not found/);
});

Deno.test("jetstream compat - an ordered fetch after its stream is deleted rejects with no responders, then recovers", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { js, jsm } = await setup(nc);
  const oc = await js.consumers.get("S");
  await jsm.streams.delete("S");
  const failed = await oc.fetch({ expires: 2000 });
  const { err } = await within(drain(failed), 5000, "the ordered fetch");
  assert.ok(err instanceof JetStreamStatusError && err.code === 503, String(err));
  assert.match(err.message, /no responders/);
  await jsm.streams.add({ name: "S", subjects: ["s.>"], storage: "memory" });
  await js.publish("s.a", "back");
  const m = await oc.next({ expires: 2000 });
  assert.equal(m?.string(), "back");
});

Deno.test("jetstream compat - an ordered consumer refuses bind as nats.js", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { js } = await setup(nc);
  const oc = await js.consumers.get("S");
  for (
    const call of [() => oc.next({ bind: true }), () => oc.fetch({ bind: true }), () => oc.consume({ bind: true })]
  ) {
    await assert.rejects(call, (e) => e instanceof InvalidArgumentError && e.message === "'bind' is not supported");
  }
});

Deno.test("jetstream compat - a push consume with abort_on_missing_resource ends on a status; heartbeats carry sequences", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const js = jetstream(nc);
  const pc = await js.consumers.getBoundPushConsumer({ deliver_subject: "dlv" });
  const messages = await pc.consume({ abort_on_missing_resource: true });
  const seen = record(messages);
  const done = drain(messages);
  const hb = headers(100, "Idle Heartbeat");
  hb.set("Nats-Last-Consumer", "4");
  hb.set("Nats-Last-Stream", "9");
  nc.publish("dlv", "", { headers: hb });
  nc.publish("dlv", "", { headers: headers(409, "Consumer Deleted") });
  const { err } = await within(done, 5000, "the push consume");
  assert.ok(err instanceof JetStreamStatusError && err.isConsumerDeleted(), String(err));
  assert.deepEqual(seen.filter((n) => n.type === "heartbeat" || n.type === "consumer_deleted"), [
    { type: "heartbeat", lastConsumerSequence: 4, lastStreamSequence: 9 },
    { type: "consumer_deleted", code: 409, description: "consumer deleted" },
  ]);
});

Deno.test("jetstream compat - consumers.add() takes nats.js's { pedantic } options", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "P", subjects: ["p"], storage: "memory", consumer_limits: { max_ack_pending: 10 } });
  const lenient = await jsm.consumers.add("P", { durable_name: "lenient", ack_policy: "explicit" }, {});
  assert.equal(lenient.config.max_ack_pending, 10, "the server adjusted the setting");
  await assert.rejects(
    jsm.consumers.add("P", { durable_name: "strict", ack_policy: "explicit" }, { pedantic: true }),
    /pedantic/,
  );
  assert.deepEqual(await Array.fromAsync(jsm.consumers.names("P")), ["lenient"]);
});

Deno.test("jetstream compat - after a server restart consume checks its consumer again soon, whatever expires is", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "R", subjects: ["r"], storage: "file" });
  await jsm.consumers.add("R", { durable_name: "c", ack_policy: "explicit" });
  const js = jetstream(nc, { timeout: 1000 });
  const c = await js.consumers.get("R", "c");
  const messages = await c.consume({ expires: 20_000 });
  const done = drain(messages);
  await delay(200);
  await srv.restart();
  await waitFor(async () => {
    try {
      await js.publish("r", "after restart");
      return true;
    } catch {
      return false;
    }
  }, "a publish after the restart");
  const t0 = performance.now();
  await waitFor(() => messages.getReceived() === 1, "the message after the restart", 15_000);
  const waited = performance.now() - t0;
  assert.ok(waited < 6000, `received ${waited} ms after the publish, not after expires`);
  await messages.close();
  assert.deepEqual((await done).got.map((m) => m.string()), ["after restart"]);
});

Deno.test("jetstream compat - a consumer check that fails (JetStream busy) is retried soon, not after expires", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { js: real } = await setup(nc);
  // a stand-in API: the first pull gets a 503, the next two consumer checks "temporarily unavailable"
  let busy = -1;
  let first503 = true;
  nc.subscribe("fake.API.>", {
    callback: async (_e, m) => {
      const subject = m.subject.replace(/^fake\.API/, "$JS.API");
      if (m.subject.startsWith("fake.API.CONSUMER.MSG.NEXT.")) {
        if (first503) nc.publish(m.reply!, "", { headers: headers(503) });
        else nc.publish(subject, m.data, { reply: m.reply });
        first503 = false;
        return;
      }
      if (m.subject.startsWith("fake.API.CONSUMER.INFO.") && busy-- > 0) {
        const error = { code: 503, err_code: 10008, description: "JetStream system temporarily unavailable" };
        m.respond(JSON.stringify({ error }));
        return;
      }
      m.respond((await nc.request(subject, m.data, { timeout: 2000 })).data);
    },
  });
  await nc.flush();
  const c = await jetstream(nc, { apiPrefix: "fake.API" }).consumers.get("S", "c");
  busy = 2;
  const messages = await c.consume({ expires: 20_000 });
  const seen = record(messages);
  const done = drain(messages);
  await note(seen, "no_responders");
  await real.publish("s.a", "through");
  const t0 = performance.now();
  await waitFor(() => messages.getReceived() === 1, "the message after the checks failed", 15_000);
  const waited = performance.now() - t0;
  assert.ok(waited < 5000, `pulled again ${waited} ms later`);
  assert.equal(busy, -1, "both failed checks were made");
  await messages.close();
  assert.deepEqual((await done).got.map((m) => m.string()), ["through"]);
});
