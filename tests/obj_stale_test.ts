import assert from "node:assert/strict";
import { connect, headers } from "../mod.ts";
import { jetstreamManager } from "../jetstream/mod.ts";
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
