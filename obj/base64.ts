/**
 * nats.js's base64 helpers: {@link Base64Codec} (standard alphabet, padded),
 * {@link Base64UrlCodec} (URL alphabet, unpadded) and {@link Base64UrlPaddedCodec} (URL alphabet,
 * padded, as object digests and names are written).
 *
 * @module
 */

/** Binary text of `bytes` (one character per byte), in chunks that keep the call stack small. */
function binaryString(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return bin;
}

/**
 * Standard base64 (`+`, `/`, `=` padding). A string to encode must hold only characters up to
 * U+00FF (as `btoa` requires); encode text as UTF-8 bytes first.
 *
 * @example
 * ```ts
 * import { Base64Codec } from "./base64.ts";
 * const s = Base64Codec.encode(new Uint8Array([251, 255]));
 * console.log(s, Base64Codec.decode(s, true)); // "+/8=" Uint8Array [ 251, 255 ]
 * ```
 */
export class Base64Codec {
  /** The base64 text of `bytes` (a string is taken as binary text). */
  static encode(bytes: string | Uint8Array): string {
    return btoa(typeof bytes === "string" ? bytes : binaryString(bytes));
  }

  /** Decodes `s`: binary text, or bytes when `binary` is true. Throws on invalid base64. */
  static decode(s: string, binary = false): Uint8Array | string {
    const bin = atob(s);
    return binary ? Uint8Array.from(bin, (c) => c.charCodeAt(0)) : bin;
  }
}

/**
 * Base64 with the URL alphabet (`-`, `_`) and no padding.
 *
 * @example
 * ```ts
 * import { Base64UrlCodec } from "./base64.ts";
 * console.log(Base64UrlCodec.encode(new Uint8Array([251, 255]))); // "-_8"
 * ```
 */
export class Base64UrlCodec {
  /** The unpadded base64url text of `bytes`. */
  static encode(bytes: string | Uint8Array): string {
    return Base64UrlCodec.toB64URLEncoding(Base64Codec.encode(bytes));
  }

  /** Decodes base64url (padded or not): binary text, or bytes when `binary` is true. */
  static decode(s: string, binary = false): Uint8Array | string {
    return Base64Codec.decode(Base64UrlCodec.fromB64URLEncoding(s), binary);
  }

  /** Standard base64 text in the URL alphabet, padding dropped. */
  static toB64URLEncoding(b64str: string): string {
    return b64str.replace(/=/g, "").replace(/\+/g, "-").replace(/\//g, "_");
  }

  /** base64url text in the standard alphabet (padding is optional for decoding). */
  static fromB64URLEncoding(b64str: string): string {
    return b64str.replace(/_/g, "/").replace(/-/g, "+");
  }
}

/**
 * Base64 with the URL alphabet and `=` padding, as the object store writes digests and
 * subject-safe names.
 *
 * @example
 * ```ts
 * import { Base64UrlPaddedCodec } from "./base64.ts";
 * console.log(Base64UrlPaddedCodec.encode(new Uint8Array([251, 255]))); // "-_8="
 * ```
 */
export class Base64UrlPaddedCodec {
  /** The padded base64url text of `bytes`. */
  static encode(bytes: string | Uint8Array): string {
    return Base64UrlPaddedCodec.toB64URLEncoding(Base64Codec.encode(bytes));
  }

  /** Decodes padded base64url: binary text, or bytes when `binary` is true. */
  static decode(s: string, binary = false): Uint8Array | string {
    return Base64Codec.decode(Base64UrlPaddedCodec.fromB64URLEncoding(s), binary);
  }

  /** Standard base64 text in the URL alphabet, padding kept. */
  static toB64URLEncoding(b64str: string): string {
    return b64str.replace(/\+/g, "-").replace(/\//g, "_");
  }

  /** base64url text in the standard alphabet. */
  static fromB64URLEncoding(b64str: string): string {
    return b64str.replace(/_/g, "/").replace(/-/g, "+");
  }
}
