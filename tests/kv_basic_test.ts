import assert from "node:assert/strict";
import { connect, InvalidArgumentError } from "../mod.ts";
import { jetstreamManager } from "../jetstream/mod.ts";
import {
  BucketNotFoundError,
  InvalidBucketError,
  InvalidKeyError,
  KeyExistsError,
  Kvm,
  ValueTooLargeError,
  WrongRevisionError,
} from "../kv/mod.ts";
import { NatsServer } from "./helpers/server.ts";

Deno.test("kv - bucket stream follows ADR-8", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const kvm = new Kvm(nc);
  await kvm.create("cfg", {
    history: 5,
    ttl: 60_000,
    maxValueSize: 1024,
    max_bytes: 1 << 20,
    description: "settings",
    metadata: { team: "a" },
    compression: true,
    storage: "memory",
  });
  const si = await (await jetstreamManager(nc)).streams.info("KV_cfg");
  const c = si.config;
  assert.deepEqual(c.subjects, ["$KV.cfg.>"]);
  assert.equal(c.max_msgs_per_subject, 5);
  assert.equal(c.max_age, 60_000_000_000);
  assert.equal(c.duplicate_window, 60_000_000_000);
  assert.equal(c.max_msg_size, 1024);
  assert.equal(c.max_bytes, 1 << 20);
  assert.equal(c.discard, "new");
  assert.equal(c.allow_rollup_hdrs, true);
  assert.equal(c.deny_delete, true);
  assert.equal(c.allow_direct, true);
  assert.equal(c.compression, "s2");
  assert.equal(c.storage, "memory");
  assert.equal(c.description, "settings");
  assert.equal(c.metadata?.team, "a");
  // an identical create succeeds, a different one opens the bucket as it is (as nats.js)
  await kvm.create("cfg", {
    history: 5,
    ttl: 60_000,
    maxValueSize: 1024,
    max_bytes: 1 << 20,
    description: "settings",
    metadata: { team: "a" },
    compression: true,
    storage: "memory",
  });
  assert.equal((await (await kvm.create("cfg", { history: 2 })).status()).history, 5);
  const plain = await (await kvm.create("plain")).status();
  assert.equal(plain.history, 1);
  assert.equal(plain.streamInfo.config.duplicate_window, 120_000_000_000);
  assert.equal(plain.compression, false);
});

Deno.test("kv - put, get, create, update, delete, purge", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const kv = await new Kvm(nc).create("ops", { history: 10 });
  assert.equal(await kv.get("a"), null);
  const r1 = await kv.put("a", "one");
  const e1 = await kv.get("a");
  assert.ok(e1);
  assert.equal(e1.string(), "one");
  assert.equal(e1.revision, r1);
  assert.equal(e1.key, "a");
  assert.equal(e1.bucket, "ops");
  assert.equal(e1.operation, "PUT");
  assert.equal(e1.length, 3);
  assert.ok(e1.created instanceof Date && Math.abs(e1.created.getTime() - Date.now()) < 60_000);

  const r2 = await kv.update("a", JSON.stringify({ n: 2 }), r1);
  assert.deepEqual((await kv.get("a"))?.json(), { n: 2 });
  const wrong = await kv.update("a", "x", r1).catch((e) => e);
  assert.ok(wrong instanceof WrongRevisionError);
  assert.equal(wrong.expected, r1);
  assert.equal(wrong.actual, r2);
  await assert.rejects(kv.put("a", "x", { previousSeq: 1 }), WrongRevisionError);

  // get by revision
  assert.equal((await kv.get("a", { revision: r1 }))?.string(), "one");
  const other = await kv.put("b", "bee");
  assert.equal(await kv.get("a", { revision: other }), null);

  // create only when absent, deleted or purged
  const exists = await kv.create("a", "again").catch((e) => e);
  assert.ok(exists instanceof KeyExistsError);
  assert.equal(exists.actual, r2);
  const c1 = await kv.create("c", "new");
  assert.equal((await kv.get("c"))?.revision, c1);
  await kv.delete("c");
  assert.equal(await kv.get("c"), null);
  const c2 = await kv.create("c", "revived");
  assert.equal((await kv.get("c"))?.string(), "revived");
  assert.ok(c2 > c1);
  await kv.purge("c");
  assert.equal(await kv.get("c"), null);
  await kv.create("c", "after purge");
  assert.equal((await kv.get("c"))?.string(), "after purge");

  // delete/purge conditional on the revision
  const rb = (await kv.get("b"))!.revision;
  await assert.rejects(kv.delete("b", { previousSeq: rb + 100 }), WrongRevisionError);
  await kv.delete("b", { previousSeq: rb });
  assert.equal(await kv.get("b"), null);

  // purge leaves one marker, delete keeps history
  const hist = [];
  for await (const e of await kv.history({ key: "c" })) hist.push(e.operation);
  assert.deepEqual(hist, ["PURGE", "PUT"]);
  const ha = [];
  for await (const e of await kv.history({ key: "a" })) ha.push([e.operation, e.delta]);
  assert.deepEqual(ha, [["PUT", 1], ["PUT", 0]]);
  await kv.close();
});

Deno.test("kv - invalid keys and buckets fail before any request", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const kvm = new Kvm(nc);
  for (const b of ["a.b", "a b", "", "a*", "ä"]) {
    await assert.rejects(kvm.create(b), InvalidBucketError, b);
    await assert.rejects(kvm.open(b), InvalidBucketError, b);
  }
  const kv = await kvm.create("keys");
  const before = nc.stats().outMsgs;
  for (const k of [".a", "a.", "a..b", "a b", "a*", "a.>", "_kvx", "", "ü", "a\tb"]) {
    await assert.rejects(kv.put(k, "v"), InvalidKeyError, k);
    await assert.rejects(kv.get(k), InvalidKeyError, k);
  }
  await assert.rejects(kv.keys("a.b>"), InvalidKeyError);
  await assert.rejects(kv.watch({ key: "a.>.b" }), InvalidKeyError);
  assert.equal(nc.stats().outMsgs, before);
  assert.ok(new InvalidKeyError("x", "y") instanceof InvalidArgumentError);
  for (const k of ["a", "A-b_c/d=e.f", "1.2.3", "x_kv"]) await kv.put(k, "ok");
  assert.equal((await kv.get("A-b_c/d=e.f"))?.string(), "ok");
  await assert.rejects(kvm.create("h", { history: 65 }), InvalidArgumentError);
  await assert.rejects(kvm.create("h", { history: 0 }), InvalidArgumentError);
});

Deno.test("kv - missing bucket, oversized value, history limit", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const kvm = new Kvm(nc);
  // open() binds to a missing bucket (as nats.js); using it says the bucket is missing
  const missing = await (await kvm.open("nope")).get("k").catch((e) => e);
  assert.ok(missing instanceof BucketNotFoundError);
  assert.equal(missing.bucket, "nope");
  const kv = await kvm.create("lim", { history: 3, maxValueSize: 16 });
  const big = await kv.put("k", new Uint8Array(17)).catch((e) => e);
  assert.ok(big instanceof ValueTooLargeError);
  assert.equal(big.size, 17);
  assert.equal(big.max, 16);
  for (let i = 0; i < 10; i++) await kv.put("k", `v${i}`);
  const vals = [];
  for await (const e of await kv.history({ key: "k" })) vals.push(e.string());
  assert.deepEqual(vals, ["v7", "v8", "v9"]);
  const st = await kv.status();
  assert.equal(st.values, 3);
  assert.equal(st.history, 3);
  assert.equal(st.bucket, "lim");
  assert.equal(st.backingStore, "JetStream");
  assert.ok(st.bytes > 0);
  assert.equal(st.maxValueSize, 16);
  assert.equal(await kv.destroy(), true);
  await assert.rejects(kv.status(), BucketNotFoundError);
  await assert.rejects((await kvm.open("lim")).status(), BucketNotFoundError);
});

Deno.test("kv - keys streams with one or many filters", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const kv = await new Kvm(nc).create("many");
  const writes = [];
  for (let i = 0; i < 600; i++) writes.push(kv.put(`r${i % 6}.k${i}`, `${i}`));
  await Promise.all(writes);
  await kv.delete("r0.k0");
  await kv.purge("r1.k1");
  const all = new Set<string>();
  for await (const k of await kv.keys()) all.add(k);
  assert.equal(all.size, 598);
  assert.ok(!all.has("r0.k0") && !all.has("r1.k1"));
  const some = [];
  for await (const k of await kv.keys(["r2.>", "r3.*", "r4.k4"])) some.push(k);
  assert.equal(some.length, 100 + 100 + 1);
  assert.ok(some.every((k) => /^r[23]\.|^r4\.k4$/.test(k)));
  const filters = Array.from({ length: 50 }, (_, i) => `r5.k${i * 6 + 5}`);
  const fifty = [];
  for await (const k of await kv.keys(filters)) fifty.push(k);
  assert.deepEqual(fifty.sort(), [...filters].sort());
  // stopping early ends the server consumer
  for await (const _ of await kv.keys()) break;
  const none = [];
  for await (const k of await kv.keys("zzz.>")) none.push(k);
  assert.deepEqual(none, []);
  await kv.close();
});

Deno.test("kv - wildcard delete, purgeDeletes, list and names", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const kvm = new Kvm(nc);
  const kv = await kvm.create("pd", { history: 5 });
  for (const k of ["x.1", "x.2", "y.1"]) {
    await kv.put(k, "a");
    await kv.put(k, "b");
  }
  await kv.delete("x.*");
  assert.equal(await kv.get("x.1"), null);
  assert.equal(await kv.get("x.2"), null);
  assert.equal((await kv.get("y.1"))?.string(), "b");
  assert.equal((await kv.status()).values, 8);
  // recent markers are kept alone
  let r = await kv.purgeDeletes();
  assert.equal(r.purged, 4);
  assert.equal((await kv.status()).values, 4);
  // a negative threshold removes the markers too
  r = await kv.purgeDeletes(-1);
  assert.equal(r.purged, 2);
  assert.equal((await kv.status()).values, 2);
  await kvm.create("other");
  const names = [];
  for await (const n of kvm.names()) names.push(n);
  assert.deepEqual(names.sort(), ["other", "pd"]);
  const statuses = [];
  for await (const s of kvm.list()) statuses.push([s.bucket, s.values]);
  assert.deepEqual(statuses.sort(), [["other", 0], ["pd", 2]]);
});

Deno.test("kv - without allow_direct gets use the message API", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const kvm = new Kvm(nc);
  const kv = await kvm.create("nodirect", { allow_direct: false, history: 2 });
  assert.equal(kv.direct, false);
  const r = await kv.put("k", "v1");
  await kv.put("k", "v2");
  assert.equal((await kv.get("k"))?.string(), "v2");
  assert.equal((await kv.get("k", { revision: r }))?.string(), "v1");
  assert.equal(await kv.get("none"), null);
  const reopened = await kvm.open("nodirect");
  assert.equal(reopened.direct, false);
  assert.equal((await reopened.get("k"))?.string(), "v2");
  // update keeps the bucket's direct setting and can raise history
  const updated = await kvm.update("nodirect", { history: 4 });
  assert.equal((await updated.status()).history, 4);
  assert.equal(updated.direct, false);
});

Deno.test("kv - a JetStream domain prefixes API calls and writes", async () => {
  const store = await Deno.makeTempDir({ prefix: "natsw-kv-domain-" });
  try {
    await using srv = await NatsServer.start({ config: `jetstream { domain: hub, store_dir: "${store}" }` });
    await using nc = await connect({ servers: srv.url });
    const kv = await new Kvm(nc, { domain: "hub" }).create("dom", { history: 2 });
    const rev = await kv.put("k", "v");
    assert.equal((await kv.get("k"))?.revision, rev);
    await assert.rejects(kv.create("k", "again"), KeyExistsError);
    const keys = [];
    for await (const k of await kv.keys()) keys.push(k);
    assert.deepEqual(keys, ["k"]);
    assert.equal((await new Kvm(nc).open("dom")).stream, "KV_dom");
  } finally {
    await Deno.remove(store, { recursive: true });
  }
});
