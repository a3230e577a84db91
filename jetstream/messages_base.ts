/**
 * The plumbing shared by the pull and push engines behind {@link ConsumerMessages}: the queue of
 * messages, the notifications, the received/processed counters, the heartbeat and connection
 * monitor, the watch on the current subscription and the common part of stopping. Each engine
 * keeps its own protocol (pulls and pending accounting, or flow control and cleanup).
 *
 * @module
 */
import { deferred } from "../src/encoding.ts";
import { InvalidOperationError, type Msg, type NatsConnection, type Subscription } from "../src/core.ts";
import { AsyncQueue, Broadcaster } from "../src/queue.ts";
import type { ConsumerMessages, ConsumerNotification } from "./consume_types.ts";
import type { JsMsg } from "./jsmsg.ts";
import { PullMonitor } from "./pull_monitor.ts";

/** The `heartbeat` notification of an idle heartbeat `m`: the consumer's and the stream's last sequences. */
export function heartbeatNote(m: Msg): ConsumerNotification {
  return {
    type: "heartbeat",
    lastConsumerSequence: Number(m.headers?.get("Nats-Last-Consumer") || 0),
    lastStreamSequence: Number(m.headers?.get("Nats-Last-Stream") || 0),
  };
}

/**
 * The base of the pull and push engines; `T` is what the queue holds for the iterator.
 *
 * @example
 * ```ts ignore
 * class Engine extends MessagesBase<JsMsg> {
 *   constructor(nc: NatsConnection) {
 *     super(nc, 5000, undefined);
 *     this.watch(nc.subscribe("deliver", { callback: (_e, m) => this.queue.push(new JsMsgImpl(m, nc)) }));
 *     this.monitor.start();
 *   }
 *   protected missed(): void {}
 *   protected reconnected(): void {}
 *   getPending(): number { return this.queue.length; }
 *   [Symbol.asyncIterator](): AsyncIterator<JsMsg> { return this.queue[Symbol.asyncIterator](); }
 * }
 * ```
 */
export abstract class MessagesBase<T> implements ConsumerMessages {
  /** What the iterator takes; ends (with the stop error, if any) when the messages stop. */
  protected readonly queue: AsyncQueue<T> = new AsyncQueue<T>();
  /** The notifications behind {@link status}. */
  protected readonly notes: Broadcaster<ConsumerNotification> = new Broadcaster<ConsumerNotification>(256);
  /** Aborted on stop (cancels a consumer recreation under way). */
  protected readonly abort: AbortController = new AbortController();
  /** Heartbeat and connection monitor; started by the engine, stopped here. */
  protected readonly monitor: PullMonitor;
  /** The application's callback (messages are then not queued). */
  protected readonly callback: ((m: JsMsg) => void) | undefined;
  /** The current subscription (undefined while a recreation is under way and after stop). */
  protected sub: Subscription | undefined;
  /** Messages handed on (to the queue or the callback). */
  protected received = 0;
  /** Messages the application took. */
  protected processed = 0;
  /** True once stopped. */
  protected stopped = false;
  /** True while an ordered consumer is recreated (the monitor is quiet, a closed subscription is expected). */
  protected resetting = false;
  readonly #closed = deferred<void | Error>();

  /** Creates the monitor (`hb` in ms, 0 = no heartbeat checks); returning from the iterator stops. */
  constructor(nc: NatsConnection, hb: number, callback: ((m: JsMsg) => void) | undefined) {
    this.callback = callback;
    this.monitor = new PullMonitor(nc, hb, {
      active: () => !this.stopped && this.owed(),
      missed: (count) => {
        this.notes.emit({ type: "heartbeats_missed", count });
        this.missed();
      },
      disconnected: () => {},
      reconnected: () => this.reconnected(),
    });
    this.queue.onReturn = () => this.stop();
  }

  /** True while traffic is expected, so silence counts as missed heartbeats (checked only while running). */
  protected owed(): boolean {
    return true;
  }

  /** Heartbeats were missed (already notified). */
  protected abstract missed(): void;

  /** The connection is back. */
  protected abstract reconnected(): void;

  /** Makes `sub` the current subscription; its closing while current (not recreating) stops. */
  protected watch(sub: Subscription): void {
    this.sub = sub;
    sub.closed.then((err) => {
      if (this.sub === sub && !this.resetting) this.stop(err || undefined);
    });
  }

  /**
   * Recreates an ordered consumer: drops the current subscription, awaits `reset` (given the
   * abort signal) and, unless stopped meanwhile, calls `resume` with the new consumer name; stops
   * when `reset` throws or gives no name. Does nothing while stopped or already recreating.
   */
  protected async recreate(
    reset: (signal: AbortSignal) => Promise<string | undefined>,
    resume: (name: string) => void,
  ): Promise<void> {
    if (this.resetting || this.stopped) return;
    this.resetting = true;
    const old = this.sub;
    this.sub = undefined;
    old?.unsubscribe();
    let name: string | undefined;
    try {
      name = await reset(this.abort.signal);
    } catch (err) {
      this.resetting = false;
      return this.stop(err as Error);
    }
    this.resetting = false;
    if (this.stopped) return;
    if (!name) return this.stop();
    resume(name);
  }

  /** Throws `InvalidOperationError` (as nats.js) when a callback handles the messages. */
  protected iterable(): void {
    if (this.callback) throw new InvalidOperationError("iterator cannot be used when a callback is registered");
  }

  /** Resolves {@link closed}; an engine with work to finish first overrides it. */
  protected settle(err: Error | undefined): void {
    this.#closed.resolve(err);
  }

  status(): AsyncIterable<ConsumerNotification> {
    return this.notes.listen();
  }

  stop(err?: Error): void {
    if (this.stopped) return;
    this.stopped = true;
    this.abort.abort();
    this.monitor.stop();
    const sub = this.sub;
    this.sub = undefined;
    if (sub && !sub.isClosed()) sub.unsubscribe();
    this.queue.end(err);
    this.notes.end();
    this.settle(err);
  }

  close(): Promise<void | Error> {
    this.stop();
    this.queue.discard();
    return this.#closed.promise;
  }

  closed(): Promise<void | Error> {
    return this.#closed.promise;
  }

  getProcessed(): number {
    return this.processed;
  }

  abstract getPending(): number;

  getReceived(): number {
    return this.received;
  }

  abstract [Symbol.asyncIterator](): AsyncIterator<JsMsg>;

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
