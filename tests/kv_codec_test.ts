import assert from "node:assert/strict";
import { connect as officialConnect } from "@nats-io/transport-node";
import {
  Base64KeyCodec as OfficialBase64KeyCodec,
  Kvm as OfficialKvm,
  NoopKvCodecs as OfficialNoopKvCodecs,
} from "@nats-io/kv";
import { connect, InvalidArgumentError } from "../mod.ts";
import { jetstreamManager } from "../jetstream/mod.ts";
import {
  Base64KeyCodec,
  BucketNotFoundError,
  InvalidKeyError,
  type KvCodecs,
  Kvm,
  type KvPayloadCodec,
  NoopKvCodecs,
  ValueTooLargeError,
} from "../kv/mod.ts";
import { NatsServer } from "./helpers/server.ts";
import { take } from "./helpers/util.ts";

const te = new TextEncoder();
const td = new TextDecoder();
const b64: KvCodecs = { key: Base64KeyCodec(), value: NoopKvCodecs().value };
/** The wire form of a key under Base64KeyCodec, computed independently of the codec. */
const wire = (key: string) => key.split(".").map((t) => t === "*" || t === ">" ? t : btoa(t)).join(".");

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of it) out.push(v);
  return out;
}

/** The next `n` values of `it`, leaving it open. */
async function next<T>(it: AsyncIterator<T>, n: number): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i++) {
    const r = await it.next();
    assert.equal(r.done, false);
    out.push(r.value);
  }
  return out;
}

Deno.test("kv codec - Base64KeyCodec encodes tokens and keeps wildcards", () => {
  const c = Base64KeyCodec();
  assert.equal(c.encode("users.*.my docs.>"), `${btoa("users")}.*.${btoa("my docs")}.>`);
  assert.equal(c.decode(c.encode("a/b c.café")), "a/b c.café");
  assert.throws(() => c.encode("price €"), InvalidKeyError);
  assert.throws(() => c.decode("a"), InvalidKeyError);
  const noop = NoopKvCodecs();
  assert.equal(noop.key.encode("a b"), "a b");
  assert.deepEqual(noop.value.encode("hi"), te.encode("hi"));
});

Deno.test("kv codec - Base64 keys round trip through put, get, keys, history, watch and delete", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const kvm = new Kvm(nc);
  const kv = await kvm.create("files", { history: 5, codec: b64 });
  const plain = await kvm.open("files");
  // characters keys cannot hold without the codec
  await assert.rejects(plain.put("docs/read me.txt", "x"), InvalidKeyError);

  const r1 = await kv.put("docs/read me.txt", "v1");
  await kv.put("docs/read me.txt", "v2");
  await kv.put("users.Jane Doe.profile", "jane");
  await kv.put("users.John Smith.profile", "john");
  await kv.put("users.John Smith.avatar", "img");
  assert.equal(kv.subjectForKey("users.Jane Doe.profile"), `$KV.files.${wire("users.Jane Doe.profile")}`);

  const e = await kv.get("docs/read me.txt");
  assert.equal(e?.key, "docs/read me.txt");
  assert.equal(e?.string(), "v2");
  assert.equal((await kv.get("docs/read me.txt", { revision: r1 }))?.string(), "v1");
  // what the server holds is the encoded key
  assert.equal((await plain.get(wire("docs/read me.txt")))?.string(), "v2");
  assert.deepEqual(
    (await collect(await plain.keys())).sort(),
    ["docs/read me.txt", "users.Jane Doe.profile", "users.John Smith.avatar", "users.John Smith.profile"].map(wire)
      .sort(),
  );

  assert.deepEqual((await collect(await kv.keys("users.*.profile"))).sort(), [
    "users.Jane Doe.profile",
    "users.John Smith.profile",
  ]);
  assert.deepEqual((await collect(await kv.keys(["docs/read me.txt", "users.John Smith.>"]))).sort(), [
    "docs/read me.txt",
    "users.John Smith.avatar",
    "users.John Smith.profile",
  ]);
  const hist = await collect(await kv.history({ key: "docs/read me.txt" }));
  assert.deepEqual(hist.map((h) => [h.key, h.string()]), [["docs/read me.txt", "v1"], ["docs/read me.txt", "v2"]]);

  const w = await kv.watch({ key: "users.*.profile" });
  const it = w[Symbol.asyncIterator]();
  const initial = await next(it, 2);
  assert.deepEqual(initial.map((x) => [x.key, x.string(), x.isUpdate]), [
    ["users.Jane Doe.profile", "jane", false],
    ["users.John Smith.profile", "john", false],
  ]);
  await w.initialized;
  await kv.put("users.John Smith.avatar", "img2"); // outside the filter
  await kv.put("users.New User.profile", "new");
  await kv.delete("users.Jane Doe.profile");
  const live = await next(it, 2);
  assert.deepEqual(live.map((x) => [x.key, x.operation, x.isUpdate]), [
    ["users.New User.profile", "PUT", true],
    ["users.Jane Doe.profile", "DEL", true],
  ]);
  w.stop();

  // a wildcard delete finds the matching keys through the codec
  await kv.delete("users.*.profile");
  assert.deepEqual(await collect(await kv.keys("users.>")), ["users.John Smith.avatar"]);
  assert.equal(await kv.get("users.New User.profile"), null);
  await kv.purge("docs/read me.txt");
  const after = await collect(await kv.history({ key: "docs/read me.txt" }));
  assert.deepEqual(after.map((h) => [h.key, h.operation]), [["docs/read me.txt", "PURGE"]]);
  const purged = await kv.purgeDeletes(-1);
  assert.equal(purged.purged, 7); // three deleted keys (value and DEL marker each) and one PURGE marker
  assert.deepEqual(await collect(await kv.keys()), ["users.John Smith.avatar"]);

  // the encoded key is what is validated: 'ab~' encodes to 'YWJ+', and '+' is not a key character
  const bad = await kv.put("ab~", "x").catch((err) => err);
  assert.ok(bad instanceof InvalidKeyError);
  assert.equal(bad.key, "ab~");
  assert.match(bad.message, /YWJ\+/);
  await assert.rejects(kv.put("price €", "x"), InvalidKeyError);
  await assert.rejects(kv.put("a..b", "x"), InvalidKeyError);
  await assert.rejects(kv.watch({ key: "a.>.b" }), InvalidKeyError);
  await kv.close();
  await plain.close();
});

/** XORs every byte and appends a tag byte; decoding a value without the tag throws. */
function xorCodec(): KvPayloadCodec & { decoded: number } {
  const flip = (d: Uint8Array) => d.map((b) => b ^ 0x5a);
  return {
    decoded: 0,
    encode(v: string | Uint8Array): Uint8Array {
      const d = typeof v === "string" ? te.encode(v) : v;
      const out = new Uint8Array(d.length + 1);
      out.set(flip(d));
      out[d.length] = 0xee;
      return out;
    },
    decode(d: Uint8Array): Uint8Array {
      if (d[d.length - 1] !== 0xee) throw new Error("not an encoded value");
      this.decoded++;
      return flip(d.subarray(0, d.length - 1));
    },
  };
}

Deno.test("kv codec - a value codec changes what is stored and reads return the original", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const kvm = new Kvm(nc);
  const value = xorCodec();
  const kv = await kvm.create("secret", { history: 5, maxValueSize: 64, codec: { key: NoopKvCodecs().key, value } });
  const plain = await kvm.open("secret");

  const r1 = await kv.put("greeting", "hello");
  const stored = await plain.get("greeting");
  assert.notDeepEqual(stored?.value, te.encode("hello"));
  assert.deepEqual(stored?.value, value.encode("hello"));
  // the raw stream holds the same bytes
  const jsm = await jetstreamManager(nc);
  const sm = await jsm.streams.getMessage("KV_secret", { last_by_subj: "$KV.secret.greeting" });
  assert.deepEqual(sm?.data, value.encode("hello"));

  const e = await kv.get("greeting");
  assert.equal(e?.string(), "hello");
  assert.deepEqual(e?.value, te.encode("hello"));
  assert.equal(e?.length, 6); // the stored size
  await kv.update("greeting", JSON.stringify({ n: 1 }).slice(0, 5), r1);
  await kv.put("bin", new Uint8Array([1, 2, 3]));
  assert.deepEqual((await kv.get("bin"))?.value, new Uint8Array([1, 2, 3]));
  await kv.create("made", "{}");
  assert.deepEqual((await kv.get("made"))?.json(), {});

  await kv.delete("bin");
  const hist = await collect(await kv.history());
  assert.deepEqual(hist.map((h) => [h.key, h.operation, td.decode(h.value)]), [
    ["greeting", "PUT", "hello"],
    ["greeting", "PUT", '{"n":'],
    ["bin", "PUT", "\x01\x02\x03"],
    ["made", "PUT", "{}"],
    ["bin", "DEL", ""],
  ]);
  const w = await kv.watch({ include: "history" });
  const seen = await take(w, 5);
  assert.deepEqual(seen.map((x) => x.string()), ["hello", '{"n":', "\x01\x02\x03", "{}", ""]);
  w.stop();
  // markers and metadata-only entries are never handed to the codec
  const before = value.decoded;
  const meta = await collect(await kv.history({ headers_only: true }));
  assert.deepEqual(meta.map((m) => [m.value.length, m.length]), [[0, 6], [0, 6], [0, 4], [0, 3], [0, 0]]);
  assert.equal(value.decoded, before);
  // the size limit applies to the encoded value (the server counts headers too)
  const big = await kv.put("big", "x".repeat(64)).catch((err) => err);
  assert.ok(big instanceof ValueTooLargeError);
  assert.equal(big.size, 65);
  await kv.close();
  await plain.close();
});

Deno.test("kv codec interop - Base64 keys are shared with the official client both ways", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const onc = await officialConnect({ servers: srv.url });
  try {
    const ocodec = { key: OfficialBase64KeyCodec(), value: OfficialNoopKvCodecs().value };
    const okv = await new OfficialKvm(onc).create("shared", { history: 3, codec: ocodec });
    await okv.put("my docs.read me", "from nats.js");
    await okv.put("café.menu/today", "soup");
    const kv = await new Kvm(nc).open("shared", { codec: b64 });
    assert.equal((await kv.get("my docs.read me"))?.string(), "from nats.js");
    assert.equal((await kv.get("café.menu/today"))?.string(), "soup");
    assert.deepEqual((await collect(await kv.keys())).sort(), ["café.menu/today", "my docs.read me"]);
    const w = await kv.watch({ key: "my docs.*" });
    const it = w[Symbol.asyncIterator]();
    assert.deepEqual((await next(it, 1)).map((e) => e.key), ["my docs.read me"]);
    await w.initialized;
    await okv.put("my docs.second one", "2");
    assert.deepEqual((await next(it, 1)).map((e) => [e.key, e.string()]), [["my docs.second one", "2"]]);
    w.stop();

    await kv.put("from natsw.a b", "ours");
    await kv.put("café.menu/today", "salad");
    assert.equal((await okv.get("from natsw.a b"))?.string(), "ours");
    assert.equal((await okv.get("café.menu/today"))?.string(), "salad");
    const okeys = await collect(await okv.keys());
    assert.deepEqual(okeys.sort(), ["café.menu/today", "from natsw.a b", "my docs.read me", "my docs.second one"]);
    // (nats.js checks history and watch filters before encoding them: 'café' is refused there)
    const ohist = (await collect(await okv.history())).filter((e) => e.key === "café.menu/today");
    assert.deepEqual(ohist.map((e) => e.string()), ["soup", "salad"]);
    // both wrote the same subjects
    const plainKeys = await collect(await (await new Kvm(nc).open("shared")).keys());
    assert.deepEqual(plainKeys.sort(), okeys.map(wire).sort());
    await kv.close();
  } finally {
    await onc.close();
  }
});

Deno.test("kv codec - streamName names the backing stream on create, open and update", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const onc = await officialConnect({ servers: srv.url });
  try {
    const kvm = new Kvm(nc);
    const jsm = await jetstreamManager(nc);
    const kv = await kvm.create("orders", { streamName: "ORDERS_KV", history: 2 });
    assert.equal(kv.stream, "ORDERS_KV");
    const si = await jsm.streams.info("ORDERS_KV");
    assert.deepEqual(si.config.subjects, ["$KV.orders.>"]);
    assert.equal(si.config.max_msgs_per_subject, 2);
    await assert.rejects(jsm.streams.info("KV_orders"));
    await kv.put("o1", "new");
    assert.equal((await kv.status()).bucket, "orders");
    assert.equal((await kv.status()).values, 1);

    await assert.rejects((await kvm.open("orders")).get("o1"), BucketNotFoundError);
    const opened = await kvm.open("orders", { streamName: "ORDERS_KV" });
    assert.equal((await opened.get("o1"))?.string(), "new");
    const bound = await kvm.open("orders", { streamName: "ORDERS_KV", bindOnly: true });
    await bound.put("o2", "bound");
    assert.deepEqual((await collect(await opened.keys())).sort(), ["o1", "o2"]);
    // creating again with the same settings binds to the same stream
    assert.equal((await kvm.create("orders", { streamName: "ORDERS_KV", history: 2 })).stream, "ORDERS_KV");
    const updated = await kvm.update("orders", { streamName: "ORDERS_KV", history: 4 });
    assert.equal((await updated.status()).history, 4);
    assert.deepEqual(await collect(kvm.names()), []);
    await assert.rejects(kvm.create("bad", { streamName: "a.b" }), InvalidArgumentError);

    // the official client reads it through the same option, and the reverse
    const okv = await new OfficialKvm(onc).open("orders", { streamName: "ORDERS_KV" });
    assert.equal((await okv.get("o2"))?.string(), "bound");
    const other = await new OfficialKvm(onc).create("items", { streamName: "ITEMS_STORE" });
    await other.put("i1", "from nats.js");
    const ours = await kvm.open("items", { streamName: "ITEMS_STORE" });
    assert.equal((await ours.get("i1"))?.string(), "from nats.js");

    assert.equal(await kv.destroy(), true);
    await assert.rejects(jsm.streams.info("ORDERS_KV"));
    await Promise.all([opened.close(), bound.close(), updated.close(), ours.close()]);
  } finally {
    await onc.close();
  }
});
