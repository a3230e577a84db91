/**
 * Ordered push consumers (ADR-17, the push variant): a client-managed ephemeral push consumer (ack
 * none, flow control, idle heartbeats, memory, one replica) on a fresh deliver subject, recreated
 * after the last delivered stream sequence on a gap, missed heartbeats, a deleted consumer or a
 * reconnect.
 *
 * @module
 */
import { createInbox, InvalidOperationError, type Msg, nuid } from "../src/core.ts";
import type { JsApi } from "./api.ts";
import type { ConsumerMessages } from "./consume_types.ts";
import type { ConsumerConfig, ConsumerInfo } from "./consumer_types.ts";
import { ConsumerAPI } from "./consumers_api.ts";
import type { JsMsgImpl } from "./jsmsg.ts";
import { checkOrderedOptions, orderedConfig, type OrderedConsumerOptions, orderedConsumerRules } from "./ordered.ts";
import type { PushConsumer } from "./push.ts";
import { checkPushOptions, type PushConsumerOptions, type PushHooks, PushMessages } from "./push_messages.ts";
import { backoff, nanos, sleep } from "./util.ts";
import { ms, type OptionRules, subject } from "../src/option_check.ts";

/**
 * Options of an ordered push consumer: those of an ordered consumer plus where deliveries go.
 *
 * @example
 * ```ts ignore
 * const pc = await js.consumers.getPushConsumer("ORDERS", { filter_subjects: "orders.eu.>", deliver_prefix: "eu" });
 * ```
 */
export interface OrderedPushConsumerOptions extends OrderedConsumerOptions {
  /** Prefix of the generated deliver subjects (default: the connection's inbox prefix). */
  deliver_prefix?: string;
  /** Milliseconds between server heartbeats (default 5000); 2 missed intervals recreate the consumer. */
  idle_heartbeat?: number;
}

/** The rules of {@link OrderedPushConsumerOptions}. */
export const orderedPushConsumerRules: OptionRules = {
  ...orderedConsumerRules,
  deliver_prefix: subject(false),
  idle_heartbeat: ms(1),
};

/**
 * An ordered push consumer: every `consume()` creates an ephemeral push consumer and delivers the
 * stream's messages in order, exactly once, recreating the server consumer when needed (reported
 * as `ordered_consumer_recreated` on `status()`). Closing the messages deletes it.
 *
 * @example
 * ```ts ignore
 * const pc = await js.consumers.getPushConsumer("ORDERS");
 * await using messages = await pc.consume();
 * for await (const m of messages) console.log(m.seq, m.string());
 * ```
 */
export class OrderedPushConsumer implements PushConsumer {
  readonly #api: JsApi;
  readonly #stream: string;
  readonly #opts: OrderedPushConsumerOptions;
  readonly #prefix: string;
  readonly #hb: number;
  #serial = 0;
  #name = "";
  #streamSeq = 0;
  #deliverSeq = 0;
  #info: ConsumerInfo | undefined;
  #messages: PushMessages | undefined;

  /** Creates the consumer view (the server consumer is created by `consume()`); checks `opts` (`InvalidArgumentError`). */
  constructor(api: JsApi, stream: string, opts: OrderedPushConsumerOptions = {}) {
    checkOrderedOptions("ordered push consumer", opts, orderedPushConsumerRules);
    this.#api = api;
    this.#stream = stream;
    this.#opts = opts;
    this.#prefix = opts.name_prefix ?? `opc_${nuid.next()}`;
    this.#hb = opts.idle_heartbeat ?? 5000;
  }

  #subject(): string {
    return createInbox(this.#opts.deliver_prefix ?? this.#api.nc.options.inboxPrefix);
  }

  #config(subject: string): ConsumerConfig {
    const cfg = orderedConfig(this.#opts, `${this.#prefix}_${++this.#serial}`, this.#streamSeq);
    cfg.deliver_subject = subject;
    cfg.flow_control = true;
    cfg.idle_heartbeat = nanos(this.#hb);
    return cfg;
  }

  /** Deletes the old consumer (best effort) and creates one delivering to `subject`; retries given a signal. */
  async #create(subject: string, signal?: AbortSignal): Promise<string | undefined> {
    const api = new ConsumerAPI(this.#api);
    if (this.#name) api.delete(this.#stream, this.#name).catch(() => {});
    this.#name = "";
    this.#deliverSeq = 0;
    const cfg = this.#config(subject);
    for (let attempt = 0; !signal?.aborted; attempt++) {
      try {
        const info = await api.add(this.#stream, cfg, "create");
        if (signal?.aborted) break;
        this.#info = info;
        this.#name = info.name;
        return info.name;
      } catch (err) {
        if (!signal) throw err;
        await sleep(backoff(attempt, 500, 10_000), signal);
      }
    }
    api.delete(this.#stream, cfg.name!).catch(() => {});
    return undefined;
  }

  #hooks(): PushHooks {
    return {
      accept: (m: JsMsgImpl) => {
        const i = m.info;
        if (i.deliverySequence !== this.#deliverSeq + 1) return false;
        this.#deliverSeq = i.deliverySequence;
        this.#streamSeq = i.streamSequence;
        return true;
      },
      heartbeat: (m: Msg) => Number(m.headers?.get("Nats-Last-Consumer") || 0) <= this.#deliverSeq,
      reset: (signal, listen) => {
        const subject = this.#subject();
        listen(subject);
        return this.#create(subject, signal);
      },
      cleanup: async () => {
        this.#messages = undefined;
        const name = this.#name;
        this.#name = "";
        if (name) await new ConsumerAPI(this.#api).delete(this.#stream, name);
      },
    };
  }

  /** The current server consumer's info; `cached` returns the last one read. */
  async info(cached = false): Promise<ConsumerInfo> {
    if (cached && this.#info) return this.#info;
    if (!this.#name) throw new InvalidOperationError("the ordered push consumer is not consuming");
    this.#info = await new ConsumerAPI(this.#api).info(this.#stream, this.#name);
    return this.#info;
  }

  /** Creates the server consumer and starts receiving (one `consume()` at a time). */
  async consume(opts?: PushConsumerOptions): Promise<ConsumerMessages> {
    const o = checkPushOptions(opts);
    if (this.#messages) throw new InvalidOperationError("an ordered push consumer serves one consume at a time");
    const subject = this.#subject();
    const pm = new PushMessages(this.#api, { subject, hb: this.#hb }, o, this.#hooks());
    this.#messages = pm;
    try {
      await this.#create(subject);
    } catch (err) {
      await pm.close();
      throw err;
    }
    return pm;
  }

  /** Ends the running `consume()` and deletes its server consumer; false when none is running. */
  async delete(): Promise<boolean> {
    const pm = this.#messages;
    if (!pm || !this.#name) return false;
    await pm.close();
    return true;
  }
}
