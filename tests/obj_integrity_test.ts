import assert from "node:assert/strict";
import { connect } from "../mod.ts";
import { jetstream, jetstreamManager } from "../jetstream/mod.ts";
import { DigestMismatchError, ObjectSizeMismatchError, Objm, Sha256 } from "../obj/mod.ts";
import { NatsServer } from "./helpers/server.ts";

function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed * 7 + (i >> 8)) & 0xff;
  return out;
}

Deno.test("obj integrity - the WASM SHA-256 matches WebCrypto for any split of the input", async () => {
  for (const n of [0, 1, 55, 56, 63, 64, 65, 127, 128, 1000, 262_143, 262_144, 262_145, 600_001]) {
    const data = bytes(n, n);
    const want = new Uint8Array(await crypto.subtle.digest("SHA-256", data as Uint8Array<ArrayBuffer>));
    const h = new Sha256();
    for (let off = 0, step = 1; off < n; step = step * 3 + 5) {
      h.update(data.subarray(off, Math.min(n, off + step)));
      off += step;
    }
    assert.deepEqual(h.digest(), want, `size ${n}`);
    assert.deepEqual(new Sha256().update(data).digest(), want);
  }
});

Deno.test("obj integrity - a missing chunk is reported as ObjectSizeMismatchError", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const os = await new Objm(nc).create("cut", { storage: "memory" });
  await os.putBlob({ name: "o", options: { max_chunk_size: 100 } }, bytes(500, 1));
  const jsm = await jetstreamManager(nc);
  assert.equal(await jsm.streams.deleteMessage("OBJ_cut", 3), true);
  const r = await os.get("o");
  assert.ok(r);
  await assert.rejects(async () => {
    for await (const _ of r.data) { /* drain */ }
  }, ObjectSizeMismatchError);
  const err = await r.error;
  assert.ok(err instanceof ObjectSizeMismatchError);
  assert.deepEqual(err.expected, { chunks: 5, size: 500 });
  assert.equal(err.actual.chunks, 4);
  await assert.rejects(() => os.getBlob("o"), ObjectSizeMismatchError);
  // the last chunk missing too
  await os.putBlob({ name: "p", options: { max_chunk_size: 100 } }, bytes(250, 2));
  const last = (await jsm.streams.info("OBJ_cut")).state.last_seq - 1;
  await jsm.streams.deleteMessage("OBJ_cut", last);
  await assert.rejects(() => os.getBlob("p"), ObjectSizeMismatchError);
});

Deno.test("obj integrity - a replaced chunk is reported as DigestMismatchError", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const os = await new Objm(nc).create("bad", { storage: "memory" });
  const info = await os.putBlob({ name: "o", options: { max_chunk_size: 100 } }, bytes(500, 3));
  const jsm = await jetstreamManager(nc);
  // same chunk count and size, different bytes: only the digest can tell
  await jsm.streams.deleteMessage("OBJ_bad", 2);
  await jetstream(nc).publish(`$O.bad.C.${info.nuid}`, new Uint8Array(100).fill(0x55));
  const r = await os.get("o");
  assert.ok(r);
  const reader = r.data.getReader();
  await assert.rejects(async () => {
    while (!(await reader.read()).done) { /* drain */ }
  }, DigestMismatchError);
  const err = await r.error;
  assert.ok(err instanceof DigestMismatchError);
  assert.equal(err.expected, info.digest);
  assert.notEqual(err.actual, info.digest);
  assert.equal(err.objectName, "o");
  await assert.rejects(() => os.getBlob("o"), DigestMismatchError);
});
