/**
 * Object store programs written for nats.js, run on nats.js 3.4 and on natsw against the same
 * kind of server: the README walk-through of `@nats-io/obj`, creating a bucket that exists,
 * deleting a missing object, `status(opts)` and `Objm.list()` pages.
 */
import { Objm as NjsObjm } from "@nats-io/obj";
import { Objm as NwObjm } from "../../obj/mod.ts";
import { type CompatClient, type CompatConnection, compatTest } from "./harness.ts";

/** An object's info as both clients give it. */
interface Info {
  name: string;
  size: number;
  chunks: number;
  deleted: boolean;
  description?: string;
}

/** The part of a bucket's API both clients share. */
interface Store {
  put(
    meta: { name: string; description?: string; options?: { max_chunk_size?: number } },
    rs: ReadableStream<Uint8Array>,
  ): Promise<Info>;
  get(name: string): Promise<{ info: Info; data: ReadableStream<Uint8Array>; error: Promise<Error | null> } | null>;
  delete(name: string): Promise<{ success: boolean; purged: number }>;
  list(): Promise<Info[]>;
  watch(): Promise<AsyncIterable<Info | null> & { stop(): void }>;
  status(opts?: { subjects_filter?: string }): Promise<{
    bucket: string;
    description: string;
    size: number;
    sealed: boolean;
    streamInfo: { state: { subjects?: Record<string, number> } };
  }>;
  seal(): Promise<{ bucket: string; sealed: boolean }>;
  destroy(): Promise<boolean>;
}

/** The part of the manager's API both clients share. */
interface StoreManager {
  create(name: string, opts?: Record<string, unknown>): Promise<Store>;
  list(): AsyncIterable<{ bucket: string }> & { next(): Promise<{ bucket: string }[]> };
}

/** The `Objm` of `client`, over `nc`. */
function objm(client: CompatClient, nc: CompatConnection): StoreManager {
  const Objm = client.name === "nats.js" ? NjsObjm : NwObjm;
  return new Objm(nc as never) as unknown as StoreManager;
}

/** A stream of `data` in one piece (as the README builds it). */
function readableStreamFrom(data: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(data);
      controller.close();
    },
  });
}

async function readAll(rs: ReadableStream<Uint8Array>): Promise<string> {
  const parts: Uint8Array[] = [];
  const reader = rs.getReader();
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    if (value?.length) parts.push(value);
  }
  return new TextDecoder().decode(new Uint8Array(parts.flatMap((p) => [...p])));
}

const JS = { jetstream: true };

compatTest("obj README: create, watch, put in 1-byte chunks, get, list, status, seal, destroy", async (client, srv) => {
  const nc = await client.connect({ servers: srv.hostport });
  const os = await objm(client, nc).create("testing", { storage: "file" });
  const before = await os.get("hello");
  const watch = await os.watch();
  const watched = (async () => {
    for await (const i of watch) {
      if (i === null) continue; // nats.js marks the end of the initial values with a null
      return `${i.name} deleted: ${i.deleted}`;
    }
  })();
  const info = await os.put(
    { name: "hello", description: "first entry", options: { max_chunk_size: 1 } },
    readableStreamFrom(new TextEncoder().encode("hello world")),
  );
  const r = await os.get("hello");
  const content = r ? await readAll(r.data) : "";
  // nats.js 3.4 resolves `error` with undefined after a good read, natsw with null: both mean no error
  const error = (await r?.error) ?? null;
  const seen = await watched;
  watch.stop();
  const list = (await os.list()).map((i) => i.name);
  const status = await os.status();
  const sealed = await os.seal();
  const destroyed = await os.destroy();
  await nc.close();
  return {
    before,
    info: { name: info.name, size: info.size, chunks: info.chunks, deleted: info.deleted },
    content,
    error,
    seen,
    list,
    status: { bucket: status.bucket, hasBytes: status.size > 0 },
    sealed: { bucket: sealed.bucket, sealed: sealed.sealed },
    destroyed,
  };
}, JS);

compatTest("obj create() of an existing bucket with other settings opens it as it is", async (client, srv) => {
  const nc = await client.connect({ servers: srv.hostport });
  const m = objm(client, nc);
  await m.create("files", { description: "first" });
  const again = await m.create("files", { description: "second" });
  const status = await again.status();
  await nc.close();
  return status.description;
}, JS);

compatTest("obj delete() of a missing object resolves without success", async (client, srv) => {
  const nc = await client.connect({ servers: srv.hostport });
  const os = await objm(client, nc).create("files");
  const missing = await os.delete("never");
  await os.put({ name: "x" }, readableStreamFrom(new Uint8Array(5)));
  // nats.js hands over the server's purge answer as it is (with its `type`)
  const { success, purged } = await os.delete("x");
  await nc.close();
  return { missing, present: { success, purged } };
}, JS);

compatTest("obj status(opts) passes the stream info options; Objm.list() is a Lister", async (client, srv) => {
  const nc = await client.connect({ servers: srv.hostport });
  const m = objm(client, nc);
  const os = await m.create("files");
  await os.put({ name: "a" }, readableStreamFrom(new Uint8Array(5)));
  await os.put({ name: "b" }, readableStreamFrom(new Uint8Array(5)));
  const status = await os.status({ subjects_filter: "$O.files.M.>" });
  await m.create("more");
  const lister = m.list();
  const page = (await lister.next()).map((s) => s.bucket).sort();
  const end = await lister.next();
  await nc.close();
  return { metaSubjects: Object.keys(status.streamInfo.state.subjects ?? {}).length, page, end };
}, JS);
