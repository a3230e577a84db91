import assert from "node:assert/strict";
import { connect, type NatsConnection } from "../mod.ts";
import { Kvm } from "../kv/mod.ts";
import { Objm } from "../obj/mod.ts";
import { NatsServer } from "./helpers/server.ts";
import { waitFor } from "./helpers/util.ts";

/** The pull requests sent for consumers of `stream`, as seen by another connection. */
function pulls(nc: NatsConnection, stream: string): { idle_heartbeat?: number }[] {
  const seen: { idle_heartbeat?: number }[] = [];
  nc.subscribe(`$JS.API.CONSUMER.MSG.NEXT.${stream}.>`, { callback: (_e, m) => seen.push(m.json()) });
  return seen;
}

// The ordered consumers behind watchers and reads are R1 and in memory: when their server goes
// away only missed heartbeats tell, after two intervals. The consume default (15 s) let a KV
// watcher stall for 30 s in the soak, long enough for the history limit to roll revisions out
// before it resumed; they ask for 5 s, as nats.go's ordered consumers do.
Deno.test("watch heartbeat - KV watchers and object store watches and reads ask for 5 s heartbeats", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  await using spy = await connect({ servers: srv.url });
  const kvPulls = pulls(spy, "KV_w");
  const objPulls = pulls(spy, "OBJ_o");
  await spy.flush();

  const kv = await new Kvm(nc).create("w");
  await kv.put("k", "v");
  const w = await kv.watch();
  await waitFor(() => kvPulls.length > 0, "the watcher's pull");
  await w.stop();
  assert.deepEqual(kvPulls.map((p) => p.idle_heartbeat), kvPulls.map(() => 5e9));

  const os = await new Objm(nc).create("o", { storage: "memory" });
  await os.putBlob({ name: "x" }, new Uint8Array(10));
  assert.equal((await os.getBlob("x"))?.length, 10);
  const ow = await os.watch();
  await os.list();
  await waitFor(() => objPulls.length >= 3, "the read's, the watch's and the list's pulls");
  await ow.stop();
  assert.deepEqual(objPulls.map((p) => p.idle_heartbeat), objPulls.map(() => 5e9));
});
