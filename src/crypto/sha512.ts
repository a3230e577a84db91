/**
 * SHA-512 (FIPS 180-4), synchronous, for Ed25519 signatures (WebCrypto only digests
 * asynchronously). The round constants are derived at first use from their definition (the
 * fractional parts of the cube and square roots of the first primes).
 *
 * @module
 */

const MASK = (1n << 64n) - 1n;

/** The first `n` primes. */
function primes(n: number): number[] {
  const out: number[] = [];
  for (let c = 2; out.length < n; c++) if (out.every((p) => c % p !== 0)) out.push(c);
  return out;
}

/** ⌊n^(1/k)⌋ by Newton's method. */
function iroot(n: bigint, k: bigint): bigint {
  let x = 1n << (BigInt(n.toString(2).length) / k + 1n);
  for (;;) {
    const y = ((k - 1n) * x + n / x ** (k - 1n)) / k;
    if (y >= x) return x;
    x = y;
  }
}

let tables: { k: bigint[]; h: bigint[] } | undefined;

/** The 80 round constants and the 8 initial hash words. */
function constants(): { k: bigint[]; h: bigint[] } {
  if (!tables) {
    const ps = primes(80);
    tables = {
      k: ps.map((p) => iroot(BigInt(p) << 192n, 3n) & MASK),
      h: ps.slice(0, 8).map((p) => iroot(BigInt(p) << 128n, 2n) & MASK),
    };
  }
  return tables;
}

function rotr(x: bigint, n: bigint): bigint {
  return ((x >> n) | (x << (64n - n))) & MASK;
}

/**
 * The SHA-512 digest (64 bytes) of `data`.
 *
 * @example
 * ```ts
 * import { sha512 } from "./sha512.ts";
 * console.log(sha512(new TextEncoder().encode("abc")).length); // 64
 * ```
 */
export function sha512(data: Uint8Array): Uint8Array {
  const { k, h: h0 } = constants();
  const blocks = Math.ceil((data.length + 17) / 128);
  const buf = new Uint8Array(blocks * 128);
  buf.set(data);
  buf[data.length] = 0x80;
  const view = new DataView(buf.buffer);
  const bits = BigInt(data.length) * 8n;
  view.setBigUint64(buf.length - 16, bits >> 64n);
  view.setBigUint64(buf.length - 8, bits & MASK);
  const h = [...h0];
  const w = new Array<bigint>(80);
  for (let off = 0; off < buf.length; off += 128) {
    for (let t = 0; t < 16; t++) w[t] = view.getBigUint64(off + t * 8);
    for (let t = 16; t < 80; t++) {
      const s0 = rotr(w[t - 15], 1n) ^ rotr(w[t - 15], 8n) ^ (w[t - 15] >> 7n);
      const s1 = rotr(w[t - 2], 19n) ^ rotr(w[t - 2], 61n) ^ (w[t - 2] >> 6n);
      w[t] = (w[t - 16] + s0 + w[t - 7] + s1) & MASK;
    }
    let [a, b, c, d, e, f, g, hh] = h;
    for (let t = 0; t < 80; t++) {
      const s1 = rotr(e, 14n) ^ rotr(e, 18n) ^ rotr(e, 41n);
      const ch = (e & f) ^ ((e ^ MASK) & g);
      const t1 = (hh + s1 + ch + k[t] + w[t]) & MASK;
      const s0 = rotr(a, 28n) ^ rotr(a, 34n) ^ rotr(a, 39n);
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (s0 + maj) & MASK;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) & MASK;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) & MASK;
    }
    h[0] = (h[0] + a) & MASK;
    h[1] = (h[1] + b) & MASK;
    h[2] = (h[2] + c) & MASK;
    h[3] = (h[3] + d) & MASK;
    h[4] = (h[4] + e) & MASK;
    h[5] = (h[5] + f) & MASK;
    h[6] = (h[6] + g) & MASK;
    h[7] = (h[7] + hh) & MASK;
  }
  const out = new Uint8Array(64);
  const ov = new DataView(out.buffer);
  h.forEach((v, i) => ov.setBigUint64(i * 8, v));
  return out;
}
