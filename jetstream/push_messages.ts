/**
 * The push engine behind push consumers: a subscription on the deliver subject, flow-control
 * replies sent as the application reaches them, stalled-consumer replies, idle-heartbeat and
 * connection monitoring, and (for ordered push consumers) recovery onto a new deliver subject.
 *
 * @module
 */
import { deferred } from "../src/encoding.ts";
import { InvalidArgumentError, type Msg, type Subscription } from "../src/core.ts";
import type { JsApi } from "./api.ts";
import { AsyncQueue, Broadcaster } from "../src/queue.ts";
import type { ConsumerMessages, ConsumerNotification } from "./consume_types.ts";
import { type JsMsg, JsMsgImpl } from "./jsmsg.ts";
import { PullMonitor } from "./pull_monitor.ts";

/** Options of a push consumer's `consume()`. */
export interface PushConsumerOptions {
  /** Handle messages in this callback instead of iterating. */
  callback?: (m: JsMsg) => void;
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

/** The implementation of {@link ConsumerMessages} for push consumers. */
export class PushMessages implements ConsumerMessages {
  readonly #api: JsApi;
  readonly #queueName: string | undefined;
  readonly #hooks: PushHooks;
  readonly #queue = new AsyncQueue<Item>();
  readonly #notes = new Broadcaster<ConsumerNotification>(256);
  readonly #closed = deferred<void | Error>();
  readonly #abort = new AbortController();
  readonly #monitor: PullMonitor;
  readonly #callback: ((m: JsMsg) => void) | undefined;
  readonly #stalled = new Set<string>();
  #sub: Subscription | undefined;
  #received = 0;
  #processed = 0;
  #stopped = false;
  #resetting = false;

  /** Subscribes to `target.subject` and starts watching heartbeats and the connection. */
  constructor(api: JsApi, target: PushTarget, opts: PushConsumerOptions, hooks: PushHooks = {}) {
    this.#api = api;
    this.#queueName = target.queue;
    this.#hooks = hooks;
    this.#callback = opts.callback;
    this.#monitor = new PullMonitor(api.nc, target.hb, {
      active: () => !this.#stopped && !this.#resetting,
      missed: (count) => {
        this.#notes.emit({ type: "heartbeats_missed", count });
        void this.#reset();
      },
      disconnected: () => {},
      reconnected: () => {
        this.#notes.emit({ type: "reset" });
        void this.#reset();
      },
    });
    this.#subscribe(target.subject);
    this.#monitor.start();
    this.#queue.onReturn = () => this.stop();
  }

  #subscribe(subject: string): void {
    const sub: Subscription = this.#api.nc.subscribe(subject, {
      queue: this.#queueName,
      callback: (_e, m) => this.#onMsg(sub, m),
    });
    this.#sub = sub;
    sub.closed.then((err) => {
      if (this.#sub === sub && !this.#resetting) this.stop(err || undefined);
    });
  }

  #respond(subject: string): void {
    this.#api.nc.publish(subject);
    this.#notes.emit({ type: "flow_control" });
  }

  #onMsg(sub: Subscription, m: Msg): void {
    if (this.#stopped || sub !== this.#sub) return;
    this.#monitor.touch();
    const code = m.data.length === 0 ? m.headers?.code ?? 0 : 0;
    if (code === 100) {
      const stalled = m.headers?.get("Nats-Consumer-Stalled");
      if (stalled && !this.#stalled.has(stalled)) {
        this.#stalled.add(stalled);
        this.#respond(stalled);
      }
      if (m.reply) {
        if (this.#callback) this.#respond(m.reply);
        else this.#queue.push({ fc: m.reply });
        return;
      }
      this.#notes.emit({ type: "heartbeat" });
      if (this.#hooks.heartbeat && !this.#hooks.heartbeat(m)) void this.#reset();
      return;
    }
    if (code === 409) {
      this.#notes.emit({ type: "consumer_deleted", code, description: m.headers?.description ?? "" });
      return void this.#reset();
    }
    if (code !== 0) return;
    const jm = new JsMsgImpl(m, this.#api.nc);
    if (this.#hooks.accept && !this.#hooks.accept(jm)) return void this.#reset();
    this.#received++;
    if (this.#callback) {
      this.#processed++;
      try {
        this.#callback(jm);
      } catch (error) {
        this.#notes.emit({ type: "callback_error", error });
      }
    } else this.#queue.push(jm);
  }

  async #reset(): Promise<void> {
    if (this.#resetting || this.#stopped || !this.#hooks.reset) return;
    this.#resetting = true;
    const old = this.#sub;
    this.#sub = undefined;
    old?.unsubscribe();
    let name: string | undefined;
    try {
      name = await this.#hooks.reset(this.#abort.signal, (subject) => this.#subscribe(subject));
    } catch (err) {
      this.#resetting = false;
      return this.stop(err as Error);
    }
    this.#resetting = false;
    if (this.#stopped) return;
    if (!name) return this.stop();
    this.#monitor.touch();
    this.#notes.emit({ type: "ordered_consumer_recreated", name });
  }

  status(): AsyncIterable<ConsumerNotification> {
    return this.#notes.listen();
  }

  stop(err?: Error): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#abort.abort();
    this.#monitor.stop();
    const sub = this.#sub;
    this.#sub = undefined;
    if (sub && !sub.isClosed()) sub.unsubscribe();
    this.#queue.end(err);
    this.#notes.end();
    const cleanup = this.#hooks.cleanup?.().catch(() => {}) ?? Promise.resolve();
    cleanup.then(() => this.#closed.resolve(err));
  }

  close(): Promise<void | Error> {
    this.stop();
    this.#queue.discard();
    return this.#closed.promise;
  }

  closed(): Promise<void | Error> {
    return this.#closed.promise;
  }

  getProcessed(): number {
    return this.#processed;
  }

  getPending(): number {
    return this.#queue.length;
  }

  getReceived(): number {
    return this.#received;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<JsMsg> {
    if (this.#callback) throw new InvalidArgumentError("messages with a callback cannot be iterated");
    try {
      for await (const item of this.#queue) {
        if (item instanceof JsMsgImpl) {
          this.#processed++;
          yield item;
        } else this.#respond(item.fc);
      }
    } finally {
      this.stop();
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
