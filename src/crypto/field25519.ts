/**
 * Arithmetic modulo p = 2²⁵⁵ − 19, the field of Curve25519 and Ed25519, on BigInts, and the
 * little-endian byte conversions both curves use.
 *
 * @module
 */

/** The field prime 2²⁵⁵ − 19. */
export const P: bigint = (1n << 255n) - 19n;

/** `a` reduced to 0 … p − 1. */
export function mod(a: bigint, m: bigint = P): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

/** `b` to the power `e`, modulo `m` (default p). */
export function pow(b: bigint, e: bigint, m: bigint = P): bigint {
  let r = 1n;
  let x = mod(b, m);
  for (let n = e; n > 0n; n >>= 1n) {
    if (n & 1n) r = r * x % m;
    x = x * x % m;
  }
  return r;
}

/** The inverse of `a` modulo p (0 for 0). */
export function inv(a: bigint): bigint {
  return pow(a, P - 2n);
}

/**
 * The little-endian number in `b`.
 *
 * @example
 * ```ts
 * import { fromLE } from "./field25519.ts";
 * console.log(fromLE(new Uint8Array([1, 2]))); // 513n
 * ```
 */
export function fromLE(b: Uint8Array): bigint {
  let n = 0n;
  for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i]);
  return n;
}

/**
 * `n` as `len` little-endian bytes (default 32).
 *
 * @example
 * ```ts
 * import { toLE } from "./field25519.ts";
 * console.log(toLE(513n, 2)); // Uint8Array [ 1, 2 ]
 * ```
 */
export function toLE(n: bigint, len = 32): Uint8Array {
  const out = new Uint8Array(len);
  let x = n;
  for (let i = 0; i < len; i++) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}
