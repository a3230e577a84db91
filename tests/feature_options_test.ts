/**
 * Option checks of the feature layer (JetStream, KV, object store, services): every bad option
 * fails with `InvalidArgumentError` before anything reaches the server, an explicit `undefined`
 * keeps the default, and a `NaN` timer fails at once instead of hanging. Also the pending bound
 * of KV watchers.
 */
import assert from "node:assert/strict";
import { connect, InvalidArgumentError, type NatsConnection, NoRespondersError, SlowConsumerError } from "../mod.ts";
import {
  jetstream,
  type JetStreamManager,
  jetstreamManager,
  type JetStreamPublishOptions,
  publishBatch,
} from "../jetstream/mod.ts";
import { Kvm, SlowWatcherError } from "../kv/mod.ts";
import { Objm } from "../obj/mod.ts";
import { Svcm } from "../service/mod.ts";
import { NatsServer } from "./helpers/server.ts";
import { take } from "./helpers/util.ts";

/** Longest wait for a refusal: a check that is missing shows as a hang (NaN timers) or a late server error. */
const REFUSE_WITHIN_MS = 5000;

// deno-lint-ignore no-explicit-any
type Loose = any;

/** `call` must throw or reject with `InvalidArgumentError` (matching `message` if given) within the limit. */
async function refuses(what: string, call: () => unknown, message?: RegExp): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not refused within ${REFUSE_WITHIN_MS} ms`)), REFUSE_WITHIN_MS);
  });
  try {
    await Promise.race([
      assert.rejects(async () => await call(), (err: unknown) => {
        assert.ok(err instanceof InvalidArgumentError, `${what}: got ${err}`);
        if (message) assert.match(err.message, message, what);
        return true;
      }),
      hung,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs {@link refuses} for every `[what, call]`. */
async function refusesAll(cases: [string, () => unknown][]): Promise<void> {
  for (const [what, call] of cases) await refuses(what, call);
}

/** `p`, or a failure after the refusal limit. */
async function settles<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle`)), 10_000);
  });
  try {
    return await Promise.race([p, hung]);
  } finally {
    clearTimeout(timer);
  }
}

async function consumerNames(jsm: JetStreamManager, stream: string): Promise<string[]> {
  return (await Array.fromAsync(jsm.consumers.names(stream))).sort();
}

async function streamNames(jsm: JetStreamManager): Promise<string[]> {
  return (await Array.fromAsync(jsm.streams.names())).sort();
}

Deno.test("feature options - jetstream() and jetstreamManager() refuse bad options, keep defaults for undefined", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const bad: [string, unknown][] = [
    ["NaN timeout", { timeout: NaN }],
    ["negative timeout", { timeout: -1 }],
    ["string timeout", { timeout: "1000" }],
    ["timeout past the timer range", { timeout: 2 ** 31 }],
    ["domain with a space", { domain: "a b" }],
    ["numeric domain", { domain: 5 }],
    ["wildcard prefix", { apiPrefix: "$JS.*.API" }],
    ["empty prefix", { apiPrefix: "" }],
    ["misspelt key", { timout: 10 }],
    ["not an object", "fast"],
  ];
  for (const [what, opts] of bad) {
    await refuses(`jetstream ${what}`, () => jetstream(nc, opts as Loose));
    await refuses(`jetstreamManager ${what}`, () => jetstreamManager(nc, opts as Loose));
  }
  await refuses("closest key", () => jetstream(nc, { timout: 10 } as Loose), /did you mean 'timeout'/);
  const js = jetstream(nc, { timeout: undefined, domain: undefined, apiPrefix: undefined });
  assert.equal(js.api.timeout, 5000);
  assert.equal(js.apiPrefix, "$JS.API");
  const jsm = await jetstreamManager(nc, { timeout: undefined });
  assert.equal(jsm.api.timeout, 5000);
  await refuses("API call NaN timeout", () => jsm.api.request("INFO", undefined, { timeout: NaN }));
  await refuses("API call headers", () => jsm.api.request("INFO", undefined, { headers: {} as Loose }));
  assert.ok(await jsm.api.request("INFO", undefined, { timeout: undefined, headers: undefined }));
  assert.equal(jetstream(nc, { apiPrefix: "$JS.API." }).apiPrefix, "$JS.API");
});

Deno.test("feature options - js.publish refuses bad options before sending", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "P", subjects: ["p.>"], storage: "memory", allow_msg_ttl: true });
  const js = jetstream(nc);
  const bad: unknown[] = [
    { timeout: NaN },
    { timeout: -5 },
    { timeout: "100" },
    { retries: -1 },
    { retries: 1.5 },
    { msgID: 7 },
    { msgID: "" },
    { msgId: "x" },
    { expect: "P" },
    { expect: { lastSequence: -1 } },
    { expect: { lastSeq: 1 } },
    { expect: { streamName: "a.b" } },
    { expect: { lastSubjectSequenceSubject: "p. x" } },
    { headers: { "X-A": "1" } },
    { ttl: "soon" },
    { ttl: NaN },
    { ttl: -1000 },
    { incr: 1.5 },
    { incr: "x" },
    { schedule: { specification: "@hourly", target: "p.t", every: "1s" } },
    { cancelSchedule: { subject: "p.s" } },
    [],
  ];
  for (const opts of bad) {
    await refuses(`publish ${Deno.inspect(opts)}`, () => js.publish("p.a", "x", opts as JetStreamPublishOptions));
  }
  await refuses("closest key", () => js.publish("p.a", "x", { msgId: "x" } as Loose), /did you mean 'msgID'/);
  assert.equal((await jsm.streams.info("P")).state.messages, 0, "nothing was stored");

  const ack = await js.publish("p.a", "x", {
    timeout: undefined,
    retries: undefined,
    msgID: undefined,
    headers: undefined,
    expect: { lastSequence: undefined },
  });
  assert.equal(ack.seq, 1);
  // TTLs the server reads: whole seconds, "never", milliseconds
  for (const ttl of ["3600", "never", 2000]) await js.publish("p.t", "x", { ttl });
  assert.equal((await jsm.streams.info("P")).state.messages, 4);
});

Deno.test("feature options - fetch, next and consume refuse bad options before pulling", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "C", subjects: ["c.>"], storage: "memory" });
  await jsm.consumers.add("C", { durable_name: "d", ack_policy: "explicit" });
  const js = jetstream(nc);
  await js.publish("c.1", "one");
  const c = await js.consumers.get("C", "d");
  const common: unknown[] = [
    { expires: NaN },
    { expires: "5000" },
    { expires: -1 },
    { expires: 999 },
    { expires: 2 ** 31 },
    { idle_heartbeat: NaN },
    { idle_heartbeat: -1 },
    // (an idle_heartbeat over half of expires is the server's to refuse, as in nats.js)
    { priority: 10 },
    { group: 5 },
    { min_pending: -1 },
    { expire: 1000 },
    "soon",
  ];
  const sized: unknown[] = [
    { max_messages: 0 },
    { max_messages: 1.5 },
    { max_messages: "10" },
    { max_bytes: -1 },
    { max_messages: 10, max_bytes: 100 },
  ];
  const consumeOnly: unknown[] = [
    { threshold_messages: -1 },
    { callback: "f" },
    { abort_on_missing_resource: 1 },
  ];
  const ordered = await js.consumers.get("C");
  for (const consumer of [c, ordered]) {
    for (const o of [...common, ...sized]) await refuses(`fetch ${Deno.inspect(o)}`, () => consumer.fetch(o as Loose));
    for (const o of [...common, { max_messages: 5 }]) {
      await refuses(`next ${Deno.inspect(o)}`, () => consumer.next(o as Loose));
    }
    for (const o of [...common, ...sized, ...consumeOnly]) {
      await refuses(`consume ${Deno.inspect(o)}`, () => consumer.consume(o as Loose));
    }
  }
  await refuses("closest key", () => c.fetch({ max_message: 1 } as Loose), /did you mean 'max_messages'/);
  const ci = await jsm.consumers.info("C", "d");
  assert.equal(ci.num_waiting, 0, "no pull request reached the server");
  assert.equal(ci.delivered.consumer_seq, 0);
  // get() created the ordered consumer (as nats.js); the refused calls created no other
  const made = [(await ordered.info(true)).name, "d"].sort();
  assert.deepEqual((await consumerNames(jsm, "C")).sort(), made, "no consumer created by a refused call");

  const fetched = await Array.fromAsync(
    await c.fetch({ max_messages: undefined, max_bytes: undefined, expires: 1000, idle_heartbeat: undefined }),
  );
  assert.deepEqual(fetched.map((m) => m.string()), ["one"]);
  await refusesAll([
    ["nak NaN", () => fetched[0].nak(NaN)],
    ["nak string", () => fetched[0].nak("5000" as Loose)],
    ["term number", () => fetched[0].term(5 as Loose)],
    ["ackAck NaN", () => fetched[0].ackAck({ timeout: NaN })],
    ["ackAck misspelt", () => fetched[0].ackAck({ timout: 100 } as Loose)],
  ]);
  assert.equal(await fetched[0].ackAck({ timeout: undefined }), true, "the refused calls left the message unsettled");
  await js.publish("c.2", "two");
  const next = await c.next({ expires: undefined, idle_heartbeat: undefined, group: undefined });
  assert.equal(next?.string(), "two");
  next?.ack();
  await js.publish("c.3", "three");
  const messages = await c.consume({ max_messages: undefined, callback: undefined, expires: undefined });
  const [third] = await take(messages, 1);
  assert.equal(third.string(), "three");
  await messages.close();
});

Deno.test("feature options - ordered and push consumers refuse bad options before creating anything", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "C", subjects: ["c.>"], storage: "memory" });
  const js = jetstream(nc);
  const orderedBad: unknown[] = [
    { deliver_policy: "sometimes" },
    { opt_start_seq: 0 },
    { deliver_policy: "by_start_sequence" },
    { deliver_policy: "by_start_time" },
    { opt_start_time: 5 },
    { filter_subjects: "c. 1" },
    { filter_subjects: ["c.1", 5] },
    { inactive_threshold: NaN },
    { name_prefix: "a.b" },
    { headers_only: "yes" },
    { filter_subject: "c.1" },
    5,
  ];
  for (const o of orderedBad) await refuses(`ordered ${Deno.inspect(o)}`, () => js.consumers.get("C", o as Loose));
  const pushBad: unknown[] = [...orderedBad, { idle_heartbeat: NaN }, { deliver_prefix: "a.*" }];
  for (const o of pushBad) {
    await refuses(`ordered push ${Deno.inspect(o)}`, () => js.consumers.getPushConsumer("C", o as Loose));
  }
  await refuses("closest key", () => js.consumers.get("C", { filter_subject: "c.1" } as Loose), /filter_subjects/);
  const boundBad: unknown[] = [
    {},
    { deliver_subject: "d.*" },
    { deliver_subject: "d.x", idle_heartbeat: -1 },
    { deliver_subject: "d.x", callback: 1 },
    { deliver_subject: "d.x", deliver_group: 5 },
    { deliver_subject: "d.x", queue: "g" },
    undefined,
  ];
  for (const o of boundBad) {
    await refuses(`bound ${Deno.inspect(o)}`, () => js.consumers.getBoundPushConsumer(o as Loose));
  }
  const bound = await js.consumers.getBoundPushConsumer({ deliver_subject: "d.x", deliver_group: undefined });
  await refuses("bound consume", () => bound.consume({ callback: 5 } as Loose));
  const orderedPush = await js.consumers.getPushConsumer("C", { idle_heartbeat: undefined });
  await refuses("ordered push consume", () => orderedPush.consume({ callbak: () => {} } as Loose));
  assert.deepEqual(await consumerNames(jsm, "C"), [], "no consumer was created");

  await js.publish("c.1", "one");
  const oc = await js.consumers.get("C", { deliver_policy: undefined, filter_subjects: undefined });
  assert.equal((await oc.next({ expires: 1000 }))?.string(), "one");
});

Deno.test("feature options - stream, consumer and direct calls refuse bad arguments before sending", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "C", subjects: ["c.>"], storage: "memory", allow_direct: true });
  await jsm.consumers.add("C", { durable_name: "d", ack_policy: "explicit" });
  const js = jetstream(nc);
  for (let i = 1; i <= 3; i++) await js.publish(`c.${i}`, `m${i}`);
  await refusesAll([
    ["add a number", () => jsm.streams.add(5 as Loose)],
    ["add name with a space", () => jsm.streams.add({ name: "a b" })],
    ["add name with a tab", () => jsm.streams.add({ name: "a\tb" })],
    ["add numeric name", () => jsm.streams.add({ name: 5 } as Loose)],
    ["update a string", () => jsm.streams.update("C", "x" as Loose)],
    ["info bad name", () => jsm.streams.info("C ")],
    ["info filter type", () => jsm.streams.info("C", { subjects_filter: 5 } as Loose)],
    ["info unknown key", () => jsm.streams.info("C", { deleted: true } as Loose)],
    ["purge seq 0", () => jsm.streams.purge("C", { seq: 0 })],
    ["purge keep -1", () => jsm.streams.purge("C", { keep: -1 })],
    ["purge keep NaN", () => jsm.streams.purge("C", { keep: NaN })],
    ["purge bad filter", () => jsm.streams.purge("C", { filter: "c. 1" })],
    ["purge seq and keep", () => jsm.streams.purge("C", { seq: 1, keep: 1 })],
    ["purge misspelt", () => jsm.streams.purge("C", { kep: 1 } as Loose)],
    ["getMessage empty", () => jsm.streams.getMessage("C", {} as Loose)],
    ["getMessage seq 0", () => jsm.streams.getMessage("C", { seq: 0 })],
    ["getMessage seq NaN", () => jsm.streams.getMessage("C", { seq: NaN })],
    ["getMessage two ways", () => jsm.streams.getMessage("C", { last_by_subj: "c.1", seq: 1 } as Loose)],
    ["getMessage nothing", () => jsm.streams.getMessage("C", undefined as Loose)],
    ["deleteMessage seq 0", () => jsm.streams.deleteMessage("C", 0)],
    ["deleteMessage erase", () => jsm.streams.deleteMessage("C", 1, "no" as Loose)],
    ["list bad subject", () => jsm.streams.list("a b")],
    ["names number", () => jsm.streams.names(5 as Loose)],
    ["find nothing", () => jsm.streams.find(undefined as Loose)],
    ["delete bad name", () => jsm.streams.delete("C.x")],
    ["consumer add null", () => jsm.consumers.add("C", null as Loose)],
    ["consumer add action", () => jsm.consumers.add("C", { durable_name: "x" }, "upsert" as Loose)],
    ["consumer update number", () => jsm.consumers.update("C", "d", 5 as Loose)],
    ["consumer update bad name", () => jsm.consumers.update("C", "d x", {})],
    ["pause invalid date", () => jsm.consumers.pause("C", "d", new Date(NaN))],
    ["pause string", () => jsm.consumers.pause("C", "d", "tomorrow" as Loose)],
    ["unpin bad group", () => jsm.consumers.unpin("C", "d", "bad group!")],
    ["reset -1", () => jsm.consumers.reset("C", "d", -1)],
    ["direct seq -1", () => jsm.direct.getMessage("C", { seq: -1 })],
    ["direct batch 0", () => jsm.direct.getBatch("C", { batch: 0 })],
    ["direct batch missing", () => jsm.direct.getBatch("C", {} as Loose)],
    ["direct batch start_time", () => jsm.direct.getBatch("C", { batch: 1, start_time: "yesterday" } as Loose)],
    ["direct batch seq and time", () => jsm.direct.getBatch("C", { batch: 1, seq: 1, start_time: new Date() })],
    ["direct last none", () => jsm.direct.getLastMessagesFor("C", { multi_last: [] })],
    ["direct last up_to_seq 0", () => jsm.direct.getLastMessagesFor("C", { multi_last: ["c.1"], up_to_seq: 0 })],
    ["advisories maxPending 0", () => jsm.advisories({ maxPending: 0 })],
    ["advisories misspelt", () => jsm.advisories({ maxpending: 5 } as Loose)],
  ]);
  const si = await jsm.streams.info("C");
  assert.equal(si.state.messages, 3, "nothing was purged or deleted");
  assert.deepEqual(await streamNames(jsm), ["C"]);
  const ci = await jsm.consumers.info("C", "d");
  assert.equal(ci.paused ?? false, false);
  assert.deepEqual(await consumerNames(jsm, "C"), ["d"]);

  assert.equal((await jsm.streams.info("C", { subjects_filter: undefined })).state.messages, 3);
  assert.equal((await jsm.streams.getMessage("C", { last_by_subj: "c.2" }))?.string(), "m2");
  assert.equal((await jsm.streams.getMessage("C", { next_by_subj: "c.>", seq: 2 }))?.string(), "m2");
  assert.equal((await jsm.streams.purge("C", { keep: 1, filter: undefined })).purged, 2);
});

Deno.test("feature options - atomic and fast-ingest batches refuse bad options before sending", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "B", subjects: ["b.>"], storage: "memory", allow_atomic: true, allow_batched: true });
  const js = jetstream(nc);
  await refusesAll([
    ["startBatch NaN timeout", () => js.startBatch("b.1", "x", { timeout: NaN })],
    ["startBatch misspelt", () => js.startBatch("b.1", "x", { msgId: "x" } as Loose)],
    ["startBatch expect type", () => js.startBatch("b.1", "x", { expect: { lastSequence: "0" } } as Loose)],
    ["startBatch ttl", () => js.startBatch("b.1", "x", { ttl: {} } as Loose)],
    ["publishBatch bad message", () => publishBatch(js, [{ subject: "b.1" }, { subject: "b.2", ttl: -1 }])],
    ["publishBatch wildcard", () => publishBatch(js, [{ subject: "b.1" }, { subject: "b.*" }])],
    ["publishBatch no subject", () => publishBatch(js, [{ payload: "x" }] as Loose)],
    ["publishBatch ackEvery 0", () => publishBatch(js, [{ subject: "b.1" }], { ackEvery: 0 })],
    ["publishBatch not an array", () => publishBatch(js, "b.1" as Loose)],
    ["fast ingest NaN timeout", () => js.startFastIngest("b.1", "x", { allowGaps: true, timeout: NaN })],
    ["fast ingest allowGaps", () => js.startFastIngest("b.1", "x", { allowGaps: "yes" } as Loose)],
    ["fast ingest outstanding 0", () => js.startFastIngest("b.1", "x", { allowGaps: true, maxOutstandingAcks: 0 })],
    ["fast ingest misspelt", () => js.startFastIngest("b.1", "x", { allowGaps: true, ackinterval: 5 } as Loose)],
  ]);
  assert.equal((await jsm.streams.info("B")).state.messages, 0, "nothing was stored");

  const b = await js.startBatch("b.1", "x", { timeout: undefined, msgID: undefined });
  await refuses("add with a timeout", () => b.add("b.2", "y", { timeout: 5 } as Loose));
  await refuses("commit NaN timeout", () => b.commit("b.2", "y", { timeout: NaN }));
  await refuses("end negative timeout", () => b.end({ timeout: -1 }));
  assert.equal((await b.commit("b.2", "y", { timeout: undefined })).count, 2, "the batch stayed open");

  const fi = await js.startFastIngest("b.f", "1", { allowGaps: false, ackInterval: undefined, timeout: undefined });
  await refuses("add ttl NaN", () => fi.add("b.f", "2", { ttl: NaN }));
  await refuses("ping NaN", () => fi.ping(NaN));
  await refuses("last string timeout", () => fi.last("b.f", "3", { timeout: "1" } as Loose));
  await refuses("end NaN", () => fi.end({ timeout: NaN }));
  assert.equal((await fi.end({ timeout: undefined })).count, 1, "only the first message was sent");
  assert.equal((await jsm.streams.info("B")).state.messages, 3);
});

Deno.test("feature options - KV buckets and their operations refuse bad options before sending", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  const kvm = new Kvm(nc);
  const badBucket: unknown[] = [
    { history: 0 },
    { history: 65 },
    { history: "5" },
    { history: 1.5 },
    { hisotry: 5 },
    { ttl: -1 },
    { ttl: NaN },
    { maxBytes: -2 },
    { max_bytes: 100, maxBytes: 200 },
    { replicas: 0 },
    { storage: "disk" },
    { markerTTL: 500 },
    { metadata: { a: 1 } },
    { codec: { key: {} } },
    { codec: { encode() {}, decode() {} } },
    { streamName: "a.b" },
    { compression: "s2" },
    { description: 5 },
    "fast",
  ];
  for (const o of badBucket) await refuses(`create ${Deno.inspect(o)}`, () => kvm.create("K", o as Loose));
  await refuses("closest key", () => kvm.create("K", { hisotry: 5 } as Loose), /did you mean 'history'/);
  await refuses("open with create options", () => kvm.open("K", { history: 5 } as Loose));
  await refuses("open bindOnly type", () => kvm.open("K", { bindOnly: "yes" } as Loose));
  assert.deepEqual(await streamNames(jsm), [], "no bucket was created");

  const kv = await kvm.create("K", { history: undefined, ttl: undefined, storage: "memory", codec: undefined });
  assert.equal((await kv.status()).history, 1, "undefined kept the default history");
  await refusesAll([
    ["put previousSeq -1", () => kv.put("a", "v", { previousSeq: -1 })],
    ["put misspelt", () => kv.put("a", "v", { previousseq: 0 } as Loose)],
    ["create ttl string", () => kv.create("a", "v", "soon")],
    ["create ttl NaN", () => kv.create("a", "v", NaN)],
    ["get revision -1", () => kv.get("a", { revision: -1 })],
    ["get misspelt", () => kv.get("a", { rev: 1 } as Loose)],
    ["delete previousSeq string", () => kv.delete("a", { previousSeq: "1" } as Loose)],
    ["purge ttl", () => kv.purge("a", { ttl: "x" })],
    ["purgeDeletes NaN", () => kv.purgeDeletes(NaN)],
    ["watch include", () => kv.watch({ include: "all" } as Loose)],
    ["watch key type", () => kv.watch({ key: 5 } as Loose)],
    ["watch resume -1", () => kv.watch({ resumeFromRevision: -1 })],
    ["watch initializedFn", () => kv.watch({ initializedFn: "x" } as Loose)],
    ["watch misspelt", () => kv.watch({ keys: "a" } as Loose)],
    ["history key type", () => kv.history({ key: 5 } as Loose)],
    ["history misspelt", () => kv.history({ headersOnly: true } as Loose)],
  ]);
  assert.equal((await kv.status()).values, 0, "nothing was written");
  assert.deepEqual(await consumerNames(jsm, "KV_K"), [], "no watcher or reader was started");

  assert.equal(await kv.put("a", "v", { previousSeq: undefined }), 1);
  assert.equal((await kv.get("a", { revision: undefined }))?.string(), "v");
  const w = await kv.watch({ include: undefined, key: undefined });
  assert.deepEqual((await take(w, 1)).map((e) => e.key), ["a"]);
  w.stop();
});

Deno.test("feature options - object store buckets and operations refuse bad options before sending", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  const objm = new Objm(nc);
  const badBucket: unknown[] = [
    { ttl: -1 },
    { ttl: NaN },
    { storage: "ram" },
    { replicas: 1.5 },
    { max_bytes: "1" },
    { metadata: { a: 5 } },
    { description: 5 },
    { compresion: true },
  ];
  for (const o of badBucket) await refuses(`create ${Deno.inspect(o)}`, () => objm.create("O", o as Loose));
  await refuses("closest key", () => objm.create("O", { compresion: true } as Loose), /did you mean 'compression'/);
  assert.deepEqual(await streamNames(jsm), [], "no bucket was created");

  const os = await objm.create("O", { storage: "memory", ttl: undefined });
  const data = new Uint8Array([1, 2, 3]);
  await refusesAll([
    ["chunk size 0", () => os.putBlob({ name: "a", options: { max_chunk_size: 0 } }, data)],
    ["headers object", () => os.putBlob({ name: "a", headers: { a: "b" } } as Loose, data)],
    ["metadata number", () => os.putBlob({ name: "a", metadata: { n: 1 } } as Loose, data)],
    ["meta misspelt", () => os.putBlob({ name: "a", descripton: "x" } as Loose, data)],
    ["put NaN timeout", () => os.putBlob({ name: "a" }, data, { timeout: NaN })],
    ["put previousRevision -1", () => os.putBlob({ name: "a" }, data, { previousRevision: -1 })],
    ["put no meta", () => os.putBlob(undefined as Loose, data)],
    ["put misspelt option", () => os.put({ name: "a" }, null, { timout: 5 } as Loose)],
    ["info misspelt", () => os.info("a", { showDeleted: true } as Loose)],
    ["watch type", () => os.watch({ updatesOnly: "yes" } as Loose)],
    ["watch history and updates", () => os.watch({ includeHistory: true, updatesOnly: true })],
    ["update options", () => os.update("a", { options: {} })],
    ["update name type", () => os.update("a", { name: 5 } as Loose)],
    ["open misspelt", () => objm.open("O", { chek: false } as Loose)],
    ["link nothing", () => os.link("l", undefined as Loose)],
    ["linkStore not a store", () => os.linkStore("l", {} as Loose)],
  ]);
  assert.equal((await os.status()).size, 0, "nothing was stored");
  assert.deepEqual(await consumerNames(jsm, "OBJ_O"), [], "no watcher was started");

  const info = await os.putBlob({ name: "a", description: undefined }, data, { timeout: undefined });
  assert.equal(info.size, 3);
  assert.ok(await os.info("a", { show_deleted: undefined }));
});

Deno.test("feature options - services refuse bad configs and endpoint options before subscribing", async () => {
  await using srv = await NatsServer.start();
  await using nc = await connect({ servers: srv.url });
  const svcm = new Svcm(nc);
  const badConfig: unknown[] = [
    { name: "s", version: "1" },
    { name: "s", version: "1.0.0", queue: "a b" },
    { name: "s", version: "1.0.0", metadata: { a: 1 } },
    { name: "s", version: "1.0.0", statsHandler: "x" },
    { name: "s", version: "1.0.0", descripton: "x" },
    undefined,
    "s",
  ];
  for (const c of badConfig) await refuses(`add ${Deno.inspect(c)}`, () => svcm.add(c as Loose));
  await refusesAll([
    ["Svcm wildcard prefix", () => new Svcm(nc, { prefix: "a.*" })],
    ["Svcm misspelt", () => new Svcm(nc, { prefx: "x" } as Loose)],
    ["client NaN maxWait", () => svcm.client({ maxWait: NaN })],
    ["client misspelt", () => svcm.client({ maxwait: 100 } as Loose)],
    ["client bad prefix", () => svcm.client({}, "a b")],
  ]);
  // no service was started: nobody answers
  await assert.rejects(Array.fromAsync(await svcm.client({ maxWait: 500 }).ping()), NoRespondersError);

  const service = await svcm.add({ name: "s", version: "1.0.0-rc.1", description: undefined, queue: undefined });
  await refusesAll([
    ["endpoint subject", () => service.addEndpoint("e", { subject: "a b" })],
    ["endpoint handler", () => service.addEndpoint("e", { handler: "x" } as Loose)],
    ["endpoint queue", () => service.addEndpoint("e", { queue: "a b" })],
    ["endpoint metadata", () => service.addEndpoint("e", { metadata: { a: 1 } } as Loose)],
    ["endpoint misspelt", () => service.addEndpoint("e", { handlr: () => {} } as Loose)],
    ["endpoint options type", () => service.addEndpoint("e", 5 as Loose)],
    ["group queue", () => service.addGroup("g", "a b")],
  ]);
  assert.equal(service.info().endpoints.length, 0, "no endpoint was added");

  service.addEndpoint("e", { handler: (_err, m) => m.respond("ok"), queue: undefined, subject: undefined });
  assert.equal((await nc.request("e", "", { timeout: 2000 })).string(), "ok");
  assert.equal(service.info().endpoints[0].queue_group, "q", "undefined kept the default queue group");
  await service.stop();
});

/** Puts `n` keys `k1…kn` with `value` into a new memory bucket `name` on `nc`. */
async function filledBucket(nc: NatsConnection, name: string, n: number, value: (i: number) => string) {
  const kv = await new Kvm(nc).create(name, { storage: "memory" });
  for (let i = 1; i <= n; i++) await kv.put(`k${i}`, value(i));
  return kv;
}

Deno.test("feature options - a KV watcher past maxPendingMsgs ends with SlowWatcherError, resumable", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url, maxPendingMsgs: 5 });
  const kv = await filledBucket(nc, "W", 5, (i) => `v${i}`);
  // exactly the limit: the watch initializes and goes on
  const fits = await kv.watch();
  await settles(fits.initialized, "initialized");
  assert.deepEqual((await take(fits, 5)).map((e) => e.key), ["k1", "k2", "k3", "k4", "k5"]);
  fits.stop();
  assert.equal(await settles(fits.closed, "closed"), undefined);

  for (let i = 6; i <= 20; i++) await kv.put(`k${i}`, `v${i}`);
  const w = await kv.watch();
  const err = await settles(w.closed, "closed");
  assert.ok(err instanceof SlowWatcherError, `got ${err}`);
  assert.ok(err instanceof SlowConsumerError);
  assert.equal(err.bucket, "W");
  assert.equal(err.revision, 6);
  assert.equal(err.pending, 5);
  await assert.rejects(w.initialized, SlowWatcherError);
  const got: string[] = [];
  await assert.rejects(async () => {
    for await (const e of w) got.push(e.key);
  }, SlowWatcherError);
  assert.deepEqual(got, ["k1", "k2", "k3", "k4", "k5"], "the entries before the limit were kept");

  await using other = await connect({ servers: srv.url });
  const resumed = await (await new Kvm(other).open("W")).watch({ resumeFromRevision: err.revision });
  const rest = await take(resumed, 15);
  assert.deepEqual(rest.map((e) => e.key), Array.from({ length: 15 }, (_, i) => `k${i + 6}`), "no gap");
  resumed.stop();
});

Deno.test("feature options - a KV watcher past maxPendingBytes ends with SlowWatcherError", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url, maxPendingBytes: 100 });
  const kv = await filledBucket(nc, "WB", 5, () => "x".repeat(40));
  const w = await kv.watch();
  const err = await settles(w.closed, "closed");
  assert.ok(err instanceof SlowWatcherError, `got ${err}`);
  assert.equal(err.revision, 3);
  assert.equal(err.pendingBytes, 80);
  assert.deepEqual((await take(w, 2)).map((e) => e.key), ["k1", "k2"]);
});
