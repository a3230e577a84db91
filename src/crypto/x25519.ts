/**
 * X25519 (RFC 7748): the Diffie-Hellman function of Curve25519 that NKey curve keys (`X…`) use.
 *
 * @module
 */
import { fromLE, inv, mod, P, toLE } from "./field25519.ts";

const BASE = toLE(9n);

/**
 * `scalar` (32 bytes, clamped here) times the point with u-coordinate `u` (32 bytes).
 *
 * @example
 * ```ts
 * import { x25519, x25519Base } from "./x25519.ts";
 * const a = crypto.getRandomValues(new Uint8Array(32));
 * const b = crypto.getRandomValues(new Uint8Array(32));
 * const same = x25519(a, x25519Base(b)).every((v, i) => v === x25519(b, x25519Base(a))[i]);
 * console.log(same); // true
 * ```
 */
export function x25519(scalar: Uint8Array, u: Uint8Array): Uint8Array {
  const e = scalar.slice(0, 32);
  e[0] &= 248;
  e[31] &= 127;
  e[31] |= 64;
  const k = fromLE(e);
  const x1 = mod(fromLE(u.subarray(0, 32)) & ((1n << 255n) - 1n));
  let x2 = 1n, z2 = 0n, x3 = x1, z3 = 1n;
  let swap = 0n;
  for (let t = 254n; t >= 0n; t--) {
    const bit = (k >> t) & 1n;
    if (swap ^ bit) {
      [x2, x3] = [x3, x2];
      [z2, z3] = [z3, z2];
    }
    swap = bit;
    const a = x2 + z2;
    const aa = a * a % P;
    const b = x2 - z2;
    const bb = b * b % P;
    const e = mod(aa - bb);
    const c = x3 + z3;
    const d = x3 - z3;
    const da = mod(d * a);
    const cb = mod(c * b);
    x3 = (da + cb) * (da + cb) % P;
    z3 = x1 * mod((da - cb) * (da - cb)) % P;
    x2 = aa * bb % P;
    z2 = e * ((aa + 121665n * e) % P) % P;
  }
  if (swap) {
    [x2, x3] = [x3, x2];
    [z2, z3] = [z3, z2];
  }
  return toLE(x2 * inv(z2) % P);
}

/**
 * The public key of `scalar`: `scalar` times the base point (u = 9).
 *
 * @example
 * ```ts
 * import { x25519Base } from "./x25519.ts";
 * console.log(x25519Base(crypto.getRandomValues(new Uint8Array(32))).length); // 32
 * ```
 */
export function x25519Base(scalar: Uint8Array): Uint8Array {
  return x25519(scalar, BASE);
}
