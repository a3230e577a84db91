import assert from "node:assert/strict";
import { connect, ConnectionError, InvalidArgumentError, type NatsConnection, type Status } from "../mod.ts";
import { jetstream, type JetStreamManager, jetstreamManager } from "../jetstream/mod.ts";
import { Objm } from "../obj/mod.ts";
import { NatsServer } from "./helpers/server.ts";
import { waitFor } from "./helpers/util.ts";

const fast = { reconnectTimeWait: 50, reconnectJitter: 10, maxReconnectAttempts: -1 };
const CHUNK = 128 * 1024;

function watch(nc: NatsConnection): Status[] {
  const events: Status[] = [];
  (async () => {
    for await (const s of nc.status()) events.push(s);
  })();
  return events;
}

/** Chunk subjects of bucket `b` and their message counts. */
async function chunkSubjects(jsm: JetStreamManager): Promise<Record<string, number>> {
  const si = await jsm.streams.info("OBJ_b", { subjects_filter: "$O.b.C.>" });
  return si.state.subjects ?? {};
}

/**
 * A source of `total` chunks that stops after `first` of them until `resume()` is called, so the
 * put is known to be in the middle of its upload.
 */
function pausingSource(first: number, total: number) {
  let sent = 0;
  let resume!: () => void;
  const resumed = new Promise<void>((r) => resume = r);
  const stream = new ReadableStream<Uint8Array>({
    async pull(c) {
      if (sent === first) await resumed;
      if (sent === total) return c.close();
      c.enqueue(new Uint8Array(CHUNK).fill(sent++ & 0xff));
    },
  });
  return { stream, resume, sent: () => sent };
}

Deno.test("obj orphans - a put cut by a server crash fails typed; its chunks are purged after the reconnect", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url, ...fast });
  const events = watch(nc);
  const jsm = await jetstreamManager(nc);
  const os = await new Objm(nc).create("b");
  const src = pausingSource(40, 80); // 5 MiB stored, then the crash, 10 MiB wanted
  const put = os.put({ name: "big" }, src.stream);
  const failed = assert.rejects(put, ConnectionError);
  await waitFor(async () => (await jsm.streams.info("OBJ_b")).state.messages === 40, "the first 5 MiB stored");
  await srv.kill();
  await waitFor(() => events.some((e) => e.type === "disconnect"), "disconnect");
  src.resume(); // the next chunk cannot be sent: the put fails while disconnected
  await failed;
  await srv.restart(); // same port, same store: the 40 chunks are still there
  await waitFor(() => events.some((e) => e.type === "reconnect"), "reconnect");
  await waitFor(async () => Object.keys(await chunkSubjects(jsm)).length === 0, "chunks purged after the reconnect");
  const si = await jsm.streams.info("OBJ_b");
  assert.equal(si.state.messages, 0, "no chunk and no info of the failed put");
  assert.equal(await os.info("big"), null);
  // the bucket works as before
  await os.putBlob({ name: "small" }, new Uint8Array(3 * CHUNK));
  assert.equal((await os.getBlob("small"))?.length, 3 * CHUNK);
});

Deno.test("obj orphans - a put cut by a forced reconnect with chunks in flight leaves no chunk behind", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url, ...fast });
  const events = watch(nc);
  const jsm = await jetstreamManager(nc);
  const os = await new Objm(nc).create("b", { storage: "memory" });
  const src = pausingSource(24, 80);
  const put = os.put({ name: "big" }, src.stream);
  const failed = assert.rejects(put, ConnectionError);
  await waitFor(() => src.sent() === 24, "24 chunks handed to the put");
  // up to 16 chunk publishes still await their acks (the window) when the connection drops
  await nc.reconnect();
  src.resume(); // the put goes on while disconnected, and fails
  await failed;
  await waitFor(() => events.some((e) => e.type === "reconnect"), "reconnect");
  await waitFor(async () => Object.keys(await chunkSubjects(jsm)).length === 0, "chunks purged after the reconnect");
  assert.equal((await jsm.streams.info("OBJ_b")).state.messages, 0);
});

Deno.test("obj orphans - collectOrphans purges chunk subjects no live info points at, and only those", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  const os = await new Objm(nc).create("b", { storage: "memory" });
  const kept = await os.putBlob({ name: "kept" }, new Uint8Array(2 * CHUNK + 5).fill(7));
  const gone = await os.putBlob({ name: "gone" }, new Uint8Array(CHUNK).fill(8));
  await os.link("alias", kept);
  // orphans: chunks with no info at all, and chunks left under a deleted object's nuid
  for (let i = 0; i < 3; i++) await js.publish("$O.b.C.orphanNuid1", new Uint8Array(1000).fill(i));
  await os.delete("gone");
  await js.publish(`$O.b.C.${gone.nuid}`, new Uint8Array(10));

  assert.deepEqual(await os.collectOrphans(), [], "fresh chunks may belong to a put in progress: left alone");
  await assert.rejects(() => os.collectOrphans({ minAge: -1 }), InvalidArgumentError);

  const removed = await os.collectOrphans({ minAge: 0 });
  assert.deepEqual(
    removed,
    [
      { nuid: gone.nuid, subject: `$O.b.C.${gone.nuid}`, purged: 1 },
      { nuid: "orphanNuid1", subject: "$O.b.C.orphanNuid1", purged: 3 },
    ].sort((a, b) => a.subject < b.subject ? -1 : 1),
  );
  assert.deepEqual(await chunkSubjects(jsm), { [`$O.b.C.${kept.nuid}`]: 3 }, "only the live object's chunks stay");
  assert.deepEqual(await os.getBlob("kept"), new Uint8Array(2 * CHUNK + 5).fill(7));
  assert.deepEqual(await os.getBlob("alias"), new Uint8Array(2 * CHUNK + 5).fill(7));
  assert.deepEqual(await os.collectOrphans({ minAge: 0 }), [], "nothing left to collect");
});
