import assert from "node:assert/strict";
import { Sha256 } from "../wasm/sha256.ts";
import { createSha256, type IncrementalHash, type Sha256Implementation, sha256Implementation } from "../obj/mod.ts";
import { InvalidOperationError } from "../mod.ts";

const enc = new TextEncoder();

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function webDigest(data: Uint8Array<ArrayBuffer>): Promise<string> {
  return hex(new Uint8Array(await crypto.subtle.digest("SHA-256", data)));
}

// A small deterministic PRNG (mulberry32) so failures can be reproduced.
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBytes(rand: () => number, n: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (rand() * 256) | 0;
  return out;
}

// Both implementations the object store can use: the runtime's native hash and the WebAssembly one.
const implementations: [Sha256Implementation, () => IncrementalHash][] = [
  ["native", () => createSha256("native")],
  ["wasm", () => new Sha256()],
];

Deno.test("sha256 - Deno has the native hash, and the object store picks it", () => {
  assert.equal(sha256Implementation(), "native");
  const h = createSha256();
  assert.ok(!(h instanceof Sha256));
  assert.ok(createSha256("wasm") instanceof Sha256);
});

for (const [impl, hash] of implementations) {
  Deno.test(`sha256 (${impl}) - NIST vectors match the published digests and WebCrypto`, async () => {
    const million = new Uint8Array(1_000_000).fill(0x61);
    const vectors: [Uint8Array<ArrayBuffer>, string][] = [
      [new Uint8Array(0), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
      [enc.encode("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
      [
        enc.encode("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
      ],
      [million, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"],
    ];
    for (const [data, expected] of vectors) {
      assert.equal(hex(hash().update(data).digest()), expected);
      assert.equal(await webDigest(data), expected);
    }
    // The million 'a' fed one byte at a time for the first block boundaries, then in 1000-byte pieces.
    const h = hash();
    for (let i = 0; i < 200; i++) h.update(million.subarray(i, i + 1));
    for (let i = 200; i < million.length; i += 1000) h.update(million.subarray(i, Math.min(million.length, i + 1000)));
    assert.equal(hex(h.digest()), vectors[3][1]);
  });

  Deno.test(`sha256 (${impl}) - random lengths split at random points match WebCrypto`, async () => {
    const rand = prng(0x5eed);
    for (let len = 0; len <= 300; len++) {
      const data = randomBytes(rand, len);
      const expected = await webDigest(data);
      assert.equal(hex(hash().update(data).digest()), expected, `whole, len ${len}`);
      // Up to three random cut points, so pieces straddle the 64-byte block boundaries in every way.
      const cuts = [0, len, ...Array.from({ length: 3 }, () => Math.floor(rand() * (len + 1)))].sort((a, b) => a - b);
      const h = hash();
      for (let i = 1; i < cuts.length; i++) h.update(data.subarray(cuts[i - 1], cuts[i]));
      assert.equal(hex(h.digest()), expected, `len ${len} cut at ${cuts.join(",")}`);
    }
  });

  Deno.test(`sha256 (${impl}) - 20 MiB fed in odd-sized pieces matches WebCrypto`, async () => {
    const rand = prng(20);
    const data = new Uint8Array(20 * 1024 * 1024);
    for (let i = 0; i < data.length; i += 65536) crypto.getRandomValues(data.subarray(i, i + 65536));
    const expected = await webDigest(data);
    // Sizes from 1 byte to beyond the module's 256 KiB input window, so one update spans several calls.
    const sizes = [1, 7, 63, 65, 4093, 65537, 262143, 262145, 700001];
    const h = hash();
    for (let off = 0, k = 0; off < data.length; k++) {
      const n = sizes[(k + Math.floor(rand() * sizes.length)) % sizes.length];
      h.update(data.subarray(off, off + n));
      off += n;
    }
    assert.equal(hex(h.digest()), expected);
    assert.equal(hex(hash().update(data).digest()), expected);
  });

  Deno.test(`sha256 (${impl}) - instances are independent and a finished hash rejects more use`, () => {
    const a = hash().update(enc.encode("ab"));
    const b = hash().update(enc.encode("a"));
    b.update(enc.encode("bc"));
    a.update(enc.encode("c"));
    const da = hex(a.digest());
    assert.equal(da, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert.equal(hex(b.digest()), da);
    assert.throws(() => a.update(enc.encode("x")), InvalidOperationError);
    assert.throws(() => a.digest(), InvalidOperationError);
  });
}
