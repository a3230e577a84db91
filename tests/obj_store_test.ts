import assert from "node:assert/strict";
import { connect, headers, InvalidOperationError, type NatsConnection } from "../mod.ts";
import { jetstreamManager } from "../jetstream/mod.ts";
import {
  BucketNotFoundError,
  InvalidBucketNameError,
  InvalidObjectNameError,
  ObjectExistsError,
  ObjectNotFoundError,
  type ObjectStore,
  ObjectStoreSealedError,
  Objm,
} from "../obj/mod.ts";
import { NatsServer } from "./helpers/server.ts";

/** Deterministic pseudo-random bytes. */
function bytes(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13, x ^= x >>> 17, x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

async function sha256Digest(data: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", data as Uint8Array<ArrayBuffer>));
  return "SHA-256=" + btoa(String.fromCharCode(...d)).replaceAll("+", "-").replaceAll("/", "_");
}

/** A stream of `data` in pieces of `piece` bytes. */
function streamOf(data: Uint8Array, piece: number): ReadableStream<Uint8Array> {
  let off = 0;
  return new ReadableStream({
    pull(c) {
      if (off >= data.length) return c.close();
      c.enqueue(data.slice(off, off + piece));
      off += piece;
    },
  });
}

async function readAll(rs: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const p of rs) parts.push(p);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) out.set(p, off), off += p.length;
  return out;
}

async function withStore(
  fn: (os: ObjectStore, nc: NatsConnection, objm: Objm) => Promise<void>,
): Promise<void> {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const objm = new Objm(nc);
  const os = await objm.create("files", { storage: "memory" });
  await fn(os, nc, objm);
}

Deno.test("obj - sizes around the chunk boundary round-trip with the right info", async () => {
  await withStore(async (os) => {
    const cs = 1024;
    for (const n of [0, 1, cs - 1, cs, cs + 1, 3 * cs, 3 * cs + 7]) {
      const data = bytes(n, n + 3);
      const info = await os.putBlob({ name: `o${n}`, options: { max_chunk_size: cs } }, data);
      assert.equal(info.size, n);
      assert.equal(info.chunks, Math.ceil(n / cs));
      assert.equal(info.digest, await sha256Digest(data));
      assert.equal(info.options?.max_chunk_size, cs);
      const got = await os.getBlob(`o${n}`);
      assert.deepEqual(got, data);
      const i2 = await os.info(`o${n}`);
      assert.equal(i2?.digest, info.digest);
      assert.equal(i2?.revision, info.revision);
      assert.ok(i2 && Math.abs(Date.parse(i2.mtime) - Date.now()) < 60_000);
    }
  });
});

Deno.test("obj - default chunk size is 128 KiB and a 20 MiB object streams both ways", async () => {
  await withStore(async (os) => {
    const data = bytes(20 * 1024 * 1024 + 5, 7);
    const info = await os.put({ name: "big" }, streamOf(data, 100_003));
    assert.equal(info.options?.max_chunk_size, 128 * 1024);
    assert.equal(info.chunks, Math.ceil(data.length / (128 * 1024)));
    assert.equal(info.digest, await sha256Digest(data));
    const r = await os.get("big");
    assert.ok(r);
    assert.equal(r.info.size, data.length);
    const got = await readAll(r.data);
    assert.equal(await r.error, null);
    assert.equal(got.length, data.length);
    assert.ok(got.every((b, i) => b === data[i]));
    const exact = bytes(128 * 1024, 9);
    const e = await os.put({ name: "exact" }, streamOf(exact, 128 * 1024));
    assert.equal(e.chunks, 1);
    assert.deepEqual(await os.getBlob("exact"), exact);
  });
});

Deno.test("obj - an empty object from a null stream", async () => {
  await withStore(async (os) => {
    const info = await os.put({ name: "empty" }, null);
    assert.equal(info.size, 0);
    assert.equal(info.chunks, 0);
    assert.equal(info.digest, await sha256Digest(new Uint8Array(0)));
    const r = await os.get("empty");
    assert.ok(r);
    assert.equal((await readAll(r.data)).length, 0);
    assert.equal(await r.error, null);
  });
});

Deno.test("obj - description, headers and metadata are stored and updated", async () => {
  await withStore(async (os) => {
    const h = headers();
    h.append("Content-Type", "text/plain");
    h.append("X-Tag", "a");
    h.append("X-Tag", "b");
    await os.putBlob(
      { name: "doc", description: "a doc", headers: h, metadata: { owner: "ops" } },
      new TextEncoder().encode("text"),
    );
    const info = await os.info("doc");
    assert.equal(info?.description, "a doc");
    assert.equal(info?.headers?.get("Content-Type"), "text/plain");
    assert.deepEqual(info?.headers?.values("X-Tag"), ["a", "b"]);
    assert.deepEqual(info?.metadata, { owner: "ops" });
    await os.update("doc", { description: "new", metadata: { owner: "dev" } });
    const u = await os.info("doc");
    assert.equal(u?.description, "new");
    assert.deepEqual(u?.metadata, { owner: "dev" });
    assert.equal(u?.headers?.get("Content-Type"), "text/plain");
    assert.equal(u?.digest, info?.digest);
  });
});

Deno.test("obj - update renames an object and refuses to overwrite a live one", async () => {
  await withStore(async (os) => {
    const data = bytes(5000, 2);
    await os.putBlob({ name: "a", options: { max_chunk_size: 1000 } }, data);
    await os.putBlob({ name: "b" }, bytes(10));
    await assert.rejects(() => os.update("a", { name: "b" }), ObjectExistsError);
    await os.update("a", { name: "c" });
    assert.equal(await os.info("a"), null);
    assert.equal(await os.info("a", { show_deleted: true }), null);
    assert.deepEqual(await os.getBlob("c"), data);
    await assert.rejects(() => os.update("missing", { name: "x" }), ObjectNotFoundError);
    assert.deepEqual((await os.list()).map((i) => i.name).sort(), ["b", "c"]);
  });
});

Deno.test("obj - delete purges chunks, hides the object and a re-put works", async () => {
  await withStore(async (os) => {
    await os.putBlob({ name: "x", options: { max_chunk_size: 100 } }, bytes(1000));
    const r = await os.delete("x");
    assert.equal(r.purged, 10);
    assert.equal(await os.info("x"), null);
    assert.equal(await os.get("x"), null);
    assert.equal(await os.getBlob("x"), null);
    const d = await os.info("x", { show_deleted: true });
    assert.equal(d?.deleted, true);
    assert.equal(d?.size, 0);
    assert.equal((await os.delete("x")).purged, 0);
    assert.deepEqual(await os.delete("never"), { success: false, purged: 0 });
    assert.deepEqual(await os.list(), []);
    const again = bytes(300, 5);
    await os.putBlob({ name: "x" }, again);
    assert.deepEqual(await os.getBlob("x"), again);
  });
});

Deno.test("obj - replacing an object purges the old chunks", async () => {
  await withStore(async (os, nc) => {
    await os.putBlob({ name: "r", options: { max_chunk_size: 100 } }, bytes(1000, 1));
    const v2 = bytes(250, 2);
    await os.putBlob({ name: "r", options: { max_chunk_size: 100 } }, v2);
    const jsm = await jetstreamManager(nc);
    const si = await jsm.streams.info("OBJ_files");
    assert.equal(si.state.messages, 3 + 1);
    assert.deepEqual(await os.getBlob("r"), v2);
  });
});

Deno.test("obj - links to objects in the same and another bucket are followed", async () => {
  await withStore(async (os, _nc, objm) => {
    const other = await objm.create("other", { storage: "memory" });
    const data = bytes(3000, 4);
    const target = await other.putBlob({ name: "t", options: { max_chunk_size: 512 } }, data);
    const local = await os.putBlob({ name: "l" }, bytes(10, 8));
    const link = await os.link("to-other", target);
    assert.deepEqual(link.options?.link, { bucket: "other", name: "t" });
    assert.deepEqual(await os.getBlob("to-other"), data);
    await os.link("to-local", local);
    assert.deepEqual(await os.getBlob("to-local"), bytes(10, 8));
    const r = await os.get("to-other");
    assert.equal(r?.info.name, "t");
    await r?.data.cancel();
    // a link to a link or to a deleted object is refused; a live object cannot be overwritten
    const li = await os.info("to-local");
    assert.ok(li);
    await assert.rejects(() => os.link("x", li), InvalidOperationError);
    await assert.rejects(() => os.link("l", target), ObjectExistsError);
    await os.link("to-local", target);
    assert.deepEqual(await os.getBlob("to-local"), data);
    // bucket links
    const bl = await os.linkStore("dir", other);
    assert.deepEqual(bl.options?.link, { bucket: "other" });
    await assert.rejects(() => os.get("dir"), InvalidOperationError);
    await other.delete("t");
    const deleted = await other.info("t", { show_deleted: true });
    assert.ok(deleted);
    await assert.rejects(() => os.link("y", deleted), InvalidOperationError);
  });
});

Deno.test("obj - watch reports current infos then updates and deletes", async () => {
  await withStore(async (os) => {
    await os.putBlob({ name: "a" }, bytes(10));
    await os.putBlob({ name: "b" }, bytes(10));
    const w = await os.watch();
    const it = w[Symbol.asyncIterator]();
    const first = [(await it.next()).value, (await it.next()).value];
    assert.deepEqual(first.map((i) => [i.name, i.isUpdate]), [["a", false], ["b", false]]);
    await os.putBlob({ name: "c" }, bytes(10));
    await os.delete("a");
    const c = (await it.next()).value;
    assert.deepEqual([c.name, c.isUpdate, c.deleted], ["c", true, false]);
    const a = (await it.next()).value;
    assert.deepEqual([a.name, a.isUpdate, a.deleted], ["a", true, true]);
    await w.stop();
    assert.equal((await it.next()).done, true);

    // rollups leave one info per name; deletes are skipped when asked
    const quiet = await os.watch({ ignoreDeletes: true, includeHistory: true });
    const qi = quiet[Symbol.asyncIterator]();
    assert.deepEqual([(await qi.next()).value.name, (await qi.next()).value.name], ["b", "c"]);
    await os.delete("b");
    await os.putBlob({ name: "d" }, bytes(1));
    const d = (await qi.next()).value;
    assert.deepEqual([d.name, d.isUpdate], ["d", true]);
    await quiet.stop();
  });
});

Deno.test("obj - a sealed bucket refuses changes with ObjectStoreSealedError", async () => {
  await withStore(async (os) => {
    await os.putBlob({ name: "kept" }, bytes(100));
    const st = await os.seal();
    assert.equal(st.sealed, true);
    assert.equal((await os.status()).sealed, true);
    await assert.rejects(() => os.putBlob({ name: "new" }, bytes(100)), ObjectStoreSealedError);
    await assert.rejects(() => os.put({ name: "empty" }, null), ObjectStoreSealedError);
    await assert.rejects(() => os.delete("kept"), ObjectStoreSealedError);
    await assert.rejects(() => os.update("kept", { description: "x" }), ObjectStoreSealedError);
    assert.deepEqual(await os.getBlob("kept"), bytes(100));
  });
});

Deno.test("obj - bucket management, status and typed errors for bad names and missing buckets", async () => {
  await withStore(async (os, nc, objm) => {
    await assert.rejects(() => objm.create("bad.name"), InvalidBucketNameError);
    await assert.rejects(() => objm.open("nope"), BucketNotFoundError);
    await assert.rejects(() => os.putBlob({ name: "" }, bytes(1)), InvalidObjectNameError);
    await assert.rejects(() => os.info(""), InvalidObjectNameError);
    await objm.create("second", { description: "d", metadata: { team: "x" }, compression: true, storage: "memory" });
    const names: string[] = [];
    for await (const n of objm.names()) names.push(n);
    assert.deepEqual(names.sort(), ["files", "second"]);
    const statuses = [];
    for await (const s of objm.list()) statuses.push(s);
    const second = statuses.find((s) => s.bucket === "second");
    assert.equal(second?.description, "d");
    assert.deepEqual(second?.metadata, { team: "x" });
    assert.equal(second?.compression, true);
    assert.equal(second?.backingStore, "JetStream");
    const jsm = await jetstreamManager(nc);
    const cfg = (await jsm.streams.info("OBJ_files")).config;
    assert.deepEqual(cfg.subjects, ["$O.files.C.>", "$O.files.M.>"]);
    assert.equal(cfg.allow_rollup_hdrs, true);
    assert.equal(cfg.allow_direct, true);
    assert.equal(cfg.discard, "new");
    await os.putBlob({ name: "n" }, bytes(1000));
    assert.ok((await os.status()).size > 1000);
    assert.equal(await os.destroy(), true);
    await assert.rejects(() => os.status(), BucketNotFoundError);
    await assert.rejects(() => os.putBlob({ name: "after" }, bytes(10)), BucketNotFoundError);
    await assert.rejects(() => objm.open("files"), BucketNotFoundError);
  });
});
