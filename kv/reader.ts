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

  private constructor(oc: OrderedConsumer, msgs: ConsumerMessages, empty: boolean) {
    this.#oc = oc;
    this.#msgs = msgs;
    this.#empty = empty;
  }

  /** Creates the consumer and starts reading (errors such as a missing stream surface here). */
  static async open(api: JsApi, stream: string, opts: OrderedConsumerOptions): Promise<CaughtUpReader> {
    const oc = new OrderedConsumer(api, stream, opts);
    const msgs = await oc.consume({ max_messages: BUFFER });
    const info = await oc.info(true);
    const r = new CaughtUpReader(oc, msgs, info.num_pending === 0);
    if (r.#empty) await r.close();
    return r;
  }

  /** Stops reading and removes the server consumer. */
  async close(): Promise<void> {
    await this.#msgs.close();
    await this.#oc.delete().catch(() => false);
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
        yield r.value;
        if (r.value.info.pending === 0) return;
      }
      const err = await this.#msgs.closed();
      if (err) throw err;
    } finally {
      await this.close();
    }
  }
}
