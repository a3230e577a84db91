/**
 * The push engine behind push consumers: a subscription on the deliver subject, flow-control
 * replies sent as the application reaches them, stalled-consumer replies, idle-heartbeat and
 * connection monitoring, and (for ordered push consumers) recovery onto a new deliver subject.
 *
 * @module
 */
import type { Msg, Subscription } from "../src/core.ts";
import type { JsApi } from "./api.ts";
import type { ConsumerMessages } from "./consume_types.ts";
import { type JsMsg, JsMsgImpl } from "./jsmsg.ts";
import { JetStreamStatusError } from "./errors.ts";
import { heartbeatNote, MessagesBase } from "./messages_base.ts";
import { bool, checkOptions, fn, type OptionRules } from "../src/option_check.ts";

/** Options of a push consumer's `consume()`. */
export interface PushConsumerOptions {
  /** Handle messages in this callback instead of iterating. */
  callback?: (m: JsMsg) => void;
  /** End (with `JetStreamStatusError`) on a status such as `409 Consumer Deleted` instead of going on. */
  abort_on_missing_resource?: boolean;
}

/** The rules of {@link PushConsumerOptions}. */
export const pushConsumeRules: OptionRules = { callback: fn, abort_on_missing_resource: bool };

/** Checks the options of a push consumer's `consume()`; throws `InvalidArgumentError`. */
export function checkPushOptions(opts: PushConsumerOptions | undefined): PushConsumerOptions {
  return checkOptions("push consume", opts, pushConsumeRules);
}

/** Where a push consumer delivers. */
export interface PushTarget {
  /** The deliver subject. */
  subject: string;
  /** The deliver group (a queue subscription). */
  queue?: string;
  /** Idle heartbeat interval in milliseconds (0 = not watched). */
  hb: number;
}

/** Hooks an ordered push consumer plugs in. */
export interface PushHooks {
  /** Returns false for a message out of sequence: it is dropped and the consumer reset. */
  accept?(m: JsMsgImpl): boolean;
  /** Returns false when a heartbeat reveals missed messages (the consumer is reset). */
  heartbeat?(m: Msg): boolean;
  /**
   * Recreates the consumer: calls `listen` with its new deliver subject (synchronously, before
   * the consumer exists), then resolves with its name (or undefined to give up).
   */
  reset?(signal: AbortSignal, listen: (subject: string) => void): Promise<string | undefined>;
  /** Runs when the messages end (e.g. deletes an ephemeral consumer); `closed()` waits for it. */
  cleanup?(): Promise<unknown>;
}

type Item = JsMsgImpl | { fc: string };

/**
 * The implementation of {@link ConsumerMessages} for push consumers.
 *
 * @example
 * ```ts ignore
 * const pm = new PushMessages(api, { subject: "deliver.me", hb: 5000 }, {});
 * for await (const m of pm) m.ack();
 * ```
 */
export class PushMessages extends MessagesBase<Item> implements ConsumerMessages {
  readonly #api: JsApi;
  readonly #queueName: string | undefined;
  readonly #hooks: PushHooks;
  readonly #stalled = new Set<string>();
  readonly #abortOnMissing: boolean;

  /** Subscribes to `target.subject` and starts watching heartbeats and the connection. */
  constructor(api: JsApi, target: PushTarget, opts: PushConsumerOptions, hooks: PushHooks = {}) {
    super(api.nc, target.hb, opts.callback);
    this.#api = api;
    this.#queueName = target.queue;
    this.#hooks = hooks;
    this.#abortOnMissing = opts.abort_on_missing_resource ?? false;
    this.#subscribe(target.subject);
    this.monitor.start();
  }

  protected missed(): void {
    this.#reset();
  }

  protected reconnected(): void {
    this.#reset();
  }

  #subscribe(subject: string): void {
    const sub: Subscription = this.#api.nc.subscribe(subject, {
      queue: this.#queueName,
      callback: (_e, m) => this.#onMsg(sub, m),
    });
    this.watch(sub);
  }

  #respond(subject: string): void {
    this.#api.nc.publish(subject);
    this.notes.emit({ type: "flow_control" });
  }

  #onMsg(sub: Subscription, m: Msg): void {
    if (this.stopped || sub !== this.sub) return;
    this.monitor.touch();
    const code = m.data.length === 0 ? m.headers?.code ?? 0 : 0;
    if (code === 100) {
      const stalled = m.headers?.get("Nats-Consumer-Stalled");
      if (stalled && !this.#stalled.has(stalled)) {
        this.#stalled.add(stalled);
        this.#respond(stalled);
      }
      if (m.reply) {
        if (this.callback) this.#respond(m.reply);
        else this.queue.push({ fc: m.reply });
        return;
      }
      this.notes.emit(heartbeatNote(m));
      if (this.#hooks.heartbeat && !this.#hooks.heartbeat(m)) this.#reset();
      return;
    }
    if (code !== 0) {
      const description = (m.headers?.description ?? "").toLowerCase();
      if (code === 409 && description.includes("consumer deleted")) {
        this.notes.emit({ type: "consumer_deleted", code, description });
      }
      if (this.#abortOnMissing) return this.stop(new JetStreamStatusError(code, description));
      if (code === 409) this.#reset();
      return;
    }
    const jm = new JsMsgImpl(m, this.#api.nc);
    if (this.#hooks.accept && !this.#hooks.accept(jm)) return this.#reset();
    this.received++;
    if (this.callback) {
      this.processed++;
      try {
        this.callback(jm);
      } catch (error) {
        this.notes.emit({ type: "callback_error", error });
      }
    } else this.queue.push(jm);
  }

  #reset(): void {
    const hooks = this.#hooks;
    if (!hooks.reset) return;
    void this.recreate(
      (signal) => hooks.reset!(signal, (subject) => this.#subscribe(subject)),
      (name) => {
        this.monitor.touch();
        this.notes.emit({ type: "ordered_consumer_recreated", name });
      },
    );
  }

  /** Resolves `closed()` once the `cleanup` hook has finished. */
  protected override settle(err: Error | undefined): void {
    const cleanup = this.#hooks.cleanup?.().catch(() => {}) ?? Promise.resolve();
    cleanup.then(() => super.settle(err));
  }

  getPending(): number {
    return this.queue.length;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<JsMsg> {
    this.iterable();
    try {
      for await (const item of this.queue) {
        if (item instanceof JsMsgImpl) {
          this.processed++;
          yield item;
        } else this.#respond(item.fc);
      }
    } finally {
      this.stop();
    }
  }
}
