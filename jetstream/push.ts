/**
 * Push consumers (legacy): the server sends to the consumer's deliver subject; the client answers
 * flow-control requests as the application reaches them and watches idle heartbeats.
 *
 * @module
 */
import { deferred } from "../src/encoding.ts";
import { InvalidArgumentError, type Msg, type Subscription } from "../src/core.ts";
import type { JsApi } from "./api.ts";
import { AsyncQueue, Broadcaster } from "../src/queue.ts";
import type { ConsumerMessages, ConsumerNotification } from "./consume_types.ts";
import type { ConsumerInfo } from "./consumer_types.ts";
import { ConsumerAPI } from "./consumers_api.ts";
import { type JsMsg, JsMsgImpl } from "./jsmsg.ts";
import { millis } from "./util.ts";
import { PullMonitor } from "./pull_monitor.ts";

/** Options of a push consumer's `consume()`. */
export interface PushConsumerOptions {
  /** Handle messages in this callback instead of iterating. */
  callback?: (m: JsMsg) => void;
}

type Item = JsMsgImpl | { fc: string };

/** The messages of a push consumer. */
class PushMessages implements ConsumerMessages {
  readonly #api: JsApi;
  readonly #queue = new AsyncQueue<Item>();
  readonly #notes = new Broadcaster<ConsumerNotification>(256);
  readonly #closed = deferred<void | Error>();
  readonly #sub: Subscription;
  readonly #monitor: PullMonitor;
  readonly #callback: ((m: JsMsg) => void) | undefined;
  readonly #stalled = new Set<string>();
  #received = 0;
  #processed = 0;
  #stopped = false;

  constructor(api: JsApi, info: ConsumerInfo, opts: PushConsumerOptions) {
    this.#api = api;
    this.#callback = opts.callback;
    const cfg = info.config;
    this.#sub = api.nc.subscribe(cfg.deliver_subject!, {
      queue: cfg.deliver_group,
      callback: (_e, m) => this.#onMsg(m),
    });
    this.#sub.closed.then((err) => this.stop(err || undefined));
    this.#monitor = new PullMonitor(api.nc, cfg.idle_heartbeat ? millis(cfg.idle_heartbeat) : 0, {
      active: () => !this.#stopped,
      missed: (count) => this.#notes.emit({ type: "heartbeats_missed", count }),
      disconnected: () => {},
      reconnected: () => this.#notes.emit({ type: "reset" }),
    });
    this.#monitor.start();
    this.#queue.onReturn = () => this.stop();
  }

  #respond(subject: string): void {
    this.#api.nc.publish(subject);
    this.#notes.emit({ type: "flow_control" });
  }

  #onMsg(m: Msg): void {
    if (this.#stopped) return;
    this.#monitor.touch();
    const code = m.data.length === 0 ? m.headers?.code ?? 0 : 0;
    if (code === 100) {
      const stalled = m.headers?.get("Nats-Consumer-Stalled");
      if (stalled && !this.#stalled.has(stalled)) {
        this.#stalled.add(stalled);
        this.#respond(stalled);
      }
      if (!m.reply) return this.#notes.emit({ type: "heartbeat" });
      if (this.#callback) return this.#respond(m.reply);
      return this.#queue.push({ fc: m.reply });
    }
    if (code === 409) {
      const description = m.headers?.description ?? "";
      this.#notes.emit({ type: "consumer_deleted", code, description });
      return;
    }
    if (code !== 0) return;
    this.#received++;
    const jm = new JsMsgImpl(m, this.#api.nc);
    if (this.#callback) {
      this.#processed++;
      try {
        this.#callback(jm);
      } catch (error) {
        this.#notes.emit({ type: "callback_error", error });
      }
    } else this.#queue.push(jm);
  }

  status(): AsyncIterable<ConsumerNotification> {
    return this.#notes.listen();
  }

  stop(err?: Error): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#monitor.stop();
    if (!this.#sub.isClosed()) this.#sub.unsubscribe();
    this.#queue.end(err);
    this.#notes.end();
    this.#closed.resolve(err);
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

/**
 * A push consumer: `consume()` subscribes to its deliver subject.
 *
 * @example
 * ```ts ignore
 * const pc = await js.consumers.getPushConsumer("ORDERS", "pusher");
 * for await (const m of await pc.consume()) m.ack();
 * ```
 */
export class PushConsumer {
  readonly #api: JsApi;
  #info: ConsumerInfo;

  private constructor(api: JsApi, info: ConsumerInfo) {
    this.#api = api;
    this.#info = info;
  }

  /** Looks the consumer up; rejects when it is a pull consumer. */
  static async get(api: JsApi, stream: string, name: string): Promise<PushConsumer> {
    const info = await new ConsumerAPI(api).info(stream, name);
    if (!info.config.deliver_subject) throw new InvalidArgumentError(`consumer '${name}' is not a push consumer`);
    return new PushConsumer(api, info);
  }

  /** The consumer's info; `cached` returns the last one read. */
  async info(cached = false): Promise<ConsumerInfo> {
    if (!cached) this.#info = await new ConsumerAPI(this.#api).info(this.#info.stream_name, this.#info.name);
    return this.#info;
  }

  /** Starts receiving. */
  consume(opts: PushConsumerOptions = {}): Promise<ConsumerMessages> {
    return Promise.resolve(new PushMessages(this.#api, this.#info, opts));
  }

  /** Deletes the consumer. */
  delete(): Promise<boolean> {
    return new ConsumerAPI(this.#api).delete(this.#info.stream_name, this.#info.name);
  }
}
