import assert from "node:assert/strict";
import { connect } from "../mod.ts";
import { JetStreamApiError, jetstreamManager } from "../jetstream/mod.ts";
import { Kvm, MarkersNotEnabledError } from "../kv/mod.ts";
import { NatsServer } from "./helpers/server.ts";
import { take, waitFor } from "./helpers/util.ts";

Deno.test("kv ttl - limit markers: per-key TTL on create, expiry seen as PURGE", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const kvm = new Kvm(nc);
  const kv = await kvm.create("ttl", { markerTTL: 2000, history: 3 });
  const c = (await jetstreamManager(nc)).streams;
  const cfg = (await c.info("KV_ttl")).config;
  assert.equal(cfg.allow_msg_ttl, true);
  assert.equal(cfg.subject_delete_marker_ttl, 2_000_000_000);
  assert.equal((await kv.status()).markerTTL, 2000);

  const w = await kv.watch({ key: "short" });
  await w.initialized;
  await kv.create("short", "lives 1s", "1s");
  await kv.put("long", "stays");
  const [put, marker] = await take(w, 2, 15_000);
  assert.equal(put.operation, "PUT");
  assert.equal(marker.operation, "PURGE");
  assert.equal(marker.key, "short");
  assert.equal(await kv.get("short"), null);
  assert.equal((await kv.get("long"))?.string(), "stays");
  // after the marker the key can be created again
  await kv.create("short", "again", 5000);
  assert.equal((await kv.get("short"))?.string(), "again");
  w.stop();

  // purge with a TTL: the purge marker itself goes away
  await kv.put("p", "x");
  await kv.purge("p", { ttl: "1s" });
  await waitFor(
    async () => {
      for await (const _ of await kv.history({ key: "p" })) return false;
      return true;
    },
    "purge marker expiry",
    15_000,
  );
  await kv.close();
});

Deno.test("kv ttl - bucket TTL with markers writes a MaxAge marker", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const kv = await new Kvm(nc).create("age", { ttl: 1000, markerTTL: 1000 });
  assert.equal((await kv.status()).ttl, 1000);
  const w = await kv.watch({ include: "updates" });
  await w.initialized;
  await kv.put("k", "v");
  const [p, m] = await take(w, 2, 15_000);
  assert.deepEqual([p.operation, m.operation, m.key], ["PUT", "PURGE", "k"]);
  w.stop();
  await kv.close();
});

Deno.test("kv ttl - TTLs need markers; markers can be enabled later", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const kvm = new Kvm(nc);
  const kv = await kvm.create("nomark");
  await assert.rejects(kv.create("k", "v", 1000), MarkersNotEnabledError);
  await assert.rejects(kv.purge("k", { ttl: 1000 }), MarkersNotEnabledError);
  const upd = await kvm.update("nomark", { markerTTL: 1500 });
  assert.equal((await upd.status()).markerTTL, 1500);
  await upd.create("k", "v", "10s");
  assert.equal((await upd.get("k"))?.string(), "v");
  // a TTL shorter than a second is refused by the server
  await assert.rejects(upd.create("k2", "v", 10), JetStreamApiError);
});
