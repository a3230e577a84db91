import assert from "node:assert/strict";
import { connect, headers, NoRespondersError } from "../mod.ts";
import {
  jetstream,
  JetStreamApiError,
  jetstreamManager,
  JetStreamNotEnabledError,
  JsApiCodes,
  nanos,
  type PubAck,
} from "../jetstream/mod.ts";
import { NatsServer } from "./helpers/server.ts";
import { waitFor } from "./helpers/util.ts";

Deno.test("jetstream publish - pipelined publishes all get distinct sequences", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "P", subjects: ["p.>"], storage: "memory" });
  const js = jetstream(nc);
  const inflight: Promise<PubAck>[] = [];
  for (let i = 0; i < 2000; i++) inflight.push(js.publish(`p.${i % 10}`, `m${i}`));
  const acks = await Promise.all(inflight);
  assert.equal(new Set(acks.map((a) => a.seq)).size, 2000);
  assert.ok(acks.every((a) => a.stream === "P" && a.duplicate === false));
  assert.equal((await jsm.streams.info("P")).state.messages, 2000);
  const h = headers();
  h.set("X-Trace", "t1");
  const ack = await js.publish("p.h", "with headers", { headers: h });
  const sm = await jsm.streams.getMessage("P", { seq: ack.seq });
  assert.equal(sm?.header.get("X-Trace"), "t1");
  assert.equal(sm?.string(), "with headers");
});

Deno.test("jetstream publish - msgID dedupes within the window", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "D", subjects: ["d"], storage: "memory", duplicate_window: nanos(60_000) });
  const js = jetstream(nc);
  const a = await js.publish("d", "1", { msgID: "x" });
  const b = await js.publish("d", "1 again", { msgID: "x" });
  const c = await js.publish("d", "2", { msgID: "y" });
  assert.equal(a.duplicate, false);
  assert.equal(b.duplicate, true);
  assert.equal(b.seq, a.seq);
  assert.equal(c.seq, a.seq + 1);
  assert.equal((await jsm.streams.info("D")).state.messages, 2);
});

Deno.test("jetstream publish - each failed expectation is a typed error", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "E", subjects: ["e.>"], storage: "memory" });
  const js = jetstream(nc);
  const first = await js.publish("e.a", "1", { msgID: "m1", expect: { lastSequence: 0, streamName: "E" } });
  assert.equal(first.seq, 1);
  const isCode = (code: number) => (e: unknown) => e instanceof JetStreamApiError && e.err_code === code;
  await assert.rejects(
    () => js.publish("e.a", "x", { expect: { lastSequence: 5 } }),
    isCode(JsApiCodes.StreamWrongLastSequence),
  );
  await assert.rejects(
    () => js.publish("e.a", "x", { expect: { streamName: "OTHER" } }),
    isCode(JsApiCodes.StreamNotMatch),
  );
  await assert.rejects(
    () => js.publish("e.a", "x", { expect: { lastMsgID: "zz" } }),
    isCode(JsApiCodes.StreamWrongLastMsgID),
  );
  await assert.rejects(
    () => js.publish("e.a", "x", { expect: { lastSubjectSequence: 7 } }),
    isCode(JsApiCodes.StreamWrongLastSequence),
  );
  const ok = await js.publish("e.a", "2", { expect: { lastMsgID: "m1", lastSubjectSequence: 1, lastSequence: 1 } });
  assert.equal(ok.seq, 2);
  assert.equal((await js.publish("e.b", "3", { expect: { lastSubjectSequence: 0 } })).seq, 3);
  await assert.rejects(
    () => js.publish("e.c", "x", { expect: { lastSubjectSequence: 2, lastSubjectSequenceSubject: "e.*" } }),
    isCode(JsApiCodes.StreamWrongLastSequence),
  );
  const wild = await js.publish("e.c", "4", { expect: { lastSubjectSequence: 3, lastSubjectSequenceSubject: "e.*" } });
  assert.equal(wild.seq, 4);
  await assert.rejects(
    () => js.publish("nostream", "x", { retries: 0 }),
    (e) => e instanceof JetStreamNotEnabledError && e.cause instanceof NoRespondersError,
  );
});

Deno.test("jetstream publish - per-message TTL expires messages", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "T", subjects: ["t.>"], storage: "memory", allow_msg_ttl: true });
  const js = jetstream(nc);
  await js.publish("t.short", "bye", { ttl: "1s" });
  await js.publish("t.ms", "bye too", { ttl: 1000 });
  await js.publish("t.long", "stays", { ttl: "1h" });
  assert.equal((await jsm.streams.info("T")).state.messages, 3);
  await waitFor(async () => (await jsm.streams.info("T")).state.messages === 1, "ttl expiry", 5000);
  assert.equal((await jsm.streams.getMessage("T", { last_by_subj: "t.long" }))?.string(), "stays");
  await assert.rejects(
    () => js.publish("t.bad", "x", { ttl: "100ms" }),
    (e: unknown) => e instanceof JetStreamApiError && e.err_code === JsApiCodes.MessageTTLInvalid,
  );
  await jsm.streams.add({ name: "NOTTL", subjects: ["nt"], storage: "memory" });
  await assert.rejects(
    () => js.publish("nt", "x", { ttl: "5s" }),
    (e: unknown) => e instanceof JetStreamApiError && e.err_code === JsApiCodes.MessageTTLDisabled,
  );
});

Deno.test("jetstream publish - counters add with Nats-Incr", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "CNT", subjects: ["cnt.>"], storage: "memory", allow_msg_counter: true });
  const js = jetstream(nc);
  assert.equal((await js.publish("cnt.a", "", { incr: 5 })).val, "5");
  assert.equal((await js.publish("cnt.a", "", { incr: -2n })).val, "3");
  assert.equal((await js.publish("cnt.a", "", { incr: "+10" })).val, "13");
});

Deno.test("jetstream publish - direct get single, batch and multi-last", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "G", subjects: ["g.>"], storage: "memory", allow_direct: true });
  const js = jetstream(nc);
  for (let i = 1; i <= 6; i++) await js.publish(`g.${i % 3}`, `v${i}`);
  const bySeq = await jsm.direct.getMessage("G", { seq: 2 });
  assert.equal(bySeq?.string(), "v2");
  assert.equal(bySeq?.subject, "g.2");
  assert.equal(bySeq?.seq, 2);
  assert.ok(bySeq!.time.getTime() > Date.now() - 60_000);
  assert.equal((await jsm.direct.getMessage("G", { last_by_subj: "g.1" }))?.string(), "v4");
  assert.equal((await jsm.direct.getMessage("G", { next_by_subj: "g.0", seq: 1 }))?.seq, 3);
  assert.equal(await jsm.direct.getMessage("G", { seq: 99 }), null);
  const batch = await Array.fromAsync(jsm.direct.getBatch("G", { batch: 4, seq: 2 }));
  assert.deepEqual(batch.map((m) => m.seq), [2, 3, 4, 5]);
  assert.equal(batch[3].pending, 1);
  const sub = await Array.fromAsync(jsm.direct.getBatch("G", { batch: 10, next_by_subj: "g.1" }));
  assert.deepEqual(sub.map((m) => m.string()), ["v1", "v4"]);
  const last = await Array.fromAsync(jsm.direct.getLastMessagesFor("G", { multi_last: ["g.*"] }));
  assert.deepEqual(last.map((m) => m.string()).sort(), ["v4", "v5", "v6"]);
  const past = await Array.fromAsync(jsm.direct.getLastMessagesFor("G", { multi_last: ["g.>"], up_to_seq: 3 }));
  assert.deepEqual(past.map((m) => m.seq), [1, 2, 3]);
});

Deno.test("jetstream publish - direct get by time: a batch from a start time, the last values up to a time", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "T", subjects: ["t.>"], storage: "memory", allow_direct: true });
  const js = jetstream(nc);
  await js.publish("t.a", "a1");
  await js.publish("t.b", "b1");
  await new Promise((r) => setTimeout(r, 50));
  const cut = new Date();
  await new Promise((r) => setTimeout(r, 50));
  await js.publish("t.a", "a2");
  await js.publish("t.b", "b2");
  const since = await Array.fromAsync(jsm.direct.getBatch("T", { batch: 10, start_time: cut }));
  assert.deepEqual(since.map((m) => m.string()), ["a2", "b2"]);
  const asOf = await Array.fromAsync(jsm.direct.getLastMessagesFor("T", { multi_last: ["t.*"], up_to_time: cut }));
  assert.deepEqual(asOf.map((m) => m.string()).sort(), ["a1", "b1"]);
});
