/** Byte and string helpers shared by the hot paths. */
import { InvalidArgumentError } from "./errors.ts";

/** The one shared UTF-8 encoder. */
export const utf8Encoder: TextEncoder = new TextEncoder();
/** The one shared UTF-8 decoder. */
export const utf8Decoder: TextDecoder = new TextDecoder();

/**
 * What a payload may be: a string (sent as UTF-8), a `Uint8Array` (or a subclass such as Node's
 * `Buffer`), an `ArrayBuffer` or `SharedArrayBuffer` (all its bytes), or any other
 * `ArrayBufferView` (`DataView`, `Uint16Array`, …: exactly the bytes it spans, in memory order).
 */
export type Payload = string | Uint8Array | ArrayBufferView | ArrayBuffer | SharedArrayBuffer;

const EMPTY = new Uint8Array(0);

/**
 * Payload → bytes: strings as UTF-8, `undefined` as no bytes, binary data as the bytes it spans
 * (a view on them, not a copy). Throws `InvalidArgumentError` for anything else (`null`, numbers,
 * plain objects, arrays), naming only its type.
 */
export function payloadBytes(payload: Payload | undefined): Uint8Array {
  if (typeof payload === "string") return payload.length === 0 ? EMPTY : utf8Encoder.encode(payload);
  if (payload instanceof Uint8Array) return payload;
  if (payload === undefined) return EMPTY;
  return otherBytes(payload, "payload must be a string, Uint8Array, ArrayBuffer or ArrayBufferView");
}

/**
 * Binary data → bytes, as {@link payloadBytes} but refusing strings: for APIs that take bytes only.
 * `what` names the argument in the `InvalidArgumentError` thrown for anything else.
 */
export function binaryBytes(
  data: Uint8Array | ArrayBufferView | ArrayBuffer | SharedArrayBuffer,
  what: string,
): Uint8Array {
  if (data instanceof Uint8Array) return data;
  return otherBytes(data, `${what} must be a Uint8Array, ArrayBuffer or ArrayBufferView`);
}

/**
 * The bytes of a view or buffer that is not a `Uint8Array` of this realm; throws
 * `InvalidArgumentError("<must>; got <type>")` for anything else.
 */
function otherBytes(data: unknown, must: string): Uint8Array {
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer || isSharedArrayBuffer(data)) return new Uint8Array(data);
  throw new InvalidArgumentError(`${must}; got ${typeName(data)}`);
}

function isSharedArrayBuffer(data: unknown): data is SharedArrayBuffer {
  return typeof SharedArrayBuffer === "function" && data instanceof SharedArrayBuffer;
}

/** The kind of a rejected value (`null`, `array` or its `typeof`), for a message that must not show the value. */
export function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
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

/** Bytes `s` takes as UTF-8 (a lone surrogate counts as the 3 bytes of U+FFFD), without encoding it. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
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
