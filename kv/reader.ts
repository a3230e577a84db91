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
      for await (const m of this.#msgs) {
        yield m;
        if (m.info.pending === 0) return;
      }
      const err = await this.#msgs.closed();
      if (err) throw err;
    } finally {
      await this.close();
    }
  }
}
