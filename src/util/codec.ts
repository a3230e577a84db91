/**
 * The {@link Codec} shape: turning values into payload bytes and back.
 *
 * @module
 */

/**
 * Encodes values of `T` to payload bytes and decodes them back.
 *
 * @example
 * ```ts
 * import type { Codec } from "./codec.ts";
 * const json: Codec<unknown> = {
 *   encode: (v) => new TextEncoder().encode(JSON.stringify(v)),
 *   decode: (b) => JSON.parse(new TextDecoder().decode(b)),
 * };
 * console.log(json.decode(json.encode({ a: 1 })));
 * ```
 */
export interface Codec<T> {
  /** `d` as payload bytes. */
  encode(d: T): Uint8Array;
  /** The value `a` holds. */
  decode(a: Uint8Array): T;
}
