/**
 * Reads a bucket's entries up to the end of what is stored, with an ordered consumer (internal
 * to history and keys): iteration ends at the message with 0 pending.
 *
 * @module
 */
import {
  type ConsumerMessages,
  type JsApi,
  type JsMsg,
  OrderedConsumer,
  type OrderedConsumerOptions,
} from "../jetstream/mod.ts";
import type { QueuedIterator } from "../src/api_shapes.ts";

/** How many messages one read keeps buffered. */
const BUFFER = 256;
/** Milliseconds without a message after which the reader checks that messages are still pending. */
const IDLE_MS = 1000;
const IDLE = Symbol("idle");

/** The next item, or IDLE when none comes within `ms` (the pending `next()` is kept by the iterator). */
function nextOrIdle<T>(it: AsyncIterator<T>, ms: number): Promise<IteratorResult<T> | typeof IDLE> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const idle = new Promise<typeof IDLE>((resolve) => timer = setTimeout(() => resolve(IDLE), ms));
  return Promise.race([it.next(), idle]).finally(() => clearTimeout(timer));
}

/** An ordered consumer read from its start until it is caught up. */
export class CaughtUpReader implements AsyncIterable<JsMsg> {
  readonly #oc: OrderedConsumer;
  readonly #msgs: ConsumerMessages;
  readonly #empty: boolean;
  #used = false;
  #closing: Promise<void> | undefined;
  /** Messages still to read after the last one read (the consumer's count at the start, until one is read). */
  left: number;

  private constructor(oc: OrderedConsumer, msgs: ConsumerMessages, pending: number) {
    this.#oc = oc;
    this.#msgs = msgs;
    this.#empty = pending === 0;
    this.left = pending;
  }

  /** Creates the consumer and starts reading (errors such as a missing stream surface here). */
  static async open(api: JsApi, stream: string, opts: OrderedConsumerOptions): Promise<CaughtUpReader> {
    const oc = new OrderedConsumer(api, stream, opts);
    const msgs = await oc.consume({ max_messages: BUFFER });
    const info = await oc.info(true);
    const r = new CaughtUpReader(oc, msgs, info.num_pending);
    if (r.#empty) await r.close();
    return r;
  }

  /** Stops reading and removes the server consumer (once, however often it is called). */
  close(): Promise<void> {
    return this.#closing ??= (async () => {
      await this.#msgs.close();
      await this.#oc.delete().catch(() => false);
    })();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<JsMsg> {
    if (this.#used) throw new TypeError("this iterator is already being consumed");
    this.#used = true;
    if (this.#empty) return;
    try {
      const it = this.#msgs[Symbol.asyncIterator]();
      for (;;) {
        const r = await nextOrIdle(it, IDLE_MS);
        if (r === IDLE) {
          // Nothing for a while: messages counted as pending at the start can expire (per-message
          // TTL, limit markers) before they are delivered. Ask the server whether any are left.
          const info = await this.#oc.info().catch(() => undefined);
          if (!info || info.num_pending === 0) return;
          continue;
        }
        if (r.done) break;
        this.left = r.value.info.pending;
        yield r.value;
        if (this.left === 0) return;
      }
      const err = await this.#msgs.closed();
      if (err) throw err;
    } finally {
      await this.close();
    }
  }
}

/**
 * What `keys()` and `history()` return: the values a {@link CaughtUpReader} reads, made by `map`
 * from each message (messages it maps to `undefined` are skipped). It reads from the server only
 * as the values are asked for. Stopping it (`stop()`, or leaving the loop) removes the consumer.
 */
export class ReadIterator<T> implements QueuedIterator<T> {
  readonly #reader: CaughtUpReader;
  readonly #map: (m: JsMsg) => T | undefined;
  readonly #onEnd: () => void;
  #received = 0;
  #processed = 0;
  #stopped = false;
  #error: Error | undefined;

  /** Reads `reader` through `map`; `onEnd` runs once the reading is over. */
  constructor(reader: CaughtUpReader, map: (m: JsMsg) => T | undefined, onEnd: () => void) {
    this.#reader = reader;
    this.#map = map;
    this.#onEnd = onEnd;
  }

  /** Ends the iteration now; with `err`, the loop throws it. */
  stop(err?: Error): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#error = err;
    this.#reader.close().finally(this.#onEnd);
  }

  /** Values handed over. */
  getProcessed(): number {
    return this.#processed;
  }

  /** Entries the server still has for this read, deletes included (0 once it is over). */
  getPending(): number {
    return this.#stopped ? 0 : this.#reader.left;
  }

  /** Entries read from the server, deletes included. */
  getReceived(): number {
    return this.#received;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    try {
      if (!this.#stopped) {
        for await (const m of this.#reader) {
          if (this.#stopped) break;
          this.#received++;
          const v = this.#map(m);
          if (v === undefined) continue;
          this.#processed++;
          yield v;
        }
      }
    } finally {
      this.stop(this.#error);
    }
    if (this.#error) throw this.#error;
  }
}
