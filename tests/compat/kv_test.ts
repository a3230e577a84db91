/**
 * KV programs written for nats.js, run on nats.js 3.4 and on natsw against the same kind of
 * server: the README walk-through of `@nats-io/kv`, iterators with `stop()` and counters,
 * `Kvm.list()` pages, opening existing and missing buckets, timeouts and `rawKey`.
 */
import { Kvm as NjsKvm } from "@nats-io/kv";
import { Kvm as NwKvm } from "../../kv/mod.ts";
import { type CompatClient, type CompatConnection, compatTest } from "./harness.ts";

/** A KV entry as both clients give it. */
interface Entry {
  key: string;
  rawKey: string;
  revision: number;
  operation: "PUT" | "DEL" | "PURGE";
  string(): string;
}

/** An iterator with nats.js's `QueuedIterator` surface. */
interface Queued<T> extends AsyncIterable<T> {
  stop(err?: Error): void;
  getProcessed(): number;
}

/** The part of a bucket's API both clients share. */
interface Kv {
  put(key: string, value: string, opts?: { previousSeq?: number; timeout?: number }): Promise<number>;
  create(key: string, value: string): Promise<number>;
  update(key: string, value: string, revision: number, timeout?: number): Promise<number>;
  get(key: string): Promise<Entry | null>;
  delete(key: string): Promise<void>;
  purge(key: string): Promise<void>;
  keys(filter?: string | string[]): Promise<Queued<string>>;
  history(opts?: { key?: string | string[] }): Promise<Queued<Entry>>;
  watch(opts?: { key?: string }): Promise<AsyncIterable<Entry> & { stop(): void }>;
  status(): Promise<{ bucket: string; values: number; history: number; description: string }>;
  destroy(): Promise<boolean>;
}

/** The part of the manager's API both clients share. */
interface KvManager {
  create(name: string, opts?: Record<string, unknown>): Promise<Kv>;
  open(name: string, opts?: Record<string, unknown>): Promise<Kv>;
  list(): AsyncIterable<{ bucket: string }> & { next(): Promise<{ bucket: string }[]> };
}

/** The `Kvm` of `client`, over `nc`. */
function kvm(client: CompatClient, nc: CompatConnection): KvManager {
  const Kvm = client.name === "nats.js" ? NjsKvm : NwKvm;
  return new Kvm(nc as never) as unknown as KvManager;
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of it) out.push(v);
  return out;
}

const JS = { jetstream: true };

compatTest("kv README: create, watch, put, get, keys, history, delete, purge, destroy", async (client, srv) => {
  const nc = await client.connect({ servers: srv.hostport });
  const kv = await kvm(client, nc).create("testing", { history: 5 });
  const hw = await kv.create("hello.world", "hi");
  const watch = await kv.watch();
  const watched: string[] = [];
  let sawDelete: () => void = () => {};
  const deleted = new Promise<void>((resolve) => sawDelete = resolve);
  const watching = (async () => {
    for await (const e of watch) {
      watched.push(`${e.key} ${e.operation} ${e.string()}`);
      if (e.operation === "DEL") sawDelete();
      if (e.operation === "PURGE") break;
    }
  })();
  const put = await kv.put("hello.world", "world");
  const e = await kv.get("hello.world");
  const keys = await collect(await kv.keys());
  const history = (await collect(await kv.history({ key: "hello.world" }))).map((h) => `${h.operation} ${h.string()}`);
  await kv.delete("hello.world");
  await deleted; // the purge would roll the delete marker up before a slow watcher sees it
  await kv.purge("hello.world");
  await watching;
  watch.stop();
  const afterPurge = (await collect(await kv.history({ key: "hello.world" }))).map((h) => h.operation);
  const destroyed = await kv.destroy();
  await nc.close();
  return { hw, put, value: e?.string(), keys, history, watched, afterPurge, destroyed };
}, JS);

compatTest("kv keys() and history() are stoppable iterators that count what they handed over", async (client, srv) => {
  const nc = await client.connect({ servers: srv.hostport });
  const kv = await kvm(client, nc).create("iters", { history: 3 });
  for (const k of ["a", "b", "c"]) await kv.put(k, k);
  const keys = await kv.keys();
  let first = 0;
  for await (const _k of keys) {
    first++;
    break;
  }
  const history = await kv.history();
  const entries = (await collect(history)).length;
  const all = await kv.keys();
  const every = (await collect(all)).sort();
  all.stop(); // after the end: nothing happens
  await nc.close();
  return {
    first,
    keysProcessed: keys.getProcessed(),
    entries,
    historyProcessed: history.getProcessed(),
    every,
    processed: all.getProcessed(),
    stoppable: typeof keys.stop,
  };
}, JS);

compatTest("kv Kvm.list() is a Lister: next() gives a page, then an empty one", async (client, srv) => {
  const nc = await client.connect({ servers: srv.hostport });
  const m = kvm(client, nc);
  await m.create("one");
  await m.create("two");
  const lister = m.list();
  const page = (await lister.next()).map((s) => s.bucket).sort();
  const end = await lister.next();
  const iterated = (await collect(m.list())).map((s) => s.bucket).sort();
  await nc.close();
  return { page, end, iterated };
}, JS);

compatTest("kv create() of an existing bucket with other settings opens it as it is", async (client, srv) => {
  const nc = await client.connect({ servers: srv.hostport });
  const m = kvm(client, nc);
  await (await m.create("cfg", { history: 5, description: "first" })).put("k", "v");
  const again = await m.create("cfg", { history: 2, description: "second" });
  const s = await again.status();
  const value = (await again.get("k"))?.string();
  await nc.close();
  return { history: s.history, description: s.description, value };
}, JS);

compatTest("kv open() binds without the bucket existing; its reads fail until it is created", async (client, srv) => {
  const nc = await client.connect({ servers: srv.hostport });
  const m = kvm(client, nc);
  const early = await m.open("later", { allow_direct: false, timeout: 2000 });
  const missing = await early.get("k").then(() => "resolved", () => "rejected");
  await (await m.create("later")).put("k", "v");
  const value = (await early.get("k"))?.string();
  await nc.close();
  return { missing, value };
}, JS);

compatTest("kv put() and update() take a timeout; update() checks the revision", async (client, srv) => {
  const nc = await client.connect({ servers: srv.hostport });
  const kv = await kvm(client, nc).create("timed", { timeout: 2000 });
  const first = await kv.put("k", "v1", { timeout: 1000 });
  const second = await kv.update("k", "v2", first, 1000);
  const stale = await kv.update("k", "v3", first, 1000).then(() => "stored", () => "refused");
  const e = await kv.get("k");
  await nc.close();
  return { first, second, stale, value: e?.string(), rawKey: e?.rawKey, revision: e?.revision };
}, JS);
