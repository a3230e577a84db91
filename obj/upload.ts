/**
 * Chunked upload: cuts the content into chunks, hashes them as they pass and publishes them with
 * a window of acknowledgements in flight, so memory stays at a few chunks whatever the size.
 *
 * @module
 */
import type { JetStreamClient, PubAck } from "../jetstream/mod.ts";
import { createSha256 } from "./hash.ts";
import { formatDigest } from "./codec.ts";
import { binaryBytes } from "../src/encoding.ts";

/** What an upload produced. */
export interface UploadResult {
  /** Bytes. */
  size: number;
  /** Chunks published. */
  chunks: number;
  /** `SHA-256=…` of the content. */
  digest: string;
}

/** Bytes of chunk publishes allowed to await their acknowledgement at once. */
const WINDOW_BYTES = 2 * 1024 * 1024;

/**
 * How many chunk publishes may be in flight for `chunkSize` (between 4 and 64).
 *
 * @example
 * ```ts
 * import { windowFor } from "./upload.ts";
 * console.log(windowFor(128 * 1024)); // 16
 * ```
 */
export function windowFor(chunkSize: number): number {
  return Math.max(4, Math.min(64, Math.floor(WINDOW_BYTES / chunkSize)));
}

/** Publishes chunks in order, keeping up to `window` acknowledgements outstanding. */
class ChunkPublisher {
  readonly #js: JetStreamClient;
  readonly #subject: string;
  readonly #timeout: number | undefined;
  readonly #window: number;
  readonly #inflight: Promise<PubAck>[] = [];
  readonly #hash = createSha256();
  size = 0;
  chunks = 0;

  constructor(js: JetStreamClient, subject: string, window: number, timeout?: number) {
    this.#js = js;
    this.#subject = subject;
    this.#window = window;
    this.#timeout = timeout;
  }

  async send(chunk: Uint8Array): Promise<void> {
    this.#hash.update(chunk);
    this.size += chunk.length;
    this.chunks++;
    const p = this.#js.publish(this.#subject, chunk, { timeout: this.#timeout });
    // an early failure is reported when its turn comes; never as an unhandled rejection
    p.catch(() => {});
    this.#inflight.push(p);
    if (this.#inflight.length >= this.#window) await this.#inflight.shift();
  }

  /** Waits for every publish in flight to succeed or fail. */
  async settle(): Promise<void> {
    await Promise.allSettled(this.#inflight.splice(0));
  }

  async finish(): Promise<UploadResult> {
    while (this.#inflight.length) await this.#inflight.shift();
    return { size: this.size, chunks: this.chunks, digest: formatDigest(this.#hash.digest()) };
  }
}

/**
 * Uploads `source` (a whole buffer, a stream, or nothing) as chunks of `chunkSize` bytes on
 * `subject`. Rejects with the first publish failure.
 *
 * @example
 * ```ts ignore
 * const r = await uploadChunks(js, "$O.files.C.abc", file.readable, 128 * 1024);
 * console.log(r.size, r.chunks, r.digest);
 * ```
 */
export async function uploadChunks(
  js: JetStreamClient,
  subject: string,
  source: Uint8Array | ReadableStream<Uint8Array> | null,
  chunkSize: number,
  timeout?: number,
): Promise<UploadResult> {
  const out = new ChunkPublisher(js, subject, windowFor(chunkSize), timeout);
  try {
    return await upload(out, source, chunkSize);
  } catch (err) {
    // nothing may land after the caller cleans up
    await out.settle();
    throw err;
  }
}

async function upload(
  out: ChunkPublisher,
  source: Uint8Array | ReadableStream<Uint8Array> | null,
  chunkSize: number,
): Promise<UploadResult> {
  if (source instanceof Uint8Array) {
    for (let off = 0; off < source.length; off += chunkSize) {
      await out.send(source.subarray(off, Math.min(source.length, off + chunkSize)));
    }
    return await out.finish();
  }
  if (source) {
    const reader = source.getReader();
    try {
      let buf = new Uint8Array(chunkSize);
      let fill = 0;
      while (true) {
        const { done, value: piece } = await reader.read();
        if (done) break;
        const value = binaryBytes(piece, "each chunk of the stream");
        let off = 0;
        while (off < value.length) {
          if (fill === 0 && value.length - off >= chunkSize) {
            // a whole chunk inside the piece: publish it without copying
            await out.send(value.subarray(off, off + chunkSize));
            off += chunkSize;
            continue;
          }
          const n = Math.min(chunkSize - fill, value.length - off);
          buf.set(value.subarray(off, off + n), fill);
          fill += n;
          off += n;
          if (fill === chunkSize) {
            await out.send(buf);
            buf = new Uint8Array(chunkSize);
            fill = 0;
          }
        }
      }
      if (fill > 0) await out.send(buf.subarray(0, fill));
    } catch (err) {
      await reader.cancel(err).catch(() => {});
      throw err;
    } finally {
      reader.releaseLock();
    }
  }
  return await out.finish();
}
