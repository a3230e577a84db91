import assert from "node:assert/strict";
import { connect as officialConnect } from "@nats-io/transport-node";
import { jetstreamManager as officialManager } from "@nats-io/jetstream";
import { connect, InvalidArgumentError } from "../mod.ts";
import {
  FeatureNotSupportedError,
  jetstream,
  JetStreamApiError,
  JetStreamClient,
  type JetStreamManager,
  jetstreamManager,
  JsApiCodes,
  Stream,
} from "../jetstream/mod.ts";
import { NatsCluster, NatsServer, oldServerBin } from "./helpers/server.ts";
import { waitFor } from "./helpers/util.ts";

const isStreamNotFound = (e: unknown) =>
  e instanceof JetStreamApiError && e.is(JsApiCodes.StreamNotFound) && e.status === 404;

Deno.test("jetstream streams object - get of an existing and a missing stream", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc, { timeout: 3000 });
  await jsm.streams.add({ name: "S", subjects: ["s.>"], storage: "memory" });
  const s = await jsm.streams.get("S");
  assert.ok(s instanceof Stream);
  assert.equal(s.name, "S");
  assert.deepEqual((await s.info(true)).config.subjects, ["s.>"]);
  // a single server reports no alternates, so the best stream is this one
  assert.deepEqual(await s.alternates(), []);
  assert.equal(await s.best(), s);

  const js = jsm.jetstream();
  assert.ok(js instanceof JetStreamClient);
  assert.deepEqual(js.getOptions(), { timeout: 3000 });
  assert.equal((await js.streams.get("S")).name, "S");
  await assert.rejects(() => js.streams.get("MISSING"), isStreamNotFound);
  await assert.rejects(() => jsm.streams.get("MISSING"), isStreamNotFound);
  await assert.rejects(() => jsm.streams.get("bad.name"), InvalidArgumentError);
});

Deno.test("jetstream streams object - info is cached until refreshed", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const js = jetstream(nc);
  await (await jetstreamManager(nc)).streams.add({ name: "C", subjects: ["c.>"], storage: "memory" });
  await js.publish("c.a", "1");
  await js.publish("c.b", "2");
  const s = await js.streams.get("C");
  await js.publish("c.a", "3");
  assert.equal((await s.info(true)).state.messages, 2);
  const fresh = await s.info();
  assert.equal(fresh.state.messages, 3);
  assert.equal((await s.info(true)).state.messages, 3);
  assert.equal(await s.info(true), fresh);
  const filtered = await s.info(false, { subjects_filter: "c.>" });
  assert.deepEqual(filtered.state.subjects, { "c.a": 2, "c.b": 1 });
});

Deno.test("jetstream streams object - getMessage and deleteMessage", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const js = jetstream(nc);
  await (await jetstreamManager(nc)).streams.add({ name: "M", subjects: ["m.>"], storage: "memory" });
  for (let i = 1; i <= 4; i++) await js.publish(`m.${i % 2}`, `v${i}`);
  const s = await js.streams.get("M");
  assert.equal((await s.getMessage({ seq: 2 }))?.string(), "v2");
  assert.equal((await s.getMessage({ last_by_subj: "m.1" }))?.seq, 3);
  assert.equal((await s.getMessage({ next_by_subj: "m.0", seq: 3 }))?.string(), "v4");
  assert.equal(await s.deleteMessage(2), true);
  assert.equal(await s.deleteMessage(3, false), true);
  assert.equal(await s.getMessage({ seq: 2 }), null);
  assert.equal(await s.getMessage({ seq: 3 }), null);
  const si = await s.info();
  assert.equal(si.state.messages, 2);
  assert.equal(si.state.num_deleted, 2);
});

Deno.test("jetstream streams object - getConsumer (named and ordered) and getPushConsumer read messages", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "G", subjects: ["g.>"], storage: "memory" });
  await jsm.consumers.add("G", { durable_name: "pull", ack_policy: "explicit" });
  await jsm.consumers.add("G", { durable_name: "push", ack_policy: "explicit", deliver_subject: "deliver.push" });
  const js = jsm.jetstream();
  for (let i = 1; i <= 5; i++) await js.publish(`g.${i}`, `g${i}`);
  const s = await js.streams.get("G");

  const named = await s.getConsumer("pull");
  const got: string[] = [];
  for await (const m of await named.fetch({ max_messages: 5, expires: 2000 })) {
    got.push(m.string());
    m.ack();
  }
  assert.deepEqual(got, ["g1", "g2", "g3", "g4", "g5"]);

  const ordered = await s.getConsumer({ filter_subjects: ["g.2", "g.4"] });
  assert.equal((await ordered.next({ expires: 2000 }))?.seq, 2);
  assert.equal((await ordered.next({ expires: 2000 }))?.seq, 4);
  await ordered.delete();

  const pushed = await s.getPushConsumer("push");
  const messages = await pushed.consume();
  const seqs: number[] = [];
  for await (const m of messages) {
    seqs.push(m.seq);
    m.ack();
    if (seqs.length === 5) break;
  }
  assert.deepEqual(seqs, [1, 2, 3, 4, 5]);
  await assert.rejects(() => s.getConsumer("push"), InvalidArgumentError);
  await assert.rejects(() => s.getPushConsumer("pull"), InvalidArgumentError);
});

Deno.test("jetstream streams object - alternates and best list a mirror in a cluster", async () => {
  await using cluster = await NatsCluster.start(3, { jetstream: true });
  await using nc = await connect({ servers: cluster.urls });
  let jsm: JetStreamManager | undefined;
  await waitFor(
    async () => {
      try {
        jsm ??= await jetstreamManager(nc);
        await jsm.streams.add({ name: "ORIGIN", subjects: ["o.>"], storage: "memory" });
        return true;
      } catch {
        return false;
      }
    },
    "the origin stream",
    20_000,
  );
  await jsm!.streams.add({ name: "MIRROR", storage: "memory", mirror: { name: "ORIGIN" } });
  const origin = await jsm!.streams.get("ORIGIN");
  const alts = await origin.alternates();
  assert.deepEqual(alts.map((a) => a.name).sort(), ["MIRROR", "ORIGIN"]);
  for (const a of alts) assert.equal(a.cluster, "natsw");
  // the server orders alternates by proximity at each request: best() is the first of its own list
  const best = await origin.best();
  assert.ok(best instanceof Stream);
  assert.ok(["MIRROR", "ORIGIN"].includes(best.name), best.name);
  assert.equal((await best.info(true)).config.name, best.name);
});

Deno.test("jetstream streams object - consumer reset moves the next delivery and restarts delivery counts", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "R", subjects: ["r.>"], storage: "memory" });
  await jsm.consumers.add("R", { durable_name: "c", ack_policy: "explicit" });
  const js = jsm.jetstream();
  for (let i = 1; i <= 10; i++) await js.publish(`r.${i}`, `r${i}`);
  const s = await js.streams.get("R");
  const c = await s.getConsumer("c");
  for await (const m of await c.fetch({ max_messages: 5, expires: 2000 })) await m.ackAck();

  // back to sequence 3: 3..10 are pending again, delivery counting restarts
  const r = await s.resetConsumer("c", 3);
  assert.equal(r.reset_seq, 3);
  assert.equal(r.name, "c");
  assert.equal(r.stream_name, "R");
  assert.equal(r.ack_floor.stream_seq, 2);
  assert.equal(r.num_pending, 8);
  assert.equal((r as { type?: string }).type, undefined);
  const m = await c.next({ expires: 2000 });
  assert.equal(m?.seq, 3);
  assert.equal(m?.info.deliverySequence, 1);
  assert.equal(m?.info.redeliveryCount, 1);
  await m!.ackAck();

  // without a sequence: back to just after the ack floor
  await c.next({ expires: 2000 }); // seq 4, not acked
  const floor = await jsm.consumers.reset("R", "c");
  assert.equal(floor.reset_seq, 4);
  assert.equal((await c.next({ expires: 2000 }))?.seq, 4);

  await assert.rejects(
    () => jsm.consumers.reset("R", "missing", 1),
    (e: unknown) => e instanceof JetStreamApiError && e.is(JsApiCodes.ConsumerNotFound),
  );
  await assert.rejects(() => jsm.consumers.reset("R", "c", -1), InvalidArgumentError);
  await assert.rejects(() => jsm.consumers.reset("R", "c", 1.5), InvalidArgumentError);
  // a consumer that starts with new messages cannot be moved to a sequence
  await jsm.consumers.add("R", { durable_name: "fresh", ack_policy: "explicit", deliver_policy: "new" });
  await assert.rejects(
    () => jsm.consumers.reset("R", "fresh", 1),
    (e: unknown) => e instanceof JetStreamApiError && e.is(JsApiCodes.ConsumerInvalidReset) && e.status === 400,
  );
});

Deno.test("jetstream streams object - consumer reset on a 2.9 server fails before sending", async () => {
  const bin = oldServerBin();
  assert.ok(bin, "NATS_SERVER_BIN_OLD must point at a 2.9 server");
  await using srv = await NatsServer.start({ jetstream: true, bin });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "O", subjects: ["o"], storage: "memory" });
  await jsm.consumers.add("O", { durable_name: "c", ack_policy: "explicit" });
  const sent = nc.stats().outMsgs;
  await assert.rejects(
    () => jsm.consumers.reset("O", "c", 1),
    (e: unknown) =>
      e instanceof FeatureNotSupportedError && e.feature === "consumer reset" && e.required === "2.14.0" &&
      e.serverVersion === "2.9.10",
  );
  const s = await jsm.streams.get("O");
  await assert.rejects(() => s.resetConsumer("c"), FeatureNotSupportedError);
  assert.equal(nc.stats().outMsgs, sent + 1); // only the STREAM.INFO of streams.get
});

Deno.test("jetstream streams object - the official client's stream object sees the same info", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "I", subjects: ["i.>"], storage: "memory", description: "interop" });
  const js = jsm.jetstream();
  for (let i = 0; i < 3; i++) await js.publish(`i.${i}`, `${i}`);
  const ours = await (await jsm.streams.get("I")).info();
  const onc = await officialConnect({ servers: srv.url });
  try {
    const theirs = await (await (await officialManager(onc)).streams.get("I")).info();
    assert.equal(theirs.config.name, ours.config.name);
    assert.equal(theirs.config.description, "interop");
    assert.deepEqual(theirs.config.subjects, ours.config.subjects);
    assert.deepEqual(theirs.state.messages, ours.state.messages);
    assert.equal(theirs.state.last_seq, ours.state.last_seq);
    assert.equal(theirs.created, ours.created);
  } finally {
    await onc.close();
  }
});
