import assert from "node:assert/strict";
import { connect, headers } from "../mod.ts";
import { jetstream, jetstreamManager } from "../jetstream/mod.ts";
import { ObjectSizeMismatchError, Objm } from "../obj/mod.ts";
import { NatsServer } from "./helpers/server.ts";

// In an R3 bucket a direct get may be answered by a replica that lags, with the info of an object
// replaced since, whose chunks are already purged (the soak saw it after restarts). Here the
// lagging replica is played by a responder on the bucket's direct-get subject (the stream itself
// has direct get off), answering with the stored message of the first version.
Deno.test("obj stale - a get given a stale info whose chunks are gone reads the leader's latest info", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  await using replica = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  const objm = new Objm(nc);
  const os = await objm.create("b", { storage: "memory" });
  await os.putBlob({ name: "o" }, new Uint8Array(300_000).fill(1));
  const v1 = await jsm.streams.getMessage("OBJ_b", { last_by_subj: "$O.b.M.bw==" });
  assert.ok(v1);
  const v2 = new Uint8Array(200_000).fill(2);
  await os.putBlob({ name: "o" }, v2); // v1's chunks are purged
  await jsm.streams.update("OBJ_b", { allow_direct: false });
  let staleAnswers = 0;
  replica.subscribe("$JS.API.DIRECT.GET.OBJ_b.>", {
    callback: (_err, m) => {
      staleAnswers++;
      const h = headers();
      h.set("Nats-Stream", "OBJ_b");
      h.set("Nats-Subject", v1.subject);
      h.set("Nats-Sequence", String(v1.seq));
      h.set("Nats-Time-Stamp", v1.timestamp);
      m.respond(v1.data, { headers: h });
    },
  });
  await replica.flush();
  const lagging = await objm.open("b", false); // bound without a lookup: uses direct get
  assert.equal((await lagging.info("o"))?.size, 300_000, "the stale info is what direct get returns");
  assert.deepEqual(await lagging.getBlob("o"), v2);
  assert.ok(staleAnswers >= 2);
  // chunks missing for the latest info too: the size error stays
  await jsm.streams.purge("OBJ_b", { filter: "$O.b.C.>" });
  await replica.drain();
  await jsm.streams.update("OBJ_b", { allow_direct: true });
  await assert.rejects(() => lagging.getBlob("o"), ObjectSizeMismatchError);
});

/** Chunk subjects of bucket `b` and their counts. */
async function chunkSubjects(jsm: Awaited<ReturnType<typeof jetstreamManager>>): Promise<Record<string, number>> {
  return (await jsm.streams.info("OBJ_b", { subjects_filter: "$O.b.C.>" })).state.subjects ?? {};
}

Deno.test("obj stale - put, update and delete read the current info from the leader, not a lagging replica", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  await using replica = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  const objm = new Objm(nc);
  const os = await objm.create("b", { storage: "memory" });
  await os.putBlob({ name: "o" }, new Uint8Array(300_000).fill(1));
  const v1 = await jsm.streams.getMessage("OBJ_b", { last_by_subj: "$O.b.M.bw==" });
  assert.ok(v1);
  const v2 = await os.putBlob({ name: "o" }, new Uint8Array(200_000).fill(2));
  await jsm.streams.update("OBJ_b", { allow_direct: false });
  replica.subscribe("$JS.API.DIRECT.GET.OBJ_b.>", {
    callback: (_err, m) => {
      const h = headers();
      h.set("Nats-Stream", "OBJ_b");
      h.set("Nats-Subject", v1.subject);
      h.set("Nats-Sequence", String(v1.seq));
      h.set("Nats-Time-Stamp", v1.timestamp);
      m.respond(v1.data, { headers: h });
    },
  });
  await replica.flush();
  const lagging = await objm.open("b", false);
  // replacing: the chunks replaced are v2's (the leader's), not v1's (the replica's, long purged)
  const v3 = await lagging.putBlob({ name: "o" }, new Uint8Array(100_000).fill(3));
  assert.deepEqual(Object.keys(await chunkSubjects(jsm)), [`$O.b.C.${v3.nuid}`], `v2 (${v2.nuid}) purged`);
  // the info as the leader has it (direct gets, of any handle, go to the lagging "replica")
  const current = async () => {
    const sm = await jsm.streams.getMessage("OBJ_b", { last_by_subj: "$O.b.M.bw==" });
    return JSON.parse(sm!.string());
  };
  // updating keeps v3's content, not the replica's v1
  await lagging.update("o", { description: "third" });
  const updated = await current();
  assert.deepEqual([updated.nuid, updated.size, updated.description], [v3.nuid, 100_000, "third"]);
  // deleting purges v3's chunks
  await lagging.delete("o");
  assert.deepEqual(await chunkSubjects(jsm), {});
  assert.equal((await current()).deleted, true);
});

Deno.test("obj stale - a get whose consumer sees fewer chunks than the info says tries again", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  await using side = await connect({ servers: srv.url });
  const js = jetstream(side);
  const os = await new Objm(nc).create("b", { storage: "memory" });
  // an object whose last two chunks are not stored yet, as on a replica still catching up
  const data = new Uint8Array(3 * 1000).map((_, i) => i & 0xff);
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  const digest = "SHA-256=" + btoa(String.fromCharCode(...d)).replaceAll("+", "-").replaceAll("/", "_");
  await js.publish("$O.b.C.lateNuid", data.subarray(0, 1000));
  const info = {
    name: "o",
    bucket: "b",
    nuid: "lateNuid",
    size: data.length,
    chunks: 3,
    digest,
    mtime: new Date().toISOString(),
    options: { max_chunk_size: 1000 },
  };
  await js.publish("$O.b.M.bw==", JSON.stringify(info));
  // the rest arrives once the first consumer gave up (its delete request is seen)
  let released: Promise<unknown> | undefined;
  side.subscribe("$JS.API.CONSUMER.DELETE.OBJ_b.>", {
    callback: () => {
      released ??= (async () => {
        await js.publish("$O.b.C.lateNuid", data.subarray(1000, 2000));
        await js.publish("$O.b.C.lateNuid", data.subarray(2000));
      })().catch((err) => err);
    },
  });
  await side.flush();
  const got = await os.getBlob("o").catch((err) => err);
  assert.ok(released, "the first attempt saw only one chunk");
  assert.equal(await released, undefined);
  assert.deepEqual(got, data);
});
