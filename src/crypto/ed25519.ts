/**
 * Ed25519 (RFC 8032) with synchronous calls, as nats.js's NKey pairs offer them: the public key
 * of a seed, detached signatures and their verification. Points are in extended coordinates;
 * scalar multiplication is a ladder that does the same work for every bit.
 *
 * @module
 */
import { fromLE, inv, mod, P, pow, toLE } from "./field25519.ts";
import { sha512 } from "./sha512.ts";

/** The order of the base point: 2²⁵² + 27742317777372353535851937790883648493. */
const L = (1n << 252n) + 27742317777372353535851937790883648493n;
/** A point (X : Y : Z : T) with x = X/Z, y = Y/Z and T = XY/Z. */
type Point = readonly [bigint, bigint, bigint, bigint];

const IDENTITY: Point = [0n, 1n, 1n, 0n];

/** The curve constants, computed at first use (they cost a few modular exponentiations). */
let constants: { d: bigint; d2: bigint; sqrtM1: bigint; base: Point } | undefined;

function curve(): { d: bigint; d2: bigint; sqrtM1: bigint; base: Point } {
  if (!constants) {
    const d = mod(-121665n * inv(121666n));
    const sqrtM1 = pow(2n, (P - 1n) / 4n);
    const y = mod(4n * inv(5n));
    const x = recoverX(y, 0, d, sqrtM1)!;
    constants = { d, d2: mod(2n * d), sqrtM1, base: [x, y, 1n, x * y % P] };
  }
  return constants;
}

/** The x of the point with `y` whose low bit is `sign`, or undefined when there is none. */
function recoverX(y: bigint, sign: number, d: bigint, sqrtM1: bigint): bigint | undefined {
  const y2 = y * y % P;
  const u = mod(y2 - 1n);
  const v = mod(d * y2 + 1n);
  const v3 = v * v % P * v % P;
  let x = u * v3 % P * pow(u * v3 % P * v3 % P * v % P, (P - 5n) / 8n) % P;
  const vx2 = v * x % P * x % P;
  if (vx2 !== u) {
    if (vx2 !== mod(-u)) return undefined;
    x = x * sqrtM1 % P;
  }
  if (x === 0n && sign === 1) return undefined;
  return Number(x & 1n) === sign ? x : P - x;
}

function add(p: Point, q: Point): Point {
  const a = mod((p[1] - p[0]) * (q[1] - q[0]));
  const b = (p[1] + p[0]) * (q[1] + q[0]) % P;
  const c = p[3] * curve().d2 % P * q[3] % P;
  const d = 2n * p[2] * q[2] % P;
  const e = b - a;
  const f = d - c;
  const g = d + c;
  const h = b + a;
  return [mod(e * f), mod(g * h), mod(f * g), mod(e * h)];
}

/** `k` times `p` (k below 2²⁵⁶). */
function multiply(k: bigint, p: Point): Point {
  let r0 = IDENTITY;
  let r1 = p;
  for (let i = 255n; i >= 0n; i--) {
    if ((k >> i) & 1n) {
      r0 = add(r0, r1);
      r1 = add(r1, r1);
    } else {
      r1 = add(r0, r1);
      r0 = add(r0, r0);
    }
  }
  return r0;
}

function encode(p: Point): Uint8Array {
  const zi = inv(p[2]);
  const x = p[0] * zi % P;
  const out = toLE(p[1] * zi % P);
  out[31] |= Number(x & 1n) << 7;
  return out;
}

function decode(bytes: Uint8Array): Point | undefined {
  if (bytes.length !== 32) return undefined;
  const y = fromLE(bytes) & ((1n << 255n) - 1n);
  if (y >= P) return undefined;
  const { d, sqrtM1 } = curve();
  const x = recoverX(y, bytes[31] >> 7, d, sqrtM1);
  return x === undefined ? undefined : [x, y, 1n, x * y % P];
}

/** The secret scalar and the nonce prefix of a 32-byte seed. */
function expand(seed: Uint8Array): { a: bigint; prefix: Uint8Array } {
  const h = sha512(seed);
  h[0] &= 248;
  h[31] &= 127;
  h[31] |= 64;
  return { a: fromLE(h.subarray(0, 32)), prefix: h.slice(32) };
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/**
 * The 32-byte public key of a 32-byte seed.
 *
 * @example
 * ```ts
 * import { publicKeyOf } from "./ed25519.ts";
 * console.log(publicKeyOf(new Uint8Array(32)).length); // 32
 * ```
 */
export function publicKeyOf(seed: Uint8Array): Uint8Array {
  return encode(multiply(expand(seed).a, curve().base));
}

/**
 * The 64-byte signature of `message` by the key of `seed` (deterministic, as RFC 8032 defines it).
 *
 * @example
 * ```ts
 * import { publicKeyOf, sign, verify } from "./ed25519.ts";
 * const seed = crypto.getRandomValues(new Uint8Array(32));
 * const sig = sign(new Uint8Array([1, 2, 3]), seed);
 * console.log(verify(new Uint8Array([1, 2, 3]), sig, publicKeyOf(seed))); // true
 * ```
 */
export function sign(message: Uint8Array, seed: Uint8Array): Uint8Array {
  const { a, prefix } = expand(seed);
  const pub = encode(multiply(a, curve().base));
  const r = mod(fromLE(sha512(concat(prefix, message))), L);
  const R = encode(multiply(r, curve().base));
  const k = mod(fromLE(sha512(concat(R, pub, message))), L);
  return concat(R, toLE(mod(r + k * a, L)));
}

/**
 * True when `sig` is a valid signature of `message` by public key `pub` (false for a key that is
 * no curve point). As TweetNaCl (which nats.js uses) does, the signature's scalar is not required
 * to be reduced.
 */
export function verify(message: Uint8Array, sig: Uint8Array, pub: Uint8Array): boolean {
  if (sig.length !== 64) return false;
  const A = decode(pub);
  if (!A) return false;
  const R = sig.subarray(0, 32);
  const k = mod(fromLE(sha512(concat(R, pub, message))), L);
  const negA: Point = [mod(-A[0]), A[1], A[2], mod(-A[3])];
  const check = encode(add(multiply(fromLE(sig.subarray(32)), curve().base), multiply(k, negA)));
  let diff = 0;
  for (let i = 0; i < 32; i++) diff |= check[i] ^ R[i];
  return diff === 0;
}
