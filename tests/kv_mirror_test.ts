import assert from "node:assert/strict";
import { connect } from "../mod.ts";
import { jetstreamManager } from "../jetstream/mod.ts";
import { Kvm } from "../kv/mod.ts";
import { NatsServer } from "./helpers/server.ts";
import { take, waitFor } from "./helpers/util.ts";

Deno.test("kv mirror - a mirror bucket is read through its own stream and writes reach the origin", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const kvm = new Kvm(nc);
  const orig = await kvm.create("orig", { history: 3 });
  await orig.put("a", "1");
  await orig.put("b.c", "2");
  await kvm.create("rep", { mirror: { name: "orig" } });
  const sc = (await (await jetstreamManager(nc)).streams.info("KV_rep")).config;
  assert.equal(sc.mirror?.name, "KV_orig");
  assert.equal(sc.mirror_direct, true);
  assert.equal(sc.subjects, undefined);

  const rep = await kvm.open("rep");
  assert.equal(rep.stream, "KV_rep");
  await waitFor(async () => (await rep.get("b.c"))?.string() === "2", "mirror catch-up");
  const keys = [];
  for await (const k of await rep.keys()) keys.push(k);
  assert.deepEqual(keys.sort(), ["a", "b.c"]);
  // a write through the mirror handle goes to the origin, then comes back through the mirror
  const w = await rep.watch({ include: "updates" });
  await w.initialized;
  const rev = await rep.put("a", "via mirror");
  // the origin stored it; direct gets of the origin may be answered by the mirror (mirror_direct),
  // which can lag a moment behind
  assert.equal(
    (await jetstreamManager(nc).then((m) => m.streams.getMessage("KV_orig", { seq: rev })))?.string(),
    "via mirror",
  );
  await waitFor(async () => (await orig.get("a"))?.revision === rev, "the origin's direct get sees the write");
  const [e] = await take(w, 1);
  assert.equal(e.key, "a");
  assert.equal(e.string(), "via mirror");
  assert.equal(e.bucket, "rep");
  w.stop();
  const st = await rep.status();
  assert.equal(st.mirror?.name, "KV_orig");
  await rep.close();
});

Deno.test("kv mirror - sources from other buckets are rewritten to the aggregate's keys", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const kvm = new Kvm(nc);
  const eu = await kvm.create("eu");
  const us = await kvm.create("us");
  await eu.put("paris", "fr");
  await us.put("austin", "tx");
  const all = await kvm.create("world", { sources: [{ name: "eu" }, { name: "KV_us" }] });
  const sc = (await all.status()).streamInfo.config;
  assert.deepEqual(sc.sources?.map((s) => [s.name, s.subject_transforms]), [
    ["KV_eu", [{ src: "$KV.eu.>", dest: "$KV.world.>" }]],
    ["KV_us", [{ src: "$KV.us.>", dest: "$KV.world.>" }]],
  ]);
  // each source catches up on its own
  await waitFor(async () => (await all.get("austin"))?.string() === "tx", "sourcing us");
  await waitFor(async () => (await all.get("paris"))?.string() === "fr", "sourcing eu");
  // the aggregate is writable under its own name
  await all.put("local", "yes");
  const keys = [];
  for await (const k of await all.keys()) keys.push(k);
  assert.deepEqual(keys.sort(), ["austin", "local", "paris"]);
  await all.close();
});
