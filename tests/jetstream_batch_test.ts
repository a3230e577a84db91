import assert from "node:assert/strict";
import { connect, headers, InvalidArgumentError, InvalidOperationError, type NatsConnection } from "../mod.ts";
import {
  FeatureNotSupportedError,
  jetstream,
  JetStreamApiError,
  jetstreamManager,
  JsApiCodes,
  nanos,
  publishBatch,
  startBatch,
  type StreamConfig,
} from "../jetstream/mod.ts";
import { NatsServer, oldServerBin } from "./helpers/server.ts";

async function setup(nc: NatsConnection, cfg: Partial<StreamConfig> = {}) {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "B", subjects: ["b.>"], storage: "memory", allow_atomic: true, ...cfg });
  return { jsm, js: jetstream(nc) };
}

const isCode = (code: number) => (e: unknown) => e instanceof JetStreamApiError && e.err_code === code;

Deno.test("jetstream batch - commit stores every message with consecutive sequences", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { jsm, js } = await setup(nc);
  await js.publish("b.before", "x");
  const h = headers();
  h.set("X-Tag", "first");
  const b = await js.startBatch("b.1", "one", { headers: h });
  assert.equal(b.count, 1);
  assert.equal((await jsm.streams.info("B")).state.messages, 1, "nothing stored before the commit");
  b.add("b.2", "two");
  await b.add("b.3", "three", { ack: true });
  b.add("b.4", "four");
  const ack = await b.commit("b.5", "five");
  assert.equal(ack.stream, "B");
  assert.equal(ack.batch, b.id);
  assert.equal(ack.count, 5);
  assert.equal(ack.seq, 6);
  assert.equal(b.closed, true);
  const info = await jsm.streams.info("B");
  assert.equal(info.state.messages, 6);
  for (let seq = 2; seq <= 6; seq++) {
    const sm = await jsm.streams.getMessage("B", { seq });
    assert.equal(sm?.subject, `b.${seq - 1}`);
    assert.equal(sm?.header.get("Nats-Batch-Id"), b.id);
    assert.equal(sm?.header.get("Nats-Batch-Sequence"), String(seq - 1));
  }
  assert.equal((await jsm.streams.getMessage("B", { seq: 2 }))?.header.get("X-Tag"), "first");
  assert.equal((await jsm.streams.getMessage("B", { seq: 6 }))?.header.get("Nats-Batch-Commit"), "1");
  assert.throws(() => b.add("b.6", "late"), InvalidOperationError);
  await assert.rejects(() => b.commit("b.6", "late"), InvalidOperationError);

  const ack2 = await publishBatch(
    js,
    Array.from({ length: 20 }, (_, i) => ({ subject: `b.p.${i}`, payload: `${i}` })),
    {
      ackEvery: 5,
    },
  );
  assert.equal(ack2.count, 20);
  assert.equal(ack2.seq, 26);
  const single = await publishBatch(js, [{ subject: "b.single", payload: "alone" }]);
  assert.equal(single.count, 1);
  assert.equal(single.seq, 27);
  assert.equal((await jsm.streams.info("B")).state.messages, 27);
});

Deno.test("jetstream batch - a stream without allow_atomic refuses with a typed error and stores nothing", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { jsm, js } = await setup(nc, { allow_atomic: false });
  await assert.rejects(() => js.startBatch("b.1", "one"), isCode(JsApiCodes.AtomicPublishDisabled));
  await assert.rejects(
    () => publishBatch(js, [{ subject: "b.1", payload: "1" }, { subject: "b.2", payload: "2" }]),
    isCode(JsApiCodes.AtomicPublishDisabled),
  );
  await assert.rejects(
    () => publishBatch(js, [{ subject: "b.1", payload: "1" }]),
    isCode(JsApiCodes.AtomicPublishDisabled),
  );
  assert.equal((await jsm.streams.info("B")).state.messages, 0);
});

Deno.test("jetstream batch - a batch over the server limit fails whole", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { jsm, js } = await setup(nc);
  const b = await startBatch(js, "b.0", "0");
  for (let i = 1; i < 1000; i++) b.add(`b.${i % 7}`, `${i}`);
  assert.equal(b.count, 1000);
  await assert.rejects(() => b.commit("b.x", "one too many"), isCode(JsApiCodes.AtomicPublishTooLargeBatch));
  assert.equal((await jsm.streams.info("B")).state.messages, 0);
});

Deno.test("jetstream batch - an abandoned batch stores nothing and cannot be committed later", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { jsm, js } = await setup(nc);
  const advisories = nc.subscribe("$JS.EVENT.ADVISORY.>", { timeout: 20_000 });
  const b = await js.startBatch("b.1", "one");
  await b.add("b.2", "two", { ack: true });
  // a batch committed meanwhile is independent of the open one
  const other = await publishBatch(js, [{ subject: "b.o", payload: "o1" }, { subject: "b.o", payload: "o2" }]);
  assert.equal(other.seq, 2);
  let advisory: Record<string, unknown> | undefined;
  for await (const m of advisories) {
    advisory = m.json();
    if (advisory?.type === "io.nats.jetstream.advisory.v1.stream_batch_abandoned") break;
  }
  assert.equal(advisory?.batch, b.id);
  assert.equal(advisory?.reason, "timeout");
  await assert.rejects(() => b.commit("b.3", "three"), isCode(JsApiCodes.AtomicPublishIncompleteBatch));
  const info = await jsm.streams.info("B");
  assert.equal(info.state.messages, 2);
  assert.equal(info.state.last_seq, 2);
});

Deno.test("jetstream batch - expectations are checked at commit against the stream before the batch", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { jsm, js } = await setup(nc, { duplicate_window: nanos(60_000) });
  await js.publish("b.k", "v0");
  // lastSequence on the first message, lastSubjectSequence on a later one
  const b = await js.startBatch("b.a", "1", { expect: { lastSequence: 1, streamName: "B" } });
  b.add("b.k", "v1", { expect: { lastSubjectSequence: 1 } });
  const ack = await b.commit("b.c", "3", { msgID: "c-1" });
  assert.equal(ack.count, 3);
  assert.equal(ack.seq, 4);

  // a stale lastSequence fails the whole batch at commit
  const stale = await js.startBatch("b.a", "x", { expect: { lastSequence: 1 } });
  stale.add("b.b", "y");
  await assert.rejects(() => stale.commit("b.c", "z"), isCode(JsApiCodes.StreamWrongLastSequence));
  // a failing subject expectation in the middle fails the whole batch too
  const mid = await js.startBatch("b.a", "x");
  mid.add("b.k", "y", { expect: { lastSubjectSequence: 1 } });
  await assert.rejects(() => mid.commit("b.c", "z"), isCode(JsApiCodes.StreamWrongLastSequence));
  // a duplicate message id fails the batch
  await assert.rejects(
    () => publishBatch(js, [{ subject: "b.a", payload: "d" }, { subject: "b.c", payload: "dup", msgID: "c-1" }]),
    isCode(JsApiCodes.AtomicPublishContainsDuplicateMessage),
  );
  assert.equal((await jsm.streams.info("B")).state.messages, 4);

  // refused before sending: lastSequence after the first message, lastMsgID anywhere
  const open = await js.startBatch("b.a", "x");
  const notFirst = { expect: { lastSequence: 4 } } as unknown as Parameters<typeof open.add>[2];
  assert.throws(() => open.add("b.a", "y", notFirst), InvalidArgumentError);
  await assert.rejects(
    () => js.startBatch("b.a", "x", { expect: { lastMsgID: "c-1" } } as unknown as Parameters<typeof startBatch>[3]),
    InvalidArgumentError,
  );
  assert.equal((await open.commit("b.a", "y")).count, 2);
});

Deno.test("jetstream batch - end() commits without storing the marker", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const { jsm, js } = await setup(nc);
  const b = await js.startBatch("b.1", "one");
  b.add("b.2", "two");
  const ack = await b.end();
  assert.equal(ack.count, 2);
  assert.equal(ack.seq, 2);
  assert.equal((await jsm.streams.info("B")).state.messages, 2);
  assert.equal((await jsm.streams.getMessage("B", { seq: 2 }))?.header.get("Nats-Batch-Commit"), "1");
});

Deno.test("jetstream batch - servers before 2.12 give FeatureNotSupportedError before sending", async () => {
  await using srv = await NatsServer.start({ jetstream: true, bin: oldServerBin() });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "B", subjects: ["b.>"], storage: "memory" });
  const js = jetstream(nc);
  await assert.rejects(() => js.startBatch("b.1", "one"), FeatureNotSupportedError);
  await assert.rejects(() => publishBatch(js, [{ subject: "b.1", payload: "one" }]), FeatureNotSupportedError);
  assert.equal((await jsm.streams.info("B")).state.messages, 0);
});
