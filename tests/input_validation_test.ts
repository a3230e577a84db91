/**
 * Bad data in, typed error out: payloads that are not strings or binary data, subjects, replies
 * and queue groups too long for the server's control line, header injection through the status
 * line, and untyped errors from deep inside. Every bad call is made between two good publishes in
 * the same tick (so in the same socket write): both must arrive and the connection must stay up.
 */
import assert from "node:assert/strict";
import {
  connect,
  headers,
  InvalidArgumentError,
  InvalidSubjectError,
  Match,
  type Msg,
  type MsgHdrs,
  type NatsConnection,
  PermissionViolationError,
  type Status,
} from "../mod.ts";
import { jetstream, jetstreamManager, publishBatch, startBatch } from "../jetstream/mod.ts";
import { Kvm } from "../kv/mod.ts";
import { Objm } from "../obj/mod.ts";
import { ServiceError, Svcm } from "../service/mod.ts";
import { MAX_PUBLISH_SUBJECTS, MAX_SUBSCRIBE_SUBJECTS } from "../src/validate.ts";
import { NatsServer } from "./helpers/server.ts";
import { waitFor } from "./helpers/util.ts";

// deno-lint-ignore no-explicit-any
type ErrorClass = new (...args: any[]) => Error;

/** Every status event of `nc` until it closes. */
function record(nc: NatsConnection): Status[] {
  const seen: Status[] = [];
  (async () => {
    for await (const s of nc.status()) seen.push(s);
  })();
  return seen;
}

/** A subscription on `subject` whose payloads (as text) are collected in order. */
function collect(nc: NatsConnection, subject: string): string[] {
  const got: string[] = [];
  nc.subscribe(subject, { callback: (_err, m) => got.push(m.string()) });
  return got;
}

/**
 * Publishes `<tag>:before`, checks that `bad` throws `type` (matching `message`) without sending
 * anything, publishes `<tag>:after`, all synchronously; returns the two payloads expected.
 */
function between(
  nc: NatsConnection,
  subject: string,
  tag: string,
  bad: () => unknown,
  type: ErrorClass,
  message?: RegExp,
): string[] {
  nc.publish(subject, `${tag}:before`);
  const sent = nc.stats().outMsgs;
  assert.throws(bad, (err: unknown) => err instanceof type && (!message || message.test(err.message)), tag);
  assert.equal(nc.stats().outMsgs, sent, `${tag}: nothing was sent`);
  nc.publish(subject, `${tag}:after`);
  return [`${tag}:before`, `${tag}:after`];
}

/** Waits until `got` holds `want`, then checks that nothing else happened to the connection. */
async function lostNothing(nc: NatsConnection, got: string[], want: string[], events: Status[]): Promise<void> {
  await nc.flush();
  await waitFor(() => got.length >= want.length, `${want.length} messages`);
  assert.deepEqual(got, want);
  assert.equal(nc.isClosed(), false);
  const bad = events.filter((e) => e.type === "disconnect" || e.type === "error");
  assert.deepEqual(bad, [], "no disconnect and no server error");
}

/** `p`, or an error after 5 s when it never settles (the timer is cleared either way). */
async function within<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: never ended`)), 5000);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The bytes of a message received on `subject` after `send` publishes to it. */
async function roundTrip(nc: NatsConnection, subject: string, send: () => void): Promise<Msg> {
  const sub = nc.subscribe(subject, { max: 1, timeout: 10_000 });
  await nc.flush();
  send();
  for await (const m of sub) return m;
  throw new Error(`nothing arrived on ${subject}`);
}

const BAD_PAYLOADS: Array<[unknown, string]> = [
  [5, "number"],
  [true, "boolean"],
  [{}, "object"],
  [null, "null"],
  [[1, 2, 300], "array"],
  [10n, "bigint"],
  [() => "x", "function"],
  [Symbol("s"), "symbol"],
];
/** The exact message for a payload of `kind`. */
const payloadError = (kind: string) =>
  new RegExp(`^payload must be a string, Uint8Array, ArrayBuffer or ArrayBufferView; got ${kind}$`);

Deno.test("payload - non-binary values throw InvalidArgumentError and lose nothing", async () => {
  await using srv = await NatsServer.start();
  await using nc = await connect({ servers: srv.url });
  const events = record(nc);
  const got = collect(nc, "iv.p");
  nc.subscribe("iv.svc", { callback: (_err, m) => m.respond("ok") });
  await nc.flush();
  const want: string[] = [];
  for (const [bad, kind] of BAD_PAYLOADS) {
    const publish = () => nc.publish("iv.p", bad as never);
    want.push(...between(nc, "iv.p", `publish ${kind}`, publish, InvalidArgumentError, payloadError(kind)));
    const sent = nc.stats().outMsgs;
    await assert.rejects(async () => await nc.request("iv.svc", bad as never), InvalidArgumentError, kind);
    await assert.rejects(async () => await nc.request("iv.svc", bad as never, { noMux: true }), InvalidArgumentError);
    await assert.rejects(async () => await nc.requestMany("iv.svc", bad as never), InvalidArgumentError);
    assert.equal(nc.stats().outMsgs, sent, `request ${kind}: nothing was sent`);
  }
  // a responder answering with a bad payload gets the error; the requester can still be answered
  const answered: string[] = [];
  nc.subscribe("iv.bad-responder", {
    callback: (_err, m) => {
      try {
        m.respond(5 as never);
      } catch (err) {
        answered.push((err as Error).constructor.name);
        m.respond("second try");
      }
    },
  });
  assert.equal((await nc.request("iv.bad-responder", "q")).string(), "second try");
  assert.deepEqual(answered, ["InvalidArgumentError"]);
  await lostNothing(nc, got, want, events);
});

Deno.test("payload - ArrayBuffer, SharedArrayBuffer and any ArrayBufferView go out as their exact bytes", async () => {
  await using srv = await NatsServer.start();
  await using nc = await connect({ servers: srv.url });
  const events = record(nc);
  const buf = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]).buffer;
  const u16 = new Uint16Array([0x0102, 0xfffe, 300]);
  const f64 = new Float64Array([Math.PI]);
  class Bytes extends Uint8Array {}
  const shared = new SharedArrayBuffer(3);
  new Uint8Array(shared).set([7, 8, 9]);
  const cases: Array<[string, unknown, number[]]> = [
    ["ArrayBuffer", buf, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
    ["DataView with offset", new DataView(buf, 2, 3), [2, 3, 4]],
    ["Uint16Array (all bytes, memory order)", u16, [...new Uint8Array(u16.buffer)]],
    ["Uint16Array view with offset", new Uint16Array(buf, 4, 2), [4, 5, 6, 7]],
    ["Float64Array", f64, [...new Uint8Array(f64.buffer)]],
    ["Uint8ClampedArray", new Uint8ClampedArray([255, 0, 1]), [255, 0, 1]],
    ["Uint8Array subclass (like Buffer)", Bytes.from([1, 2, 3]), [1, 2, 3]],
    ["Uint8Array subarray", new Uint8Array(buf).subarray(8), [8, 9]],
    ["SharedArrayBuffer", shared, [7, 8, 9]],
    ["empty ArrayBuffer", new ArrayBuffer(0), []],
    ["undefined", undefined, []],
    ["empty string", "", []],
  ];
  assert.equal(u16.byteLength, 6, "a Uint16Array of 3 is 6 bytes: none may be cut");
  for (const [i, [label, payload, bytes]] of cases.entries()) {
    const m = await roundTrip(nc, `iv.bytes.${i}`, () => nc.publish(`iv.bytes.${i}`, payload as never));
    assert.deepEqual([...m.data], bytes, label);
    const r = await roundTrip(nc, `iv.req.${i}`, () => {
      nc.request(`iv.req.${i}`, payload as never, { timeout: 50 }).catch(() => {});
    });
    assert.deepEqual([...r.data], bytes, `request: ${label}`);
  }
  assert.deepEqual(events.filter((e) => e.type === "disconnect" || e.type === "error"), []);
});

Deno.test("payload - js.publish, batches, fast ingest and kv refuse bad payloads before sending", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const events = record(nc);
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "S", subjects: ["s.>"], storage: "memory", allow_atomic: true, allow_batched: true });
  const js = jetstream(nc);
  const stored = async () => (await jsm.streams.info("S")).state.messages;
  for (const [bad, kind] of BAD_PAYLOADS) {
    const sent = nc.stats().outMsgs;
    await assert.rejects(js.publish("s.a", bad as never), InvalidArgumentError, `js.publish ${kind}`);
    await assert.rejects(js.publish("s.a", bad as never, { msgID: "m" }), InvalidArgumentError);
    await assert.rejects(startBatch(js, "s.a", bad as never), InvalidArgumentError, `startBatch ${kind}`);
    await assert.rejects(
      publishBatch(js, [{ subject: "s.a", payload: "1" }, { subject: "s.a", payload: "2" }, {
        subject: "s.a",
        payload: bad as never,
      }]),
      InvalidArgumentError,
      `publishBatch ${kind}`,
    );
    await assert.rejects(js.startFastIngest("s.a", bad as never, { allowGaps: false }), InvalidArgumentError);
    assert.equal(nc.stats().outMsgs, sent, `${kind}: nothing was sent`);
  }
  assert.equal(await stored(), 0, "nothing stored");

  // a bad payload in an open batch changes nothing: the batch continues and commits whole
  const b = await startBatch(js, "s.b", "first");
  assert.throws(() => b.add("s.b", 5 as never), InvalidArgumentError);
  b.add("s.b", new Uint16Array([1, 2]));
  await assert.rejects(b.commit("s.b", null as never), InvalidArgumentError);
  const ack = await b.commit("s.b", "last");
  assert.equal(ack.count, 3);
  const second = await jsm.streams.getMessage("S", { seq: ack.seq - 1 });
  assert.deepEqual([...second!.data], [...new Uint8Array(new Uint16Array([1, 2]).buffer)]);

  // a bad final payload leaves a fast-ingest batch open
  const fi = await js.startFastIngest("s.f", new DataView(new ArrayBuffer(2)), { allowGaps: false });
  await assert.rejects(fi.last("s.f", {} as never), InvalidArgumentError);
  await fi.add("s.f", "two");
  assert.equal((await fi.end()).count, 2);

  const pa = await js.publish("s.exact", new Uint16Array([0xabcd, 7]));
  const sm = await jsm.streams.getMessage("S", { seq: pa.seq });
  assert.equal(sm!.data.length, 4);

  const kv = await new Kvm(nc).create("iv", { storage: "memory" });
  const rev = await kv.put("k", "kept");
  for (const [bad, kind] of BAD_PAYLOADS) {
    const sent = nc.stats().outMsgs;
    await assert.rejects(kv.put("k", bad as never), InvalidArgumentError, `kv.put ${kind}`);
    await assert.rejects(kv.create("new", bad as never), InvalidArgumentError, `kv.create ${kind}`);
    await assert.rejects(kv.update("k", bad as never, rev), InvalidArgumentError, `kv.update ${kind}`);
    assert.equal(nc.stats().outMsgs, sent, `kv ${kind}: nothing was sent`);
  }
  const e = await kv.get("k");
  assert.equal(e?.string(), "kept");
  assert.equal(e?.revision, rev);
  assert.equal(await kv.get("new"), null);
  await kv.put("bin", new DataView(new Uint8Array([9, 8, 7, 6]).buffer, 1, 2));
  assert.deepEqual([...(await kv.get("bin"))!.value], [8, 7]);
  assert.deepEqual(events.filter((ev) => ev.type === "disconnect" || ev.type === "error"), []);
});

Deno.test("payload - os.putBlob refuses a string before sending anything; the stored object is intact", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const os = await new Objm(nc).create("files", { storage: "memory" });
  const original = await os.putBlob({ name: "o" }, new Uint8Array([1, 2, 3]));
  for (const bad of ["a string", 5, {}, [1, 2]]) {
    const sent = nc.stats().outMsgs;
    await assert.rejects(os.putBlob({ name: "o" }, bad as never), InvalidArgumentError, String(bad));
    await assert.rejects(os.put({ name: "o" }, bad as never), InvalidArgumentError, String(bad));
    assert.equal(nc.stats().outMsgs, sent, "not even the info lookup or a purge was sent");
  }
  const info = await os.info("o");
  assert.equal(info?.nuid, original.nuid);
  assert.deepEqual([...(await os.getBlob("o"))!], [1, 2, 3]);
  // a stream that yields something other than bytes fails with a typed error; the object stays
  const strings = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue("text" as never);
      c.close();
    },
  });
  await assert.rejects(os.put({ name: "o" }, strings), InvalidArgumentError);
  assert.deepEqual([...(await os.getBlob("o"))!], [1, 2, 3]);
  // binary kinds other than Uint8Array store their exact bytes
  await os.putBlob({ name: "dv" }, new DataView(new Uint8Array([5, 6, 7, 8]).buffer, 1, 2));
  assert.deepEqual([...(await os.getBlob("dv"))!], [6, 7]);
  await os.putBlob({ name: "ab" }, new Uint8Array([4, 4]).buffer);
  assert.deepEqual([...(await os.getBlob("ab"))!], [4, 4]);
});

Deno.test("subjects - PUB lines over max_control_line are refused by UTF-8 bytes, before sending", async () => {
  await using srv = await NatsServer.start();
  await using nc = await connect({ servers: srv.url });
  const events = record(nc);
  const got = collect(nc, "iv.l");
  // the longest subject accepted, ASCII and two-byte UTF-8, goes through
  for (const longest of ["p".repeat(MAX_PUBLISH_SUBJECTS), "é".repeat(MAX_PUBLISH_SUBJECTS / 2)]) {
    const m = await roundTrip(nc, longest, () => nc.publish(longest, "edge"));
    assert.equal(m.string(), "edge");
  }
  const max = MAX_PUBLISH_SUBJECTS;
  const want = [
    ...between(nc, "iv.l", "subject", () => nc.publish("p".repeat(max + 1), "x"), InvalidSubjectError, /max_control/),
    // 2034 UTF-16 units, 4068 bytes
    ...between(nc, "iv.l", "utf8", () => nc.publish("é".repeat(max / 2 + 1), "x"), InvalidSubjectError),
    ...between(
      nc,
      "iv.l",
      "reply",
      () => nc.publish("r".repeat(2000), "x", { reply: "q".repeat(max - 1999) }),
      InvalidSubjectError,
      /^invalid reply subject 'q{64}…' \(2067 characters\): with its subject, 4067 bytes/,
    ),
    ...between(nc, "iv.l", "huge", () => nc.publish("h".repeat(1 << 20)), InvalidSubjectError, /1048576 characters/),
  ];
  // a reply that just fits is accepted
  const r = await roundTrip(
    nc,
    "r".repeat(2000),
    () => nc.publish("r".repeat(2000), "x", { reply: "q".repeat(max - 2000) }),
  );
  assert.equal(r.reply, "q".repeat(max - 2000));
  // requests check the line before subscribing their inbox
  const sent = nc.stats().outMsgs;
  await assert.rejects(nc.request("r".repeat(100), "x", { reply: "q".repeat(max - 99) }), InvalidSubjectError);
  await assert.rejects(nc.request("r".repeat(max)), InvalidSubjectError);
  await assert.rejects(nc.requestMany("r".repeat(max - 10)), InvalidSubjectError);
  assert.equal(nc.stats().outMsgs, sent);
  await lostNothing(nc, got, want, events);
});

Deno.test("subjects - SUB lines longer than max_control_line are refused, never registered nor replayed", async () => {
  await using srv = await NatsServer.start();
  await using nc = await connect({ servers: srv.url, reconnectTimeWait: 50 });
  const events = record(nc);
  const got = collect(nc, "iv.s");
  const max = MAX_SUBSCRIBE_SUBJECTS;
  const want = [
    ...between(nc, "iv.s", "subject", () => nc.subscribe("s".repeat(max + 1)), InvalidSubjectError, /SUB line/),
    // 2037 UTF-16 units, 4074 bytes
    ...between(nc, "iv.s", "utf8", () => nc.subscribe("é".repeat(max / 2 + 1)), InvalidSubjectError),
    ...between(
      nc,
      "iv.s",
      "queue",
      () => nc.subscribe("s".repeat(3000), { queue: "q".repeat(max - 2999) }),
      InvalidSubjectError,
      /^invalid queue group 'q{64}…' \(1073 characters\): with its subject, 4073 bytes/,
    ),
  ];
  // the longest accepted lines are accepted by the server, now and after a reconnect
  const edge = nc.subscribe("s".repeat(max - 2) + ".>");
  const edgeQueue = nc.subscribe("s".repeat(3000) + ".>", { queue: "q".repeat(max - 3002) });
  await nc.flush();
  await nc.reconnect();
  await waitFor(() => events.some((e) => e.type === "reconnect"), "reconnect");
  await nc.flush();
  nc.publish("iv.s", "after reconnect");
  want.push("after reconnect");
  await nc.flush();
  await waitFor(() => got.length >= want.length, "every message");
  assert.deepEqual(got, want);
  assert.equal(edge.isClosed(), false);
  assert.equal(edgeQueue.isClosed(), false);
  assert.deepEqual(events.filter((e) => e.type === "error"), [], "the server refused no SUB line");
  assert.equal(events.filter((e) => e.type === "disconnect").length, 1, "only the forced reconnect");
});

Deno.test("subscriptions - a SUB the server denied ends with its error and is not replayed on reconnect", async () => {
  await using srv = await NatsServer.start({
    config:
      `authorization { users = [ { user: u, password: p, permissions: { subscribe: { deny: ["secret.>"] } } } ] }`,
  });
  await using nc = await connect({ servers: srv.url, user: "u", pass: "p", reconnectTimeWait: 50 });
  const events = record(nc);
  // the server quotes subjects the Go way (`\"`, `\\`, `\x01`): each must still name its subscription
  const denied = [
    nc.subscribe("secret.plain"),
    nc.subscribe('secret.a"b'),
    nc.subscribe("secret.back\\slash", { queue: 'q"1' }),
    nc.subscribe("secret.\x01ctl"),
  ];
  const kept = nc.subscribe("open.>");
  for (const sub of denied) {
    const err = await within(sub.closed, sub.getSubject());
    assert.ok(err instanceof PermissionViolationError, `${sub.getSubject()}: ${err}`);
    assert.equal(err.subject, sub.getSubject());
  }
  const denials = () =>
    events.flatMap((e) => e.type === "error" && e.error instanceof PermissionViolationError ? [e.error.subject] : []);
  await waitFor(() => denials().length === 4, "four denials reported");
  await nc.reconnect();
  await waitFor(() => events.some((e) => e.type === "reconnect"), "reconnect");
  // a denial after the reconnect marks the end of whatever the resubscription caused
  const marker = nc.subscribe("secret.marker");
  await within(marker.closed, "marker");
  await waitFor(() => denials().includes("secret.marker"), "the marker's denial");
  assert.deepEqual(denials().slice(4), ["secret.marker"], "no denied SUB was sent again");
  assert.equal(kept.isClosed(), false);
  const m = await roundTrip(nc, "open.x", () => nc.publish("open.x", "still here"));
  assert.equal(m.string(), "still here");
});

Deno.test("headers - the status line cannot smuggle fields; names, values and codes are checked", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const events = record(nc);
  const got = collect(nc, "iv.h");
  const want: string[] = [];
  const bad: Array<[string, () => unknown]> = [
    ["CRLF in description", () => headers(200, "OK\r\nNats-Msg-Id: x")],
    ["LF in description", () => headers(200, "OK\nX: y")],
    ["NUL in description", () => headers(200, "OK\x00")],
    ["DEL in description", () => headers(200, "OK\x7f")],
    ["description without a code", () => headers(0, "OK")],
    ["code 99", () => headers(99)],
    ["code 1000", () => headers(1000)],
    ["code -200", () => headers(-200)],
    ["fractional code", () => headers(200.5)],
    ["NaN code", () => headers(NaN)],
    ["string code", () => headers("200" as never)],
    ["number description", () => headers(200, 5 as never)],
    ["number value", () => headers().set("X", 5 as never)],
    ["undefined value", () => headers().append("X", undefined as never)],
    ["number name", () => headers().set(5 as never, "v")],
    ["empty name", () => headers().set("", "v")],
    ["space in name", () => headers().set("X Y", "v")],
    ["colon in name", () => headers().set("X:Y", "v")],
    ["CRLF in name", () => headers().set("X\r\nY", "v")],
    ["non-ASCII name", () => headers().set("Ünï", "v")],
    ["CRLF in value", () => headers().set("X", "a\r\nNats-Msg-Id: x")],
    ["CR in value", () => headers().append("X", "a\rb")],
  ];
  for (const [label, fn] of bad) want.push(...between(nc, "iv.h", label, fn, InvalidArgumentError));
  // a failed set changes nothing
  const h = headers(200, "OK\tfine");
  h.set("X-Keep", "v1");
  assert.throws(() => h.set("X-Keep", "bad\r\n"), InvalidArgumentError);
  assert.throws(() => h.set("x-keep", 7 as never, Match.IgnoreCase), InvalidArgumentError);
  assert.equal(h.get("X-Keep"), "v1");
  // the value never shows in the error (it may be a credential)
  assert.throws(
    () => headers().set("Authorization", "Bearer s3cr3t\r\n"),
    (err: Error) => !err.message.includes("s3cr3t"),
  );
  h.set("Tok!#$%&'*+-.^_`|~9", "ok");
  for (const [code, description] of [[0, ""], [100, "Idle Heartbeat"], [503, ""], [999, "x"]] as const) {
    headers(code, description);
  }
  const m = await roundTrip(nc, "iv.status", () => nc.publish("iv.status", "x", { headers: h }));
  assert.equal(m.headers?.code, 200);
  assert.equal(m.headers?.description, "OK\tfine");
  assert.equal(m.headers?.get("X-Keep"), "v1");
  assert.deepEqual(m.headers?.keys(), ["X-Keep", "Tok!#$%&'*+-.^_`|~9"]);
  await lostNothing(nc, got, want, events);
});

Deno.test("headers - anything but headers() is refused, another MsgHdrs is copied", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const events = record(nc);
  const got = collect(nc, "iv.o");
  nc.subscribe("iv.svc", { callback: (_err, m) => m.respond("ok") });
  const plain = { headers: { a: "b" } } as never;
  const want = [
    ...between(nc, "iv.o", "object", () => nc.publish("iv.o", "x", plain), InvalidArgumentError, /got object/),
    ...between(nc, "iv.o", "string", () => nc.publish("iv.o", "x", { headers: "a: b" as never }), InvalidArgumentError),
    ...between(
      nc,
      "iv.o",
      "traced",
      () => nc.publish("iv.o", "x", { headers: { a: "b" } as never, traceDestination: "t" }),
      InvalidArgumentError,
    ),
  ];
  await nc.flush();
  const sent = nc.stats().outMsgs;
  await assert.rejects(async () => await nc.request("iv.svc", "x", plain), InvalidArgumentError);
  await assert.rejects(
    async () => await nc.request("iv.svc", "x", { ...(plain as object), noMux: true }),
    InvalidArgumentError,
  );
  await assert.rejects(async () => await nc.requestMany("iv.svc", "x", plain), InvalidArgumentError);
  assert.equal(nc.stats().outMsgs, sent, "no request was sent");
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "H", subjects: ["h.>"], storage: "memory" });
  const apiSent = nc.stats().outMsgs;
  const js = jetstream(nc);
  await assert.rejects(js.publish("h.a", "x", plain), InvalidArgumentError);
  await assert.rejects(js.publish("h.a", "x", { headers: { a: "b" } as never, msgID: "1" }), InvalidArgumentError);
  assert.equal(nc.stats().outMsgs, apiSent, "nothing was published");
  assert.equal((await jsm.streams.info("H")).state.messages, 0);

  // another implementation of MsgHdrs (say, another copy of this library) is validated and copied
  const fields = new Map([["X-Other", ["1", "2"]]]);
  const foreign = {
    code: 0,
    description: "",
    [Symbol.iterator]: () => fields[Symbol.iterator](),
  } as unknown as MsgHdrs;
  const m = await roundTrip(nc, "iv.foreign", () => nc.publish("iv.foreign", "x", { headers: foreign }));
  assert.deepEqual(m.headers?.values("X-Other"), ["1", "2"]);
  fields.set("Bad Name", ["v"]);
  want.push(
    ...between(nc, "iv.o", "foreign", () => nc.publish("iv.o", "x", { headers: foreign }), InvalidArgumentError),
  );
  await lostNothing(nc, got, want, events);
});

Deno.test("subjects - a wildcard reply and invalid stream subjects are refused before any request", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const events = record(nc);
  nc.subscribe("iv.svc", { callback: (_err, m) => m.respond("ok") });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "T", subjects: ["t.>"], storage: "memory" });
  const sent = nc.stats().outMsgs;
  for (const reply of ["r.*", "r.>", "r..x", "r x", "r.\u00e9\t"]) {
    await assert.rejects(nc.request("iv.svc", "x", { reply, noMux: true }), InvalidSubjectError, JSON.stringify(reply));
  }
  await assert.rejects(nc.request("iv.svc", "x", { reply: "r.*" }), InvalidSubjectError);
  for (const subjects of [["a b"], ["ok.>", "a\tb"], ["a..b"], [""], ["a.>.b"], [5]]) {
    await assert.rejects(
      jsm.streams.add({ name: "BAD", subjects: subjects as string[], storage: "memory" }),
      InvalidSubjectError,
      JSON.stringify(subjects),
    );
    await assert.rejects(jsm.streams.update("T", { subjects: subjects as string[] }), InvalidSubjectError);
  }
  await assert.rejects(jsm.streams.add({ name: "BAD", subjects: "a.b" as never }), InvalidArgumentError);
  assert.equal(nc.stats().outMsgs, sent, "no API request and no publish was sent");
  assert.deepEqual((await jsm.streams.info("T")).config.subjects, ["t.>"]);
  await assert.rejects(jsm.streams.info("BAD"));
  assert.equal((await nc.request("iv.svc", "x", { reply: "r.exact", noMux: true })).string(), "ok");
  assert.deepEqual(events.filter((e) => e.type === "disconnect" || e.type === "error"), []);
});

Deno.test("service - a bad payload or plain-object headers in a response give a 500, not silence", async () => {
  await using srv = await NatsServer.start();
  await using nc = await connect({ servers: srv.url });
  const service = await new Svcm(nc).add({ name: "iv", version: "1.0.0" });
  const thrown: string[] = [];
  const rethrow = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      thrown.push((err as Error).constructor.name);
      throw err;
    }
  };
  service.addEndpoint("payload", (_e, m) => rethrow(() => m.respond({ n: 1 } as never)));
  service.addEndpoint(
    "headers",
    (_e, m) => rethrow(() => m.respondError(400, "no", "x", { headers: { a: "b" } as never })),
  );
  for (
    const [subject, text] of [["payload", /payload must be/], ["headers", /headers must be made by headers/]] as const
  ) {
    const reply = await nc.request(subject, "q", { timeout: 5000 });
    const err = ServiceError.toServiceError(reply);
    assert.equal(err?.code, 500, subject);
    assert.match(err!.message, text);
  }
  assert.deepEqual(thrown, ["InvalidArgumentError", "InvalidArgumentError"]);
});
