import assert from "node:assert/strict";
import { connect, type NatsConnection } from "../mod.ts";
import {
  type ConsumerNotification,
  HeartbeatsMissedError,
  jetstream,
  jetstreamManager,
  JetStreamStatusError,
  type JsMsg,
  nanos,
  parseAckSubject,
} from "../jetstream/mod.ts";
import { NatsServer, oldServerBin } from "./helpers/server.ts";
import { delay, take, waitFor } from "./helpers/util.ts";

async function setup(nc: NatsConnection, n: number, storage: "memory" | "file" = "memory") {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "S", subjects: ["s.>"], storage });
  await jsm.consumers.add("S", { durable_name: "c", ack_policy: "explicit", ack_wait: nanos(30_000) });
  const js = jetstream(nc);
  await Promise.all(Array.from({ length: n }, (_, i) => js.publish(`s.${i}`, `m${i + 1}`)));
  return { jsm, js };
}

Deno.test("jetstream consume - ack subjects parse in v1 and v2 layouts", () => {
  const v1 = parseAckSubject("$JS.ACK.ORDERS.worker.2.10.4.1700000000123456789.7");
  assert.deepEqual(
    [v1.stream, v1.consumer, v1.redeliveryCount, v1.redelivered, v1.streamSequence, v1.deliverySequence, v1.pending],
    ["ORDERS", "worker", 2, true, 10, 4, 7],
  );
  assert.equal(v1.timestampNanos, 1700000000123456789n);
  assert.equal(v1.timestamp, 1700000000123);
  assert.equal(v1.domain, "");
  const v2 = parseAckSubject("$JS.ACK.hub.ACCHASH.ORDERS.worker.1.11.5.1700000000000000001.0.rand");
  assert.deepEqual([v2.domain, v2.account_hash, v2.stream, v2.streamSequence, v2.redelivered], [
    "hub",
    "ACCHASH",
    "ORDERS",
    11,
    false,
  ]);
  assert.equal(parseAckSubject("$JS.ACK._.H.S.C.1.1.1.1.0").domain, "");
  assert.throws(() => parseAckSubject("$JS.ACK.S.C.1.1.1.1"));
  assert.throws(() => parseAckSubject("foo.bar"));
});

Deno.test("jetstream consume - fetch and next with explicit acks", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { js, jsm } = await setup(nc, 8);
  const c = await js.consumers.get("S", "c");
  const first = await Array.fromAsync(await c.fetch({ max_messages: 5, expires: 2000 }));
  assert.deepEqual(first.map((m) => m.string()), ["m1", "m2", "m3", "m4", "m5"]);
  assert.deepEqual(first.map((m) => m.seq), [1, 2, 3, 4, 5]);
  assert.equal(first[0].info.stream, "S");
  assert.equal(first[0].info.consumer, "c");
  assert.equal(first[4].info.pending, 3);
  for (const m of first) m.ack();
  const rest = await Array.fromAsync(await c.fetch({ max_messages: 5, expires: 1000 }));
  assert.deepEqual(rest.map((m) => m.seq), [6, 7, 8]);
  assert.equal(await rest[0].ackAck(), true);
  assert.equal(await rest[0].ackAck(), false);
  rest[1].ack();
  const m8 = rest[2];
  m8.ack();
  assert.equal(await c.next({ expires: 1000 }), null);
  await js.publish("s.x", "late");
  const n = await c.next({ expires: 2000 });
  assert.equal(n?.string(), "late");
  await n!.ackAck();
  const ci = await jsm.consumers.info("S", "c");
  assert.equal(ci.num_ack_pending, 0);
  assert.equal(ci.ack_floor.stream_seq, 9);
  const bytes = await Array.fromAsync(await c.fetch({ max_bytes: 1024, expires: 1000 }));
  assert.equal(bytes.length, 0);
});

Deno.test("jetstream consume - consume delivers everything in order and buffers at most max_messages", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { js, jsm } = await setup(nc, 200);
  const c = await js.consumers.get("S", "c");
  const messages = await c.consume({ max_messages: 10, expires: 2000 });
  // nothing is taken yet: the server must not have delivered more than the budget
  await delay(300);
  assert.ok((await jsm.consumers.info("S", "c")).delivered.consumer_seq <= 10);
  const seen: number[] = [];
  for await (const m of messages) {
    seen.push(m.seq);
    m.ack();
    if (seen.length === 100) {
      const ci = await jsm.consumers.info("S", "c");
      assert.ok(ci.delivered.consumer_seq <= 110, `delivered ${ci.delivered.consumer_seq}`);
    }
    if (seen.length === 200) messages.stop();
  }
  assert.deepEqual(seen, Array.from({ length: 200 }, (_, i) => i + 1));
  assert.equal(await messages.closed(), undefined);
});

Deno.test("jetstream consume - callback mode and max_bytes", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { js } = await setup(nc, 30);
  const c = await js.consumers.get("S", "c");
  const got: JsMsg[] = [];
  const done = Promise.withResolvers<void>();
  const messages = await c.consume({
    max_bytes: 400,
    expires: 2000,
    callback: (m) => {
      got.push(m);
      m.ack();
      if (got.length === 30) done.resolve();
    },
  });
  await done.promise;
  await messages.close();
  assert.deepEqual(got.map((m) => m.seq), Array.from({ length: 30 }, (_, i) => i + 1));
});

Deno.test("jetstream consume - nak, nak with delay, term and working", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { js } = await setup(nc, 3);
  const c = await js.consumers.get("S", "c");
  const messages = await c.consume({ max_messages: 10, expires: 2000 });
  const order: string[] = [];
  const started = Date.now();
  let delayedAt = 0;
  for await (const m of messages) {
    order.push(`${m.string()}:${m.info.redeliveryCount}`);
    if (m.string() === "m1" && !m.redelivered) m.nak();
    else if (m.string() === "m2" && !m.redelivered) m.nak(600);
    else if (m.string() === "m3") {
      m.working();
      m.term("bad data");
    } else {
      if (m.string() === "m2") delayedAt = Date.now();
      m.ack();
    }
    if (order.length === 5) break;
  }
  assert.deepEqual(order.slice(0, 3).sort(), ["m1:1", "m2:1", "m3:1"]);
  assert.ok(order.includes("m1:2") && order.includes("m2:2"));
  assert.ok(delayedAt - started >= 500, "nak delay honoured");
  const ci = await (await js.consumers.get("S", "c")).info();
  assert.equal(ci.num_ack_pending, 0);
  assert.equal(ci.num_redelivered, 0);
  assert.equal(await messages.closed(), undefined);
});

Deno.test("jetstream consume - with abort_on_missing_resource a deleted consumer ends consume with a typed error", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { js, jsm } = await setup(nc, 1);
  const c = await js.consumers.get("S", "c");
  const messages = await c.consume({ max_messages: 5, expires: 5000, abort_on_missing_resource: true });
  const notes: ConsumerNotification[] = [];
  (async () => {
    for await (const s of messages.status()) notes.push(s);
  })();
  const it = messages[Symbol.asyncIterator]();
  const first = await it.next();
  (first.value as JsMsg).ack();
  await jsm.consumers.delete("S", "c");
  await assert.rejects(() => it.next(), (e: unknown) => e instanceof JetStreamStatusError && e.isConsumerDeleted());
  assert.ok(notes.some((n) => n.type === "consumer_deleted"));
});

Deno.test("jetstream consume - missed heartbeats are reported, not thrown, and consume recovers", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { js } = await setup(nc, 0);
  const c = await js.consumers.get("S", "c");
  const messages = await c.consume({ max_messages: 5, expires: 2000, idle_heartbeat: 300 });
  const missed = Promise.withResolvers<number>();
  (async () => {
    for await (const s of messages.status()) if (s.type === "heartbeats_missed") missed.resolve(s.count);
  })();
  srv.signal("SIGSTOP");
  const count = await missed.promise;
  srv.signal("SIGCONT");
  assert.ok(count >= 1);
  await js.publish("s.after", "after");
  const [m] = await take(messages, 1);
  assert.equal(m.string(), "after");
  m.ack();
  await messages.close();
});

Deno.test("jetstream consume - consume survives a server restart", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
  const { js } = await setup(nc, 5, "file");
  const c = await js.consumers.get("S", "c");
  const messages = await c.consume({ max_messages: 10, expires: 2000, idle_heartbeat: 500 });
  const seen: string[] = [];
  const it = messages[Symbol.asyncIterator]();
  while (seen.length < 5) {
    const r = await it.next();
    await (r.value as JsMsg).ackAck();
    seen.push((r.value as JsMsg).string());
  }
  await srv.restart();
  await waitFor(async () => {
    try {
      await js.publish("s.after", "after restart", { timeout: 1000 });
      return true;
    } catch {
      return false;
    }
  }, "publish after restart");
  // A killed server may not have synced the last acks of its file store, so messages acked just
  // before the crash can come again (at-least-once); what matters is that consuming goes on.
  while (!seen.includes("after restart")) {
    const r = await it.next();
    assert.equal(r.done, false, "consume kept going across the restart");
    (r.value as JsMsg).ack();
    seen.push((r.value as JsMsg).string());
  }
  assert.deepEqual(seen.slice(0, 5), ["m1", "m2", "m3", "m4", "m5"]);
  for (const m of seen.slice(5, -1)) assert.ok(["m1", "m2", "m3", "m4", "m5"].includes(m), `only redeliveries: ${m}`);
  await messages.close();
});

Deno.test("jetstream consume - works on an old 2.9 server", async () => {
  await using srv = await NatsServer.start({ jetstream: true, bin: oldServerBin() });
  await using nc = await connect({ servers: srv.url });
  const { js } = await setup(nc, 20);
  const c = await js.consumers.get("S", "c");
  const fetched = await Array.fromAsync(await c.fetch({ max_messages: 5, expires: 1000 }));
  assert.equal(fetched.length, 5);
  fetched.forEach((m) => m.ack());
  const messages = await c.consume({ max_messages: 4, expires: 1000 });
  const seqs: number[] = [];
  for await (const m of messages) {
    m.ack();
    seqs.push(m.seq);
    if (seqs.length === 15) break;
  }
  assert.deepEqual(seqs, Array.from({ length: 15 }, (_, i) => i + 6));
});

Deno.test("jetstream consume - messages carry the stream subject, not the pull inbox", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { js } = await setup(nc, 3);
  const c = await js.consumers.get("S", "c");
  const got = await Array.fromAsync(await c.fetch({ max_messages: 3, expires: 1000 }));
  assert.deepEqual(got.map((m) => m.subject), ["s.0", "s.1", "s.2"]);
  got.forEach((m) => m.ack());
});

Deno.test("jetstream consume - fetch with idle_heartbeat ends with HeartbeatsMissedError when the server goes silent", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { js } = await setup(nc, 1);
  const c = await js.consumers.get("S", "c");
  // a healthy server: heartbeats keep the fetch alive until it expires, without an error
  const healthy = await c.fetch({ max_messages: 5, expires: 1500, idle_heartbeat: 250 });
  const notes: string[] = [];
  (async () => {
    for await (const s of healthy.status()) notes.push(s.type);
  })();
  assert.deepEqual((await Array.fromAsync(healthy)).map((m) => m.string()), ["m1"]);
  assert.equal(await healthy.closed(), undefined);
  const idle = await c.fetch({ max_messages: 5, expires: 1500, idle_heartbeat: 250 });
  (async () => {
    for await (const s of idle.status()) notes.push(s.type);
  })();
  assert.equal((await Array.fromAsync(idle)).length, 0);
  assert.equal(await idle.closed(), undefined);
  assert.ok(notes.includes("heartbeat"), notes.join(","));
  // a silent server: the fetch fails after about two intervals instead of waiting 20 s
  const t0 = performance.now();
  const silent = await c.fetch({ max_messages: 5, expires: 20_000, idle_heartbeat: 500 });
  srv.signal("SIGSTOP");
  try {
    await assert.rejects(
      Array.fromAsync(silent),
      (err) => err instanceof HeartbeatsMissedError && err.intervalMs === 500,
    );
    const elapsed = performance.now() - t0;
    assert.ok(elapsed < 3000, `ended after ${elapsed} ms`);
    assert.ok((await silent.closed()) instanceof HeartbeatsMissedError);
  } finally {
    srv.signal("SIGCONT");
  }
});

Deno.test("jetstream consume - acks leave in batches without a flush, and a lone ack still arrives at once", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  await using observer = await connect({ servers: srv.url });
  const { js } = await setup(nc, 300);
  const jsmObserver = await jetstreamManager(observer);
  const c = await js.consumers.get("S", "c");
  // 300 acks, none followed by a flush: they are written together with the next write or a tick later
  const messages = await c.consume({ max_messages: 100 });
  let n = 0;
  for await (const m of messages) {
    m.ack();
    if (++n === 300) break;
  }
  await waitFor(
    async () => (await jsmObserver.consumers.info("S", "c")).ack_floor.stream_seq === 300,
    "all 300 acks reached the server",
  );
  // one more message and its lone ack: no other traffic to carry it
  await js.publish("s.late", "late");
  const m = await c.next({ expires: 2000 });
  const t0 = performance.now();
  m!.ack();
  await waitFor(async () => (await jsmObserver.consumers.info("S", "c")).num_ack_pending === 0, "the lone ack arrived");
  assert.ok(performance.now() - t0 < 1000);
});
