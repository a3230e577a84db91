/**
 * The outbound buffer: protocol lines and payloads are encoded straight into 64 KiB chunks that the
 * write loop hands to the socket. A burst of publishes becomes a few large writes.
 */

import { checkPublishLine } from "../validate.ts";

const CHUNK = 128 * 1024;
const POOL = 8;
/** The most bytes of buffers kept for frames larger than a chunk. */
const LARGE_POOL_BYTES = 8 * 1024 * 1024;
/** Buffers for large frames are sized in steps of this, so that similar frames share them. */
const LARGE_STEP = 64 * 1024;
const SP = 0x20;
const CR = 0x0d;
const LF = 0x0a;

/** Bytes buffered by an {@link Outbound}, chunked for writing. */
export class Outbound {
  #ready: Uint8Array[] = [];
  #cur: Uint8Array = new Uint8Array(CHUNK);
  #pos = 0;
  #pool: Uint8Array[] = [];
  /** Written buffers larger than a chunk, for the next large frame (a fresh one per frame would
   * leave garbage for the collector at the rate of the payloads: tens of MiB of RSS). */
  #largePool: ArrayBuffer[] = [];
  #largePoolBytes = 0;
  #pending = 0;

  /** Bytes buffered and not yet taken by the writer. */
  get pending(): number {
    return this.#pending;
  }

  #room(n: number): void {
    if (this.#cur.length - this.#pos >= n) return;
    if (this.#pos > 0) this.#ready.push(this.#cur.subarray(0, this.#pos));
    this.#cur = n > CHUNK ? this.#large(n) : this.#pool.pop() ?? new Uint8Array(CHUNK);
    this.#pos = 0;
  }

  /** A buffer of at least `n` bytes, from the large pool when one fits. */
  #large(n: number): Uint8Array {
    const pool = this.#largePool;
    for (let i = 0; i < pool.length; i++) {
      if (pool[i].byteLength >= n) {
        const buf = pool[i];
        pool.splice(i, 1);
        this.#largePoolBytes -= buf.byteLength;
        return new Uint8Array(buf);
      }
    }
    return new Uint8Array(Math.ceil(n / LARGE_STEP) * LARGE_STEP);
  }

  /**
   * Bytes a publish frame takes: line + payload + CRLF. Throws `InvalidSubjectError` when the
   * subject and reply are too long for the server's control line (`checkPublishLine`).
   */
  static pubSize(subject: Uint8Array, reply: Uint8Array | undefined, hdrLen: number, dataLen: number): number {
    checkPublishLine(subject, reply);
    return (hdrLen > 0 ? 5 : 4) + subject.length + (reply ? reply.length + 1 : 0) + 24 + hdrLen + dataLen;
  }

  /** Appends `PUB`/`HPUB` with payload. `size` must come from {@link Outbound.pubSize}. */
  pub(
    subject: Uint8Array,
    reply: Uint8Array | undefined,
    headers: Uint8Array | undefined,
    data: Uint8Array,
    size: number,
  ): void {
    this.#room(size);
    const b = this.#cur;
    let p = this.#pos;
    const start = p;
    const hlen = headers ? headers.length : 0;
    if (hlen > 0) b[p++] = 0x48; // H
    b[p] = 0x50; // P
    b[p + 1] = 0x55; // U
    b[p + 2] = 0x42; // B
    b[p + 3] = SP;
    p = copyShort(b, p + 4, subject);
    b[p++] = SP;
    if (reply) {
      p = copyShort(b, p, reply);
      b[p++] = SP;
    }
    if (hlen > 0) {
      p = writeDecimal(b, p, hlen);
      b[p++] = SP;
    }
    p = writeDecimal(b, p, hlen + data.length);
    b[p++] = CR;
    b[p++] = LF;
    if (hlen > 0) {
      b.set(headers!, p);
      p += hlen;
    }
    if (data.length > 0) {
      if (data.length < 16) {
        for (let i = 0; i < data.length; i++) b[p + i] = data[i];
      } else {
        b.set(data, p);
      }
      p += data.length;
    }
    b[p++] = CR;
    b[p++] = LF;
    this.#pending += p - start;
    this.#pos = p;
  }

  /** Appends raw protocol bytes (a SUB, UNSUB, PING line). */
  raw(bytes: Uint8Array): void {
    this.#room(bytes.length);
    this.#cur.set(bytes, this.#pos);
    this.#pos += bytes.length;
    this.#pending += bytes.length;
  }

  /** Puts chunks back at the front (unsent after a failed write, or resubscriptions). */
  unshift(chunks: Uint8Array[]): void {
    if (this.#pos > 0) {
      this.#ready.push(this.#cur.subarray(0, this.#pos));
      this.#cur = this.#pool.pop() ?? new Uint8Array(CHUNK);
      this.#pos = 0;
    }
    let n = 0;
    for (const c of chunks) n += c.length;
    this.#ready = [...chunks, ...this.#ready];
    this.#pending += n;
  }

  /** Takes every buffered chunk for writing, in order. */
  take(): Uint8Array[] {
    if (this.#pos > 0) {
      this.#ready.push(this.#cur.subarray(0, this.#pos));
      this.#cur = this.#pool.pop() ?? new Uint8Array(CHUNK);
      this.#pos = 0;
    }
    const out = this.#ready;
    this.#ready = [];
    this.#pending = 0;
    return out;
  }

  /** Gives a written chunk back for reuse. */
  recycle(chunk: Uint8Array): void {
    const buf = chunk.buffer as ArrayBuffer;
    if (buf.byteLength === CHUNK) {
      if (this.#pool.length < POOL) this.#pool.push(new Uint8Array(buf));
    } else if (buf.byteLength > CHUNK && this.#largePoolBytes + buf.byteLength <= LARGE_POOL_BYTES) {
      this.#largePool.push(buf);
      this.#largePoolBytes += buf.byteLength;
    }
  }

  /** Drops everything buffered. */
  clear(): void {
    this.#ready = [];
    this.#pos = 0;
    this.#pending = 0;
  }
}

/** Copies `src` to `b` at `p` (a loop for short arrays beats `set`); returns the new position. */
function copyShort(b: Uint8Array, p: number, src: Uint8Array): number {
  const n = src.length;
  if (n > 48) {
    b.set(src, p);
  } else {
    for (let i = 0; i < n; i++) b[p + i] = src[i];
  }
  return p + n;
}

/** Writes `n` (non-negative integer) as ASCII digits at `p`; returns the new position. */
export function writeDecimal(b: Uint8Array, p: number, n: number): number {
  if (n < 10) {
    b[p] = 0x30 + n;
    return p + 1;
  }
  let digits = 1;
  for (let v = n; v >= 10; v = Math.floor(v / 10)) digits++;
  let q = p + digits;
  for (let v = n; q > p; v = Math.floor(v / 10)) b[--q] = 0x30 + (v % 10);
  return p + digits;
}
