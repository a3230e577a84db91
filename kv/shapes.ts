/**
 * nats.js's names for two KV shapes: a codec that maps a type to itself, and the read-only
 * surface of a bucket.
 *
 * @module
 */
import type { KV } from "./bucket.ts";

/**
 * Maps values of `T` to the stored form and back (a key codec is a `KvCodec<string>`).
 *
 * @example
 * ```ts
 * import type { KvCodec } from "./shapes.ts";
 * const upper: KvCodec<string> = { encode: (k) => k.toUpperCase(), decode: (k) => k.toLowerCase() };
 * console.log(upper.decode(upper.encode("a.b"))); // "a.b"
 * ```
 */
export type KvCodec<T> = {
  /** The stored form of `k`. */
  encode(k: T): T;
  /** The value `k` was stored from. */
  decode(k: T): T;
};

/**
 * The reading part of a bucket: `get`, `history`, `watch`, `status` and `keys`.
 *
 * @example
 * ```ts ignore
 * import type { RoKV } from "@natsw/natsw/kv";
 * const reader: RoKV = await new Kvm(nc).open("config");
 * console.log(await reader.get("colour"));
 * ```
 */
export type RoKV = Pick<KV, "get" | "history" | "watch" | "status" | "keys">;
