/** Byte and string helpers shared by the hot paths. */

/** The one shared UTF-8 encoder. */
export const utf8Encoder: TextEncoder = new TextEncoder();
/** The one shared UTF-8 decoder. */
export const utf8Decoder: TextDecoder = new TextDecoder();

/** What a payload may be: bytes, or a string sent as UTF-8. */
export type Payload = Uint8Array | string;

const EMPTY = new Uint8Array(0);

/** Payload → bytes (strings as UTF-8). */
export function payloadBytes(payload: Payload | undefined): Uint8Array {
  if (payload === undefined) return EMPTY;
  if (typeof payload === "string") return payload.length === 0 ? EMPTY : utf8Encoder.encode(payload);
  return payload;
}

/** Char codes of the string being decoded by {@link decodeText} (reused). */
const codes: number[] = [];

/**
 * Decodes `len` bytes at `off`: fast paths for ASCII (subjects, reply subjects), UTF-8 otherwise.
 * Up to 12 characters, concatenation is fastest; longer, it would leave a rope that every later
 * use (map lookup, comparison) must flatten, so the codes are gathered and turned into one flat
 * string.
 */
export function decodeText(bytes: Uint8Array, off: number, len: number): string {
  if (len <= 12) {
    let s = "";
    for (let i = off, end = off + len; i < end; i++) {
      const c = bytes[i];
      if (c >= 0x80) return utf8Decoder.decode(bytes.subarray(off, off + len));
      s += String.fromCharCode(c);
    }
    return s;
  }
  if (len <= 256) {
    codes.length = len;
    for (let i = 0; i < len; i++) {
      const c = bytes[off + i];
      if (c >= 0x80) return utf8Decoder.decode(bytes.subarray(off, off + len));
      codes[i] = c;
    }
    return String.fromCharCode.apply(null, codes);
  }
  return utf8Decoder.decode(bytes.subarray(off, off + len));
}

/** String → bytes: ASCII by hand (no encoder call), anything else as UTF-8. */
export function asciiOrUtf8(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return utf8Encoder.encode(s);
    out[i] = c;
  }
  return out;
}

/** A promise with its resolve and reject functions (Node 20 lacks `Promise.withResolvers`). */
export interface Deferred<T> {
  /** The promise. */
  promise: Promise<T>;
  /** Resolves it. */
  resolve: (value: T) => void;
  /** Rejects it. */
  reject: (reason?: unknown) => void;
}

/** Creates a {@link Deferred}. */
export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason?: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
