/**
 * The public connection.
 *
 * @module
 */
import { Connection, type Stats } from "./connection/connection.ts";
import type { ServerInfo } from "./connection/info.ts";
import { type Payload, payloadBytes } from "./encoding.ts";
import { ClosedConnectionError } from "./errors.ts";
import type { MsgHdrs } from "./headers.ts";
import type { Msg, RespondOptions } from "./msg.ts";
import { any, checkOptions, type OptionRules, str, withDefaults } from "./option_check.ts";
import { type ConnectionOptions, resolveOptions } from "./options.ts";
import {
  REQUEST_MANY_OPTION_RULES,
  REQUEST_OPTION_RULES,
  type RequestManyOptions,
  RequestMux,
  type RequestOptions,
  requestOwnInbox,
  TRACE_OPTION_RULES,
} from "./request.ts";
import { requestMany } from "./request_many.ts";
import type { Status } from "./status.ts";
import { type Subscription, SUBSCRIPTION_OPTION_RULES, type SubscriptionOptions } from "./subscription.ts";
import { headerBlock, type TraceOptions } from "./trace.ts";
import type { Dialer } from "./transport/transport.ts";
import { checkInboxPrefix, oneOffSubjectBytes, publishSubjectBytes } from "./validate.ts";

/** Set by the class below: publishes a deferred frame (see {@link publishDeferred}). */
let deferredPublisher: (nc: NatsConnection, subject: string, data: Uint8Array) => void;

/**
 * Options for `publish()`.
 *
 * @example
 * ```ts ignore
 * const h = headers();
 * h.set("X-Id", "1");
 * nc.publish("orders.new", "{}", { reply: "orders.done", headers: h, traceDestination: "trace.orders" });
 * ```
 */
export interface PublishOptions extends TraceOptions {
  /** Reply subject for the receiver to answer on (an empty string means none). */
  reply?: string;
  /** Headers to send (made by `headers()`). */
  headers?: MsgHdrs;
}

/**
 * The rules of {@link PublishOptions}: checked on every publish that has options, so only the keys
 * and cheap types here (the reply, headers and trace destination are checked in full when encoded).
 */
const PUBLISH_OPTION_RULES: OptionRules = { ...TRACE_OPTION_RULES, reply: str(true), headers: any };

/**
 * Checks publish options at hot-path cost (a for-in over the keys given, about 15 ns): the keys of
 * {@link PUBLISH_OPTION_RULES} with the types that are cheap to test pass at once; anything else
 * goes to `checkOptions`, which names the problem (or passes an unknown key set to `undefined`).
 */
function checkPublishOptions(options: PublishOptions): void {
  if (typeof options === "object" && options !== null && !Array.isArray(options)) {
    let plain = true;
    for (const key in options) {
      switch (key) {
        case "headers": // checked in full when encoded
          continue;
        case "reply":
        case "traceDestination": {
          const v = options[key];
          if (v === undefined || typeof v === "string") continue;
          break;
        }
        case "traceOnly":
          if (options.traceOnly === undefined || typeof options.traceOnly === "boolean") continue;
      }
      plain = false;
      break;
    }
    if (plain) return;
  }
  checkOptions("publish", options, PUBLISH_OPTION_RULES);
}

/**
 * A connection to a NATS server (or cluster). Create one with `connect()`.
 *
 * @example
 * ```ts ignore
 * import { connect } from "@natsw/natsw";
 * await using nc = await connect({ servers: "127.0.0.1:4222" });
 * nc.subscribe("hello", { callback: (_err, m) => console.log(m.string()) });
 * nc.publish("hello", "world");
 * await nc.flush();
 * ```
 */
export class NatsConnection implements AsyncDisposable {
  readonly #conn: Connection;
  readonly #mux: RequestMux;

  private constructor(conn: Connection) {
    this.#conn = conn;
    this.#mux = new RequestMux(conn);
    conn.responder = this;
    conn.onClose = (err) => this.#mux.failAll(err);
  }

  /**
   * Connects with `dial` (a transport for the runtime). Prefer the `connect()` of the entry point
   * you import, which supplies the transport.
   */
  static async connect(options: ConnectionOptions, dial: Dialer): Promise<NatsConnection> {
    const resolved = resolveOptions(options);
    checkInboxPrefix(resolved.inboxPrefix);
    const conn = new Connection(resolved, dial);
    const nc = new NatsConnection(conn);
    await conn.start();
    return nc;
  }

  /** The options in force, defaults filled in. */
  get options(): Readonly<ConnectionOptions> {
    return this.#conn.options;
  }

  /** The INFO of the server connected to (updated as the server sends more). */
  get info(): ServerInfo | undefined {
    return this.#conn.info;
  }

  /**
   * Publishes `payload` (a string sent as UTF-8, or binary data: a `Uint8Array`, an `ArrayBuffer`
   * or any other `ArrayBufferView`, by the bytes it spans) to `subject`. Returns at once; the
   * bytes are written in the background (use `flush()` to wait for the server). With
   * `traceDestination` the servers report the message's path there (nats-server 2.11+).
   * Throws `InvalidSubjectError`, `InvalidArgumentError`, `MaxPayloadExceededError`, `OutboundBufferFullError`,
   * `ClosedConnectionError` or `DrainingConnectionError`; nothing is sent when it throws.
   */
  publish(subject: string, payload?: Payload, options?: PublishOptions): void {
    if (options !== undefined) checkPublishOptions(options);
    this.#conn.publishBytes(
      publishSubjectBytes(subject),
      options?.reply ? publishSubjectBytes(options.reply) : undefined,
      options === undefined ? undefined : headerBlock(options),
      payloadBytes(payload),
    );
  }

  /** Publishes a message object (subject, data, reply, headers), e.g. one received. */
  publishMessage(msg: Pick<Msg, "subject" | "data"> & Partial<Pick<Msg, "reply" | "headers">>): void {
    this.publish(msg.subject, msg.data, { reply: msg.reply, headers: msg.headers });
  }

  /**
   * Publishes `msg` itself (its data and headers) to its reply subject, as nats.js does (the copy
   * carries the same subject as its reply); false when it has none. With `payload` or `options`,
   * answers `msg` with those instead, like `msg.respond()`.
   */
  respondMessage(msg: Msg, payload?: Payload, options?: RespondOptions): boolean {
    if (payload !== undefined || options !== undefined) return msg.respond(payload, options);
    if (!msg.reply) return false;
    this.publish(msg.reply, msg.data, { reply: msg.reply, headers: msg.headers });
    return true;
  }

  /**
   * Subscribes to `subject` (wildcards allowed). Throws `InvalidSubjectError`, or
   * `InvalidArgumentError` for options {@link SubscriptionOptions} does not allow; nothing is sent
   * when it throws.
   */
  subscribe(subject: string, options?: SubscriptionOptions): Subscription {
    const opts = options === undefined
      ? undefined
      : withDefaults({}, checkOptions("subscribe", options, SUBSCRIPTION_OPTION_RULES));
    return this.#conn.subscribe(subject, opts);
  }

  /**
   * Sends a request and resolves with the first reply. Rejects with `NoRespondersError` when
   * nobody listens on `subject`, `TimeoutError` when no reply comes in time (always the case with
   * `traceOnly`, which keeps the request from reaching the responder), `InvalidArgumentError` for
   * options {@link RequestOptions} does not allow (before anything is sent).
   */
  request(subject: string, payload?: Payload, options: RequestOptions = {}): Promise<Msg> {
    try {
      checkOptions("request", options, REQUEST_OPTION_RULES);
      if (this.#conn.isClosed) return Promise.reject(new ClosedConnectionError());
      if (options.noMux || options.reply) return requestOwnInbox(this.#conn, subject, payload, options);
      return this.#mux.request(subject, payload, options);
    } catch (err) {
      return Promise.reject(err); // a promise API: bad arguments reject too, they never throw
    }
  }

  /**
   * Sends a request and yields every reply until `maxMessages`, `maxWait`, a `stall`, a
   * `sentinel` or a nats.js `strategy` ends it (see {@link RequestManyOptions}). Rejects with
   * `InvalidArgumentError` for options it does not allow (before anything is sent); the iteration
   * throws `NoRespondersError`, or `SlowConsumerError` when replies outgrow the pending limits.
   */
  requestMany(subject: string, payload?: Payload, options: RequestManyOptions = {}): Promise<AsyncIterable<Msg>> {
    try {
      checkOptions("requestMany", options, REQUEST_MANY_OPTION_RULES);
      return Promise.resolve(requestMany(this.#conn, subject, payload, options));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Resolves once the server has processed everything sent before (a PING/PONG round trip).
   * Rejects with `TimeoutError` when no answer comes within the `flushTimeout` option (default
   * 10 s: a frozen server never answers), with `ConnectionError` when the connection is lost first.
   */
  flush(): Promise<void> {
    return this.#conn.flush();
  }

  /** Resolves once the outbound buffer is at most half full: await it in long publish loops. */
  writable(): Promise<void> {
    return this.#conn.writable();
  }

  /** Milliseconds of one round trip to the server. */
  async rtt(): Promise<number> {
    const start = performance.now();
    await this.#conn.flush();
    return performance.now() - start;
  }

  /**
   * Drains every subscription, flushes publishes, then closes. It always ends closed: when it
   * takes longer than the `drainTimeout` option (default 30 s) it closes and rejects with
   * `TimeoutError`; when the connection is lost on the way, it closes and rejects with that error
   * (`closed()` resolves with the same error).
   */
  drain(): Promise<void> {
    return this.#conn.drain();
  }

  /** Closes now (buffered publishes are written first, best effort). Never rejects. */
  close(): Promise<void> {
    return this.#conn.close();
  }

  /** Resolves when the connection has closed, with the error that closed it, if any. */
  closed(): Promise<void | Error> {
    return this.#conn.closed;
  }

  /** True once closed (or closing). */
  isClosed(): boolean {
    return this.#conn.isClosed;
  }

  /** True while draining. */
  isDraining(): boolean {
    return this.#conn.isDraining;
  }

  /**
   * Connection events; the iterator ends when the connection closes. Events are buffered (the
   * latest 1,024) from the moment iteration starts, so an iterable that is never iterated costs
   * nothing.
   */
  status(): AsyncIterable<Status> {
    return this.#conn.statusHub.listen();
  }

  /** Counters over the connection's life. */
  stats(): Stats {
    return { ...this.#conn.stats };
  }

  /** The server connected to (`host:port`), or an empty string while disconnected. */
  getServer(): string {
    return this.#conn.server;
  }

  /** The servers in the pool (`host:port`), including those the cluster announced. */
  getServers(): string[] {
    return this.#conn.servers;
  }

  /**
   * Replaces the server pool with `servers` (URLs or `host:port`, as the `servers` option). The
   * live connection is not dropped: the new pool is used from the next reconnect on (call
   * `reconnect()` to switch now). Throws `InvalidArgumentError`, changing nothing, for an empty
   * list or an entry that does not parse.
   */
  setServers(servers: string[]): void {
    this.#conn.setServers(servers);
  }

  /** Drops the connection and reconnects (emits a `forceReconnect` status). */
  reconnect(): Promise<void> {
    return this.#conn.reconnect();
  }

  /** Drains the connection (used by `await using`). */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#conn.isClosed) return;
    await this.#conn.drain().catch(() => this.#conn.close());
  }

  static {
    deferredPublisher = (nc, subject, data) =>
      nc.#conn.publishBytes(oneOffSubjectBytes(subject), undefined, undefined, data, true);
  }
}

/**
 * Publishes `data` to `subject` like `nc.publish`, except that the frame does not start a socket
 * write of its own: it leaves with the next write or after at most a timer tick. For JetStream
 * acks, which are sent for nearly every message consumed: written a few at a time they cost a
 * system call each, on both sides. The subject is validated but not cached (each ack subject is
 * used once). Internal (not exported by the entry points).
 *
 * @example
 * ```ts ignore
 * publishDeferred(nc, m.reply!, new TextEncoder().encode("+ACK"));
 * ```
 */
export function publishDeferred(nc: NatsConnection, subject: string, data: Uint8Array): void {
  deferredPublisher(nc, subject, data);
}
