/**
 * NaCl's `crypto_box` (Curve25519, XSalsa20, Poly1305) in the layout TweetNaCl gives it: the
 * 16-byte authenticator, then the ciphertext. NKey curve keys seal and open messages with it.
 *
 * @module
 */
import { fromLE, toLE } from "./field25519.ts";
import { x25519 } from "./x25519.ts";

/** "expand 32-byte k" as four little-endian words. */
const SIGMA = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574];

/** Column and row quarter-rounds of Salsa20, as index quadruples. */
const QUARTERS = [
  [0, 4, 8, 12],
  [5, 9, 13, 1],
  [10, 14, 2, 6],
  [15, 3, 7, 11],
  [0, 1, 2, 3],
  [5, 6, 7, 4],
  [10, 11, 8, 9],
  [15, 12, 13, 14],
];

function word(b: Uint8Array, i: number): number {
  return (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
}

/** The Salsa20 input block for a 32-byte `key` and 16 bytes of `input` (nonce and counter). */
function block(key: Uint8Array, input: Uint8Array): Uint32Array {
  const x = new Uint32Array(16);
  x[0] = SIGMA[0];
  x[5] = SIGMA[1];
  x[10] = SIGMA[2];
  x[15] = SIGMA[3];
  for (let i = 0; i < 4; i++) {
    x[1 + i] = word(key, i * 4);
    x[11 + i] = word(key, 16 + i * 4);
    x[6 + i] = word(input, i * 4);
  }
  return x;
}

/** 20 rounds over `x` in place. */
function rounds(x: Uint32Array): void {
  const rotl = (v: number, n: number) => (v << n) | (v >>> (32 - n));
  for (let r = 0; r < 10; r++) {
    for (const [a, b, c, d] of QUARTERS) {
      x[b] ^= rotl((x[a] + x[d]) | 0, 7);
      x[c] ^= rotl((x[b] + x[a]) | 0, 9);
      x[d] ^= rotl((x[c] + x[b]) | 0, 13);
      x[a] ^= rotl((x[d] + x[c]) | 0, 18);
    }
  }
}

/** HSalsa20: a 32-byte subkey from `key` and 16 bytes of `input`. */
function hsalsa20(key: Uint8Array, input: Uint8Array): Uint8Array {
  const x = block(key, input);
  rounds(x);
  const out = new Uint8Array(32);
  const view = new DataView(out.buffer);
  [0, 5, 10, 15, 6, 7, 8, 9].forEach((w, i) => view.setUint32(i * 4, x[w], true));
  return out;
}

/** `data` XORed with the XSalsa20 stream of `key` and the 24-byte `nonce`, from stream byte `skip`. */
function xsalsa20(key: Uint8Array, nonce: Uint8Array, data: Uint8Array, skip: number): Uint8Array {
  const sub = hsalsa20(key, nonce.subarray(0, 16));
  const input = new Uint8Array(16);
  input.set(nonce.subarray(16, 24));
  const out = new Uint8Array(data.length);
  const stream = new Uint8Array(64);
  const sv = new DataView(stream.buffer);
  for (let pos = 0, counter = 0; pos < data.length + skip; counter++, pos += 64) {
    new DataView(input.buffer).setUint32(8, counter, true);
    const init = block(sub, input);
    const x = init.slice();
    rounds(x);
    for (let i = 0; i < 16; i++) sv.setUint32(i * 4, (x[i] + init[i]) >>> 0, true);
    for (let i = 0; i < 64; i++) {
      const at = pos + i - skip;
      if (at >= 0 && at < data.length) out[at] = data[at] ^ stream[i];
    }
  }
  return out;
}

/** The Poly1305 tag of `data` under the 32-byte one-time `key`. */
function poly1305(key: Uint8Array, data: Uint8Array): Uint8Array {
  const p = (1n << 130n) - 5n;
  const r = fromLE(key.subarray(0, 16)) & 0x0ffffffc0ffffffc0ffffffc0fffffffn;
  const s = fromLE(key.subarray(16, 32));
  let acc = 0n;
  for (let i = 0; i < data.length; i += 16) {
    const chunk = data.subarray(i, i + 16);
    acc = (acc + fromLE(chunk) + (1n << BigInt(8 * chunk.length))) * r % p;
  }
  return toLE((acc + s) & ((1n << 128n) - 1n), 16);
}

/** The shared key of `secret` and `theirPublic` (`crypto_box_beforenm`). */
function sharedKey(theirPublic: Uint8Array, secret: Uint8Array): Uint8Array {
  return hsalsa20(x25519(secret, theirPublic), new Uint8Array(16));
}

/**
 * Encrypts and authenticates `message` for `theirPublic` from `secret` with the 24-byte `nonce`:
 * the 16-byte tag, then the ciphertext.
 *
 * @example
 * ```ts
 * import { box, boxOpen } from "./nacl_box.ts";
 * import { x25519Base } from "./x25519.ts";
 * const a = crypto.getRandomValues(new Uint8Array(32));
 * const b = crypto.getRandomValues(new Uint8Array(32));
 * const nonce = crypto.getRandomValues(new Uint8Array(24));
 * const sealed = box(new TextEncoder().encode("hi"), nonce, x25519Base(b), a);
 * console.log(new TextDecoder().decode(boxOpen(sealed, nonce, x25519Base(a), b)!)); // "hi"
 * ```
 */
export function box(message: Uint8Array, nonce: Uint8Array, theirPublic: Uint8Array, secret: Uint8Array): Uint8Array {
  const k = sharedKey(theirPublic, secret);
  const polyKey = xsalsa20(k, nonce, new Uint8Array(32), 0);
  const cipher = xsalsa20(k, nonce, message, 32);
  const out = new Uint8Array(16 + cipher.length);
  out.set(poly1305(polyKey, cipher));
  out.set(cipher, 16);
  return out;
}

/** Opens what {@link box} made: the message, or `null` when it does not authenticate. */
export function boxOpen(
  sealed: Uint8Array,
  nonce: Uint8Array,
  theirPublic: Uint8Array,
  secret: Uint8Array,
): Uint8Array | null {
  if (sealed.length < 16) return null;
  const k = sharedKey(theirPublic, secret);
  const polyKey = xsalsa20(k, nonce, new Uint8Array(32), 0);
  const cipher = sealed.subarray(16);
  const tag = poly1305(polyKey, cipher);
  let diff = 0;
  for (let i = 0; i < 16; i++) diff |= tag[i] ^ sealed[i];
  return diff === 0 ? xsalsa20(k, nonce, cipher, 32) : null;
}
