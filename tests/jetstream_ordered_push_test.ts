import assert from "node:assert/strict";
import { connect, createInbox, headers, type NatsConnection, NoRespondersError } from "../mod.ts";
import {
  type ConsumerMessages,
  type ConsumerNotification,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  type JsMsg,
  nanos,
  type OrderedPushConsumerOptions,
} from "../jetstream/mod.ts";
import { NatsServer, oldServerBin } from "./helpers/server.ts";
import { delay, take, waitFor } from "./helpers/util.ts";

/** Collects a consume's notifications. */
function notes(messages: ConsumerMessages): ConsumerNotification[] {
  const out: ConsumerNotification[] = [];
  (async () => {
    for await (const s of messages.status()) out.push(s);
  })();
  return out;
}

/** Publishes `n` messages to `subject` (all in flight at once). */
async function fill(nc: NatsConnection, subject: string, n: number, payload: string | Uint8Array = ""): Promise<void> {
  const js = jetstream(nc);
  await Promise.all(Array.from({ length: n }, (_, i) => js.publish(subject, payload || `m${i + 1}`)));
}

/** Reads the sequences of the next `n` messages without ending the iteration (fails after 4 s). */
async function seqs(messages: ConsumerMessages, n: number): Promise<number[]> {
  const it = iterators.get(messages) ?? messages[Symbol.asyncIterator]();
  iterators.set(messages, it);
  const out: number[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${out.length} of ${n} messages`)), 4000);
  });
  try {
    while (out.length < n) {
      const r = await Promise.race([it.next(), timedOut]);
      if (r.done) break;
      out.push(r.value.seq);
    }
  } finally {
    clearTimeout(timer);
  }
  return out;
}
const iterators = new WeakMap<ConsumerMessages, AsyncIterator<JsMsg>>();

/** 1..n */
function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** Asserts that nobody listens on `subject` any more. */
async function assertNoListener(nc: NatsConnection, subject: string): Promise<void> {
  await assert.rejects(() => nc.request(subject, "", { timeout: 2000 }), NoRespondersError);
}

Deno.test("jetstream ordered push - delivers 1,000 messages in order from an ephemeral push consumer", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "OP", subjects: ["op.>"], storage: "memory" });
  await fill(nc, "op.a", 1000);
  const js = jetstream(nc);
  const pc = await js.consumers.getPushConsumer("OP");
  await assert.rejects(() => pc.info());
  const messages = await pc.consume();
  assert.deepEqual(await seqs(messages, 1000), range(1, 1000));
  const info = await pc.info();
  const cfg = info.config;
  assert.equal(cfg.ack_policy, "none");
  assert.equal(cfg.flow_control, true);
  assert.equal(cfg.idle_heartbeat, nanos(5000));
  assert.equal(cfg.mem_storage, true);
  assert.equal(cfg.num_replicas, 1);
  assert.equal(cfg.max_deliver, 1);
  assert.equal(cfg.durable_name, undefined);
  assert.ok(cfg.deliver_subject?.startsWith("_INBOX."));
  assert.equal(info.delivered.stream_seq, 1000);
  await assert.rejects(() => pc.consume(), /one consume at a time/);
  await messages.close();
  await assertNoListener(nc, cfg.deliver_subject!);
  assert.deepEqual(await Array.fromAsync(jsm.consumers.names("OP")), []);
  // a second consume carries on after the last message delivered
  await js.publish("op.a", "next");
  await using again = await pc.consume();
  assert.deepEqual(await seqs(again, 1), [1001]);
});

Deno.test("jetstream ordered push - filters, deliver policies, deliver_prefix and Stream.getPushConsumer", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "OP", subjects: ["op.>"], storage: "memory" });
  const js = jetstream(nc);
  for (let i = 1; i <= 7; i++) await js.publish(`op.${i % 2 ? "odd" : "even"}`, `v${i}`);
  const stream = await js.streams.get("OP");
  const read = async (opts: OrderedPushConsumerOptions, n: number) => {
    const pc = await stream.getPushConsumer(opts);
    await using messages = await pc.consume();
    return await seqs(messages, n);
  };
  assert.deepEqual(await read({ deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: 5 }, 3), [5, 6, 7]);
  assert.deepEqual(await read({ deliver_policy: DeliverPolicy.Last }, 1), [7]);
  assert.deepEqual(await read({ deliver_policy: DeliverPolicy.LastPerSubject }, 2), [6, 7]);
  assert.deepEqual(await read({ filter_subjects: "op.even" }, 3), [2, 4, 6]);
  assert.deepEqual(
    await read({ deliver_policy: DeliverPolicy.StartTime, opt_start_time: new Date(0) }, 7),
    range(1, 7),
  );
  const pc = await stream.getPushConsumer({ deliver_prefix: "mine", headers_only: true, filter_subjects: "op.odd" });
  const got: JsMsg[] = [];
  await using _messages = await pc.consume({ callback: (m) => got.push(m) });
  const deadline = Date.now() + 3000;
  while (got.length < 4 && Date.now() < deadline) await delay(20);
  assert.deepEqual(got.map((m) => m.seq), [1, 3, 5, 7]);
  assert.equal(got[0].data.length, 0);
  const cfg = (await pc.info()).config;
  assert.ok(cfg.deliver_subject?.startsWith("mine."));
  assert.equal(cfg.headers_only, true);
  assert.equal(cfg.filter_subject, "op.odd");
  await assert.rejects(() => js.consumers.getPushConsumer("MISSING"));
});

Deno.test("jetstream ordered push - recreates its consumer after it is deleted elsewhere, without gaps", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  await using other = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "OP", subjects: ["op.>"], storage: "memory" });
  await fill(nc, "op.a", 20);
  const js = jetstream(nc);
  const pc = await js.consumers.getPushConsumer("OP", { idle_heartbeat: 300 });
  const messages = await pc.consume();
  const seen = notes(messages);
  assert.deepEqual(await seqs(messages, 20), range(1, 20));
  const first = (await pc.info(true)).name;
  await (await jetstreamManager(other)).consumers.delete("OP", first);
  await fill(other, "op.a", 10);
  assert.deepEqual(await seqs(messages, 10), range(21, 30));
  await waitFor(() => seen.some((n) => n.type === "ordered_consumer_recreated"), "recreation", 3000);
  assert.ok(seen.some((n) => n.type === "heartbeats_missed"));
  const info = await pc.info();
  assert.notEqual(info.name, first);
  assert.equal(info.config.opt_start_seq, 21);
  await messages.close();
  assert.deepEqual(await Array.fromAsync(jsm.consumers.names("OP")), []);
});

Deno.test("jetstream ordered push - a heartbeat revealing a gap recreates from the last stream sequence", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "OP", subjects: ["op.>"], storage: "memory" });
  await fill(nc, "op.a", 5);
  const js = jetstream(nc);
  const pc = await js.consumers.getPushConsumer("OP");
  await using messages = await pc.consume();
  const seen = notes(messages);
  assert.deepEqual(await seqs(messages, 5), range(1, 5));
  // a heartbeat saying the consumer already sent 9 messages: 6..9 were lost on the way
  const ci = await pc.info();
  const hb = headers(100, "Idle Heartbeat");
  hb.set("Nats-Last-Consumer", "9");
  hb.set("Nats-Last-Stream", "9");
  nc.publish(ci.config.deliver_subject!, "", { headers: hb });
  await waitFor(() => seen.some((n) => n.type === "ordered_consumer_recreated"), "recreation", 3000);
  assert.ok(seen.some((n) => n.type === "heartbeat"));
  await fill(nc, "op.a", 2);
  assert.deepEqual(await seqs(messages, 2), [6, 7]);
  assert.equal((await pc.info()).config.opt_start_seq, 6);
});

Deno.test("jetstream ordered push - survives a server restart without gaps or duplicates", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url, reconnectTimeWait: 100, maxReconnectAttempts: -1 });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "OP", subjects: ["op.>"], storage: "file" });
  await fill(nc, "op.a", 100);
  const js = jetstream(nc);
  const pc = await js.consumers.getPushConsumer("OP", { idle_heartbeat: 500 });
  await using messages = await pc.consume();
  const seen = notes(messages);
  assert.deepEqual(await seqs(messages, 50), range(1, 50));
  await srv.restart();
  await waitFor(() => seen.some((n) => n.type === "ordered_consumer_recreated"), "recreation", 4000);
  await fill(nc, "op.a", 50);
  assert.deepEqual(await seqs(messages, 100), range(51, 150));
  // as in nats.js, "reset" is an ordered pull consumer's notification, not a reconnect's
  assert.ok(!seen.some((n) => n.type === "reset"));
});

Deno.test("jetstream ordered push - flow control paces a slow reader to the end", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "OP", subjects: ["op.>"], storage: "memory" });
  await fill(nc, "op.a", 400, new Uint8Array(8 * 1024));
  const js = jetstream(nc);
  const pc = await js.consumers.getPushConsumer("OP");
  const messages = await pc.consume();
  const seen = notes(messages);
  let last = 0;
  for await (const m of messages) {
    assert.equal(m.seq, last + 1);
    last = m.seq;
    if (m.seq % 50 === 0) await delay(50);
    if (last === 400) break;
  }
  assert.ok(seen.some((n) => n.type === "flow_control"), "flow control requests were answered");
  assert.ok(!seen.some((n) => n.type === "ordered_consumer_recreated"));
});

Deno.test("jetstream bound push - reads an existing durable push consumer, with and without a deliver group", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "BP", subjects: ["bp.>"], storage: "memory" });
  await fill(nc, "bp.a", 10);
  const deliver = createInbox();
  await jsm.consumers.add("BP", {
    durable_name: "solo",
    deliver_subject: deliver,
    ack_policy: "explicit",
    flow_control: true,
    idle_heartbeat: nanos(1000),
  });
  const js = jetstream(nc);
  const bound = await js.consumers.getBoundPushConsumer({ deliver_subject: deliver, idle_heartbeat: nanos(1000) });
  await assert.rejects(() => bound.info());
  await assert.rejects(() => bound.delete());
  await using messages = await bound.consume();
  const got = await take(messages as AsyncIterable<JsMsg>, 10);
  assert.deepEqual(got.map((m) => m.seq), Array.from({ length: 10 }, (_, i) => i + 1));
  for (const m of got) await m.ackAck();
  assert.equal((await jsm.consumers.info("BP", "solo")).num_ack_pending, 0);

  const group = createInbox();
  await jsm.consumers.add("BP", {
    durable_name: "grouped",
    deliver_subject: group,
    deliver_group: "g",
    ack_policy: "none",
  });
  const seqs: number[] = [];
  const a = await (await js.consumers.getBoundPushConsumer({ deliver_subject: group, deliver_group: "g" }))
    .consume({ callback: (m) => seqs.push(m.seq) });
  const b = await (await js.consumers.getBoundPushConsumer({ deliver_subject: group, deliver_group: "g" }))
    .consume({ callback: (m) => seqs.push(m.seq) });
  await fill(nc, "bp.a", 40);
  const deadline = Date.now() + 3000;
  while (seqs.length < 50 && Date.now() < deadline) await delay(20);
  assert.deepEqual(seqs.toSorted((x, y) => x - y), Array.from({ length: 50 }, (_, i) => i + 1));
  assert.ok(a.getReceived() > 0 && b.getReceived() > 0, "both members of the group received messages");
  await a.close();
  await b.close();
  await assertNoListener(nc, group);
});

Deno.test("jetstream ordered push - works on an old 2.9 server", async () => {
  await using srv = await NatsServer.start({ jetstream: true, bin: oldServerBin() });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "OP", subjects: ["op.>"], storage: "memory" });
  await fill(nc, "op.a", 10);
  const pc = await jetstream(nc).consumers.getPushConsumer("OP", { filter_subjects: "op.a" });
  const messages = await pc.consume();
  assert.deepEqual(await seqs(messages, 10), range(1, 10));
  await messages.close();
  assert.deepEqual(await Array.fromAsync(jsm.consumers.names("OP")), []);
});
