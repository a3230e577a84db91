/**
 * Key and value codecs: the no-op codecs, the Base64 key codec (the same wire form as the
 * official JavaScript client's) and the per-token application of a key codec.
 *
 * @module
 */
import { InvalidKeyError } from "./errors.ts";
import type { KvCodecs, KvKeyCodec, KvPayloadCodec } from "./types.ts";

const encoder = new TextEncoder();

/** The key codec that changes nothing (recognised to skip the per-token work). */
const NOOP_KEY: KvKeyCodec = Object.freeze({ encode: (k: string) => k, decode: (k: string) => k });
/** The value codec that only turns strings into UTF-8 (recognised to hand payloads over as they are). */
const NOOP_VALUE: KvPayloadCodec = Object.freeze({
  encode: (v: string | Uint8Array) => typeof v === "string" ? encoder.encode(v) : v,
  decode: (d: Uint8Array) => d,
});

function isWildcard(token: string): boolean {
  return token === "*" || token === ">";
}

/** `key` with `fn` applied to every token except `*` and `>`. */
function mapTokens(key: string, fn: (token: string) => string): string {
  if (!key.includes(".")) return isWildcard(key) ? key : fn(key);
  return key.split(".").map((t) => isWildcard(t) ? t : fn(t)).join(".");
}

/**
 * Codecs that leave keys and values unchanged (strings are stored as UTF-8): the default.
 *
 * @example
 * ```ts
 * import { NoopKvCodecs } from "./codec.ts";
 * const c = NoopKvCodecs();
 * console.log(c.key.encode("a.b"), c.value.encode("hi")); // a.b Uint8Array [ 104, 105 ]
 * ```
 */
export function NoopKvCodecs(): KvCodecs {
  return { key: NOOP_KEY, value: NOOP_VALUE };
}

/**
 * A key codec storing every token as standard Base64 with padding (`btoa`, alphabet `A-Z a-z
 * 0-9 + /`), so keys may hold spaces and other characters keys otherwise cannot. Tokens `*` and
 * `>` stay wildcards. Code points up to U+00FF are encoded one byte each, exactly as nats.js's
 * `Base64KeyCodec` does, so both clients share such buckets; other characters throw
 * {@link InvalidKeyError}. `+` is not a key character, so a bucket refuses a key whose encoding
 * holds one (for ASCII: a token whose 3rd, 6th, 9th… character is `>` or `~`), as nats.js does.
 *
 * @example
 * ```ts
 * import { Base64KeyCodec } from "./codec.ts";
 * const c = Base64KeyCodec();
 * console.log(c.encode("users.*.my docs")); // "dXNlcnM=.*.bXkgZG9jcw=="
 * console.log(c.decode("dXNlcnM=.*.bXkgZG9jcw==")); // "users.*.my docs"
 * ```
 */
export function Base64KeyCodec(): KvKeyCodec {
  return {
    encode(k: string): string {
      return mapTokens(k, (t) => {
        try {
          return btoa(t);
        } catch (err) {
          throw new InvalidKeyError(t, "Base64KeyCodec encodes only characters up to U+00FF", { cause: err });
        }
      });
    },
    decode(k: string): string {
      return mapTokens(k, (t) => {
        try {
          return atob(t);
        } catch (err) {
          throw new InvalidKeyError(t, "not a Base64 token", { cause: err });
        }
      });
    },
  };
}

/**
 * `key` encoded by `codec` one token at a time, `*` and `>` kept.
 *
 * @example
 * ```ts
 * import { Base64KeyCodec, encodeKey } from "./codec.ts";
 * console.log(encodeKey(Base64KeyCodec(), "a.>")); // "YQ==.>"
 * ```
 */
export function encodeKey(codec: KvKeyCodec, key: string): string {
  return codec === NOOP_KEY ? key : mapTokens(key, (t) => codec.encode(t));
}

/**
 * `key` (as read from the wire) decoded by `codec` one token at a time, `*` and `>` kept.
 *
 * @example
 * ```ts
 * import { Base64KeyCodec, decodeKey } from "./codec.ts";
 * console.log(decodeKey(Base64KeyCodec(), "YQ==.Yg==")); // "a.b"
 * ```
 */
export function decodeKey(codec: KvKeyCodec, key: string): string {
  return codec === NOOP_KEY ? key : mapTokens(key, (t) => codec.decode(t));
}

/**
 * `key` encoded by `codec` and checked by `check` in that form (what the server sees). A rejected
 * encoded key is reported as an {@link InvalidKeyError} of the original key.
 *
 * @example
 * ```ts
 * import { Base64KeyCodec, encodeChecked } from "./codec.ts";
 * import { validateKey } from "./validate.ts";
 * console.log(encodeChecked(Base64KeyCodec(), "my docs", validateKey)); // "bXkgZG9jcw=="
 * ```
 */
export function encodeChecked(codec: KvKeyCodec, key: string, check: (k: string) => void): string {
  if (typeof key !== "string") check(key);
  const ek = encodeKey(codec, key);
  if (ek === key) {
    check(ek);
    return ek;
  }
  try {
    check(ek);
  } catch (err) {
    if (!(err instanceof InvalidKeyError)) throw err;
    throw new InvalidKeyError(key, `its encoded form '${ek}' is invalid: ${err.reason}`, { cause: err });
  }
  return ek;
}

/**
 * `value` encoded by `codec`; with the no-op codec the payload is handed over unchanged.
 *
 * @example
 * ```ts
 * import { encodeValue, NoopKvCodecs } from "./codec.ts";
 * console.log(encodeValue(NoopKvCodecs().value, "hi")); // "hi"
 * ```
 */
export function encodeValue(codec: KvPayloadCodec, value: string | Uint8Array): string | Uint8Array {
  return codec === NOOP_VALUE ? value : codec.encode(value);
}
