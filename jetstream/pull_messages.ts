/**
 * The pull engine behind `fetch()`, `next()` and `consume()` (ADR-37): one inbox subscription,
 * pull requests sized so that requested plus buffered messages never exceed the budget, refills
 * sent only as the application takes messages, status handling, heartbeat monitoring and
 * recovery. Problems are reported on `status()`; only terminal conditions end the iteration.
 *
 * @module
 */
import { createInbox, type Msg, type Subscription } from "../src/core.ts";
import type { JsApi } from "./api.ts";
import type { ConsumerMessages } from "./consume_types.ts";
import type { PullRequest } from "./consumer_types.ts";
import { HeartbeatsMissedError, JetStreamApiError, JetStreamStatusError, JsApiCodes } from "./errors.ts";
import { type JsMsg, JsMsgImpl } from "./jsmsg.ts";
import { MessagesBase } from "./messages_base.ts";
import { msgSize, type ResolvedPullOptions } from "./pull_options.ts";
import { backoff, nanos } from "./util.ts";

/** Where pulls go; `consumer` changes when an ordered consumer is recreated. */
export interface PullTarget {
  /** The API (connection and prefix). */
  api: JsApi;
  /** Stream name. */
  stream: string;
  /** Consumer name. */
  consumer: string;
}

/** Hooks an ordered consumer plugs in. */
export interface PullHooks {
  /** Returns false for a message out of sequence: it is dropped and the consumer reset. */
  accept?(m: JsMsgImpl): boolean;
  /** Recreates the consumer; resolves with its new name (or undefined to give up). */
  reset?(signal: AbortSignal): Promise<string | undefined>;
}

/**
 * The implementation of {@link ConsumerMessages} for pull consumers.
 *
 * @example
 * ```ts ignore
 * const pm = new PullMessages({ api, stream: "S", consumer: "C" }, resolvePullOptions({ max_messages: 10 }, false));
 * pm.start();
 * for await (const m of pm) m.ack();
 * ```
 */
export class PullMessages extends MessagesBase<JsMsgImpl> implements ConsumerMessages {
  readonly #t: PullTarget;
  readonly #o: ResolvedPullOptions;
  readonly #hooks: PullHooks;
  #pendingMsgs = 0;
  #pendingBytes = 0;
  #bufMsgs = 0;
  #bufBytes = 0;
  #pinId = "";
  #retry: ReturnType<typeof setTimeout> | undefined;
  #retries = 0;
  #fetchTimer: ReturnType<typeof setTimeout> | undefined;
  #fetchSent = false;

  /** Creates the engine; call {@link start}. */
  constructor(target: PullTarget, opts: ResolvedPullOptions, hooks: PullHooks = {}) {
    super(target.api.nc, opts.hb, opts.callback);
    this.#t = target;
    this.#o = opts;
    this.#hooks = hooks;
    this.queue.onTake = (m) => this.#taken(m);
  }

  /** Subscribes and sends the first pull. */
  start(): void {
    this.#subscribe();
    this.#pull();
    if (this.#o.fetch) {
      this.#fetchTimer = setTimeout(() => this.stop(), this.#o.expires + Math.max(1000, this.#o.hb));
      // with heartbeats, a fetch whose request the server lost ends early with an error
      if (this.#o.hb > 0) this.monitor.start();
    } else this.monitor.start();
  }

  protected override owed(): boolean {
    return this.#o.maxBytes > 0 ? this.#pendingBytes > 0 : this.#pendingMsgs > 0;
  }

  #subscribe(): void {
    const inbox = createInbox(this.#t.api.nc.options.inboxPrefix);
    const sub = this.#t.api.nc.subscribe(inbox, { callback: (_e, m) => this.#onMsg(sub, m) });
    this.watch(sub);
  }

  #pull(): void {
    // while disconnected a pull would sit in the reconnect buffer and double the re-pull
    if (this.stopped || this.resetting || this.monitor.disconnected || this.#t.api.nc.getServer() === "") return;
    const o = this.#o;
    if (o.fetch) {
      if (this.#fetchSent) return;
      this.#fetchSent = true;
    }
    const req: PullRequest = { batch: 0, ...o.extra, expires: nanos(o.expires) };
    if (o.maxBytes > 0) {
      const held = this.#pendingBytes + this.#bufBytes;
      if (held > o.thresholdBytes) return;
      req.batch = o.maxMsgs;
      req.max_bytes = o.maxBytes - held;
    } else {
      const held = this.#pendingMsgs + this.#bufMsgs;
      if (held > o.thresholdMsgs) return;
      req.batch = o.maxMsgs - held;
    }
    if (o.hb > 0) req.idle_heartbeat = nanos(o.hb);
    if (this.#pinId) req.id = this.#pinId;
    this.#pendingMsgs += req.batch;
    this.#pendingBytes += req.max_bytes ?? 0;
    this.monitor.touch();
    try {
      this.#t.api.nc.publish(
        `${this.#t.api.prefix}.CONSUMER.MSG.NEXT.${this.#t.stream}.${this.#t.consumer}`,
        JSON.stringify(req),
        { reply: this.sub!.getSubject() },
      );
    } catch (err) {
      this.stop(err as Error);
      return;
    }
    this.notes.emit({ type: "next", batch: req.batch, ...(req.max_bytes ? { max_bytes: req.max_bytes } : {}) });
  }

  #onMsg(sub: Subscription, m: Msg): void {
    if (this.stopped || sub !== this.sub) return;
    this.monitor.touch();
    const code = m.data.length === 0 ? m.headers?.code ?? 0 : 0;
    if (code !== 0) return this.#onStatus(m, code);
    const jm = new JsMsgImpl(m, this.#t.api.nc);
    const size = this.#o.maxBytes > 0 ? msgSize(m) : 0;
    this.#pendingMsgs = Math.max(0, this.#pendingMsgs - 1);
    this.#pendingBytes = Math.max(0, this.#pendingBytes - size);
    this.#retries = 0;
    if (this.#hooks.accept && !this.#hooks.accept(jm)) return this.#hooks.reset ? this.#reset() : this.stop();
    const pin = m.headers?.get("Nats-Pin-Id");
    if (pin && pin !== this.#pinId) {
      this.#pinId = pin;
      this.notes.emit({ type: "consumer_pinned", id: pin });
    }
    this.received++;
    if (this.callback) {
      this.processed++;
      try {
        this.callback(jm);
      } catch (error) {
        this.notes.emit({ type: "callback_error", error });
      }
      this.#pull();
    } else {
      this.#bufMsgs++;
      this.#bufBytes += size;
      (jm as { size?: number }).size = size;
      this.queue.push(jm);
    }
    if (this.#o.fetch && (this.#o.maxBytes > 0 ? this.#pendingBytes <= 0 : this.#pendingMsgs <= 0)) this.stop();
  }

  #taken(m: JsMsgImpl): void {
    this.processed++;
    this.#bufMsgs--;
    this.#bufBytes -= (m as { size?: number }).size ?? 0;
    this.#pull();
  }

  #subtractPending(m: Msg): boolean {
    const pm = m.headers?.get("Nats-Pending-Messages");
    const pb = m.headers?.get("Nats-Pending-Bytes");
    if (!pm && !pb) return false;
    this.#pendingMsgs = Math.max(0, this.#pendingMsgs - Number(pm || 0));
    this.#pendingBytes = Math.max(0, this.#pendingBytes - Number(pb || 0));
    return true;
  }

  #onStatus(m: Msg, code: number): void {
    const description = m.headers?.description ?? "";
    const d = description.toLowerCase();
    if (code === 100) {
      if (m.reply) {
        this.#t.api.nc.publish(m.reply);
        this.notes.emit({ type: "flow_control" });
      } else this.notes.emit({ type: "heartbeat" });
      return;
    }
    if (code === 503) return this.#noResponders();
    if (code === 409 && (d.includes("consumer deleted") || d.includes("push based"))) {
      this.notes.emit({ type: "consumer_deleted", code, description });
      if (this.#hooks.reset && d.includes("deleted")) return this.#reset();
      return this.stop(new JetStreamStatusError(code, description));
    }
    if (code === 409 && d.includes("exceeded")) {
      this.notes.emit({ type: "exceeded_limits", code, description });
      if (!d.includes("maxwaiting")) return this.stop(new JetStreamStatusError(code, description));
      this.#subtractPending(m) || (this.#pendingMsgs = this.#pendingBytes = 0);
      return this.#retryLater();
    }
    if (code === 400 || code === 412) return this.stop(new JetStreamStatusError(code, description));
    if (code === 423) {
      this.#pinId = "";
      this.notes.emit({ type: "consumer_unpinned", code, description });
    } else this.notes.emit({ type: "debug", code, description });
    // 404, 408, 409 (batch completed, leadership change, …), 423: the request is over
    if (!this.#subtractPending(m)) this.#pendingMsgs = this.#pendingBytes = 0;
    if (this.#o.fetch) return this.stop();
    this.#pull();
  }

  #noResponders(): void {
    this.notes.emit({ type: "no_responders", code: 503 });
    this.#pendingMsgs = this.#pendingBytes = 0;
    if (this.#o.fetch) return this.stop(new JetStreamStatusError(503, "No Responders"));
    if (this.#hooks.reset) return this.#reset();
    if (this.#o.abortOnMissing) void this.#checkExists();
    this.#retryLater();
  }

  #retryLater(): void {
    if (this.#retry !== undefined || this.stopped) return;
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      this.#pull();
    }, backoff(this.#retries++, 250, 5000));
  }

  async #checkExists(): Promise<void> {
    try {
      await this.#t.api.request(`CONSUMER.INFO.${this.#t.stream}.${this.#t.consumer}`);
    } catch (err) {
      if (!(err instanceof JetStreamApiError)) return;
      if (err.is(JsApiCodes.StreamNotFound)) this.notes.emit({ type: "stream_not_found" });
      else if (err.is(JsApiCodes.ConsumerNotFound)) this.notes.emit({ type: "consumer_not_found" });
      else return;
      this.stop(err);
    }
  }

  protected missed(): void {
    if (this.#o.fetch) return this.stop(new HeartbeatsMissedError(this.#o.hb));
    this.#pendingMsgs = this.#pendingBytes = 0;
    if (this.#hooks.reset) return this.#reset();
    if (this.#o.abortOnMissing) void this.#checkExists();
    this.#pull();
  }

  protected reconnected(): void {
    // a fetch's one request stays open: if the server lost it, the heartbeats stop and say so
    if (this.#o.fetch) return;
    this.#pendingMsgs = this.#pendingBytes = 0;
    if (this.#hooks.reset) return this.#reset();
    this.#pull();
  }

  #reset(): void {
    const hooks = this.#hooks;
    if (!hooks.reset) return;
    void this.recreate(
      (signal) => {
        this.#pendingMsgs = this.#pendingBytes = 0;
        return hooks.reset!(signal);
      },
      (name) => {
        this.#t.consumer = name;
        this.notes.emit({ type: "ordered_consumer_recreated", name });
        this.#subscribe();
        this.monitor.touch();
        this.#pull();
      },
    );
  }

  /** Also cancels a pending retry and the fetch timer. */
  override stop(err?: Error): void {
    clearTimeout(this.#retry);
    clearTimeout(this.#fetchTimer);
    super.stop(err);
  }

  getPending(): number {
    return this.#pendingMsgs;
  }

  [Symbol.asyncIterator](): AsyncIterator<JsMsg> {
    this.iterable();
    return this.queue[Symbol.asyncIterator]();
  }
}
