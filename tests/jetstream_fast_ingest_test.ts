import assert from "node:assert/strict";
import { connect as officialConnect } from "@nats-io/transport-node";
import { startFastIngest as officialStartFastIngest } from "@nats-io/jetstream/internal";
import {
  connect,
  InvalidArgumentError,
  InvalidOperationError,
  InvalidSubjectError,
  type NatsConnection,
  NoRespondersError,
  TimeoutError,
} from "../mod.ts";
import {
  FastIngestGapError,
  FastIngestMessageError,
  type FastIngestProgress,
  FeatureNotSupportedError,
  jetstream,
  JetStreamApiError,
  jetstreamManager,
  JsApiCodes,
  startFastIngest,
  type StartFastIngestOptions,
  type StreamConfig,
} from "../jetstream/mod.ts";
import { NatsServer, oldServerBin } from "./helpers/server.ts";
import { take } from "./helpers/util.ts";

async function setup(nc: NatsConnection, cfg: Partial<StreamConfig> = {}) {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "FI", subjects: ["fi.>"], storage: "memory", allow_batched: true, ...cfg });
  return { jsm, js: jetstream(nc) };
}

Deno.test("jetstream fast ingest - 10,000 messages land complete and in order, paced by flow acks", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { jsm, js } = await setup(nc);
  const opts: StartFastIngestOptions = { allowGaps: false, ackInterval: 100, maxOutstandingAcks: 2 };
  const fi = await js.startFastIngest("fi.a", "m1", opts);
  const progress: FastIngestProgress[] = [];
  for (let i = 2; i < 10_000; i++) progress.push(await fi.add(i % 2 ? "fi.a" : "fi.b", `m${i}`));
  const mid = await fi.ping();
  assert.equal(mid.batchSeq, 9_999);
  assert.ok(mid.ackSeq > 0 && mid.ackSeq <= 9_999);
  const ack = await fi.last("fi.b", "m10000");
  assert.equal(ack.stream, "FI");
  assert.equal(ack.batch, fi.batch);
  assert.equal(ack.count, 10_000);
  assert.equal(ack.seq, 10_000);
  assert.deepEqual(await fi.done(), ack);

  progress.forEach((p, i) => assert.equal(p.batchSeq, i + 2));
  // flow control: never more than ackInterval × maxOutstandingAcks messages unacknowledged
  for (const p of progress) assert.ok(p.batchSeq - p.ackSeq < 200, `${p.batchSeq} - ${p.ackSeq}`);
  for (let i = 1; i < progress.length; i++) assert.ok(progress[i].ackSeq >= progress[i - 1].ackSeq);

  const st = (await jsm.streams.info("FI")).state;
  assert.equal(st.messages, 10_000);
  assert.equal(st.last_seq, 10_000);
  for (const seq of [1, 2, 5_000, 9_999, 10_000]) {
    const sm = await jsm.streams.getMessage("FI", { seq });
    assert.equal(sm?.subject, seq % 2 ? "fi.a" : "fi.b");
    assert.equal(sm?.string(), `m${seq}`);
  }
});

Deno.test("jetstream fast ingest - end() commits without storing a marker; options and defaults", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { jsm, js } = await setup(nc, { allow_msg_ttl: true });
  const fi = await startFastIngest(js, "fi.x", "0", { allowGaps: true, msgID: "first", ttl: "1h" });
  // not awaited one by one: adds queue up behind the flow-control window and keep their order
  const progress = await Promise.all(
    Array.from({ length: 299 }, (_, i) => fi.add("fi.x", `${i + 1}`, i === 6 ? { msgID: "seven" } : undefined)),
  );
  progress.forEach((p, i) => {
    assert.equal(p.batchSeq, i + 2);
    assert.ok(p.batchSeq - p.ackSeq < 20, "at most ackInterval (default 10) × 2 unacknowledged");
  });
  const ack = await fi.end();
  assert.equal(ack.count, 300);
  assert.equal(ack.seq, 300);
  const st = (await jsm.streams.info("FI")).state;
  assert.equal(st.messages, 300);
  const first = await jsm.streams.getMessage("FI", { seq: 1 });
  assert.equal(first?.header.get("Nats-Msg-Id"), "first");
  assert.equal(first?.header.get("Nats-TTL"), "1h");
  assert.equal((await jsm.streams.getMessage("FI", { seq: 8 }))?.header.get("Nats-Msg-Id"), "seven");
  for (const seq of [2, 150, 300]) assert.equal((await jsm.streams.getMessage("FI", { seq }))?.string(), `${seq - 1}`);
  assert.deepEqual(await take(fi.gaps(), 1, 1000), [], "no gaps, iteration ended with the batch");

  // a batch of one message committed right away: a normal PubAck with batch and count
  const one = await js.startFastIngest("fi.y", "a", { allowGaps: false });
  const ack1 = await one.last("fi.y", "b");
  assert.equal(ack1.count, 2);
  assert.equal(ack1.seq, 302);
});

Deno.test("jetstream fast ingest - a stream without allow_batched refuses with the server's typed error", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { jsm, js } = await setup(nc, { allow_batched: false });
  const err = await startFastIngest(js, "fi.a", "x", { allowGaps: false }).then(
    () => assert.fail("started"),
    (e) => e,
  );
  assert.ok(err instanceof JetStreamApiError, String(err));
  assert.equal(err.err_code, JsApiCodes.BatchPublishDisabled);
  assert.equal((await jsm.streams.info("FI")).state.messages, 0);
  await assert.rejects(() => js.startFastIngest("nostream.a", "x", { allowGaps: true }), NoRespondersError);
});

Deno.test("jetstream fast ingest - invalid use gives typed errors", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { jsm, js } = await setup(nc);
  await assert.rejects(
    () => js.startFastIngest("fi.a", "x", {} as StartFastIngestOptions),
    InvalidArgumentError,
  );
  await assert.rejects(
    () => js.startFastIngest("fi.a", "x", { allowGaps: true, ackInterval: 0 }),
    InvalidArgumentError,
  );
  await assert.rejects(
    () => js.startFastIngest("fi.a", "x", { allowGaps: true, inboxPrefix: "in.*" }),
    InvalidSubjectError,
  );
  assert.equal((await jsm.streams.info("FI")).state.messages, 0, "nothing sent");
  const plain = nc.subscribe("plain.>");
  await assert.rejects(
    () => js.startFastIngest("plain.a", "x", { allowGaps: true, timeout: 300 }),
    (e) => e instanceof TimeoutError && e.operation === "fast-ingest start",
  );
  plain.unsubscribe();

  const fi = await js.startFastIngest("fi.a", "1", { allowGaps: false, inboxPrefix: "my.inbox", timeout: 2000 });
  await fi.add("fi.a", "2");
  const ack = await fi.end();
  assert.equal(ack.count, 2);
  await assert.rejects(() => fi.add("fi.a", "late"), InvalidOperationError);
  await assert.rejects(() => fi.last("fi.a", "late"), InvalidOperationError);
  await assert.rejects(() => fi.end(), InvalidOperationError);
  await assert.rejects(() => fi.ping(), InvalidOperationError);
  assert.equal((await jsm.streams.info("FI")).state.messages, 2);

  // await using ends a batch that was left open
  let disposed;
  {
    await using open = await js.startFastIngest("fi.b", "1", { allowGaps: true });
    await open.add("fi.b", "2");
    disposed = open;
  }
  assert.equal((await disposed.done()).count, 2);
  assert.equal((await jsm.streams.info("FI")).state.messages, 4);
});

Deno.test("jetstream fast ingest - a refused message: reported with gaps allowed, ends the batch otherwise", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { jsm, js } = await setup(nc, { max_msg_size: 64 });
  const big = "x".repeat(100);

  const ok = await js.startFastIngest("fi.ok", "1", { allowGaps: true });
  for (let i = 2; i <= 4; i++) await ok.add("fi.ok", `${i}`);
  await ok.add("fi.ok", big); // batch seq 5, refused before joining the batch
  await ok.add("fi.ok", "6");
  await ok.add("fi.ok", "7", { expect: { lastSequence: 1 } }); // refused by the expectation
  const okAck = await ok.last("fi.ok", "8");
  assert.equal(okAck.count, 8);
  const errs = await take(ok.errors(), 2);
  assert.ok(errs.every((e) => e instanceof FastIngestMessageError && e.batch === ok.batch));
  assert.deepEqual(errs.map((e) => [e.seq, e.err_code]), [
    [5, JsApiCodes.StreamMessageExceedsMaximum],
    [7, JsApiCodes.StreamWrongLastSequence],
  ]);
  assert.deepEqual(await take(ok.gaps(), 1), [{ lastSeq: 5, seq: 6 }]);
  assert.equal((await jsm.streams.info("FI")).state.messages, 6);

  const fail = await js.startFastIngest("fi.fail", "1", { allowGaps: false });
  await fail.add("fi.fail", "2");
  await fail.add("fi.fail", "3", { expect: { lastSequence: 1 } });
  const err = await fail.done().then(() => assert.fail("committed"), (e) => e);
  assert.ok(err instanceof FastIngestMessageError, String(err));
  assert.equal(err.seq, 3);
  assert.equal(err.err_code, JsApiCodes.StreamWrongLastSequence);
  assert.equal(err.ack?.count, 2, "the final PubAck says what was stored");
  assert.equal(err.ack?.seq, 8);
  await assert.rejects(() => fail.add("fi.fail", "4"), (e) => e === err);
  await assert.rejects(() => fail.last("fi.fail", "4"), (e) => e === err);
  assert.equal((await jsm.streams.info("FI")).state.messages, 8);
});

Deno.test("jetstream fast ingest - a gap ends a batch that allows none", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { jsm, js } = await setup(nc);
  const fi = await js.startFastIngest("fi.g", "1", { allowGaps: false });
  await fi.add("fi.g", "2");
  // a message with batch sequence 4 reaches the server; 3 never does
  nc.publish("fi.g", "4", { reply: `_INBOX.${fi.batch}.10.fail.4.1.$FI` });
  const err = await fi.done().then(() => assert.fail("committed"), (e) => e);
  assert.ok(err instanceof FastIngestGapError, String(err));
  assert.equal(err.batch, fi.batch);
  assert.equal(err.lastSeq, 3);
  assert.equal(err.seq, 4);
  assert.equal(err.ack?.count, 2);
  await assert.rejects(() => fi.add("fi.g", "5"), FastIngestGapError);
  assert.deepEqual(await take(fi.gaps(), 1), [{ lastSeq: 3, seq: 4 }]);
  assert.equal((await jsm.streams.info("FI")).state.messages, 2);
});

Deno.test("jetstream fast ingest - a silent server stalls add() at the window, then times out", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { jsm, js } = await setup(nc);
  const fi = await js.startFastIngest("fi.s", "1", { allowGaps: false, timeout: 300 });
  srv.signal("SIGSTOP");
  const resolved: FastIngestProgress[] = [];
  let err: unknown;
  try {
    for (let i = 2; i < 1000; i++) resolved.push(await fi.add("fi.s", `${i}`));
  } catch (e) {
    err = e;
  } finally {
    srv.signal("SIGCONT");
  }
  assert.ok(err instanceof TimeoutError && err.operation === "fast-ingest flow control", String(err));
  assert.ok(resolved.length >= 18, "the window (10 × 2) was used");
  for (const p of resolved) assert.ok(p.batchSeq - p.ackSeq < 20);
  await assert.rejects(() => fi.done(), (e) => e === err);
  await assert.rejects(() => fi.add("fi.s", "late"), (e) => e === err);
  const sent = resolved.length + 2;
  await nc.flush();
  assert.ok((await jsm.streams.info("FI")).state.messages <= sent, "nothing beyond the window was sent");
});

Deno.test("jetstream fast ingest - servers before 2.14 give FeatureNotSupportedError before sending", async () => {
  await using srv = await NatsServer.start({ jetstream: true, bin: oldServerBin() });
  await using nc = await connect({ servers: srv.url });
  const sub = nc.subscribe("fi.>");
  await assert.rejects(
    () => jetstream(nc).startFastIngest("fi.a", "x", { allowGaps: true }),
    (e) => e instanceof FeatureNotSupportedError && e.required === "2.14.0",
  );
  await nc.flush();
  assert.equal(sub.getReceived(), 0);
  sub.unsubscribe();
});

Deno.test("jetstream fast ingest - interop: the official client's batch and ours store the same", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  for (const name of ["OURS", "THEIRS"]) {
    await jsm.streams.add({ name, subjects: [`${name.toLowerCase()}.>`], storage: "memory", allow_batched: true });
  }
  const n = 500;
  const fi = await jetstream(nc).startFastIngest("ours.0", "v0", { allowGaps: false });
  for (let i = 1; i < n - 1; i++) await fi.add(`ours.${i % 3}`, `v${i}`);
  const ours = await fi.last(`ours.${(n - 1) % 3}`, `v${n - 1}`);

  const onc = await officialConnect({ servers: srv.url });
  try {
    const ofi = await officialStartFastIngest(onc, "theirs.0", "v0", { allowGaps: false });
    for (let i = 1; i < n - 1; i++) await ofi.add(`theirs.${i % 3}`, `v${i}`);
    const theirs = await ofi.last(`theirs.${(n - 1) % 3}`, `v${n - 1}`);
    assert.equal(theirs.count, ours.count);
    assert.equal(theirs.seq, ours.seq);
  } finally {
    await onc.close();
  }
  for (const seq of [1, 2, 3, 250, n]) {
    const a = await jsm.streams.getMessage("OURS", { seq });
    const b = await jsm.streams.getMessage("THEIRS", { seq });
    assert.equal(a?.subject.slice(5), b?.subject.slice(7));
    assert.equal(a?.string(), b?.string());
  }
  assert.equal((await jsm.streams.info("OURS")).state.messages, n);
  assert.equal((await jsm.streams.info("THEIRS")).state.messages, n);
});
