/**
 * The pull engine behind `fetch()`, `next()` and `consume()` (ADR-37): one inbox subscription,
 * pull requests sized so that requested plus buffered messages never exceed the budget, refills
 * sent only as the application takes messages, status handling, heartbeat monitoring and
 * recovery. Problems are reported on `status()` with nats.js's notifications; only terminal
 * conditions end the iteration.
 *
 * How `consume()` recovers, as in nats.js: after a 503, a deleted consumer, a consumer limit,
 * missed heartbeats or a reconnect it checks the consumer (unless `bind`), every `expires` ms
 * while the stream or the consumer is missing (`stream_not_found` / `consumer_not_found`, ending
 * only with `abort_on_missing_resource`), then pulls afresh. Silence meanwhile is reported as
 * missed heartbeats.
 *
 * @module
 */
import { createInbox, type Msg, type Subscription } from "../src/core.ts";
import type { JsApi } from "./api.ts";
import type { ConsumerMessages } from "./consume_types.ts";
import type { PullRequest } from "./consumer_types.ts";
import { HeartbeatsMissedError, JetStreamApiError, JetStreamStatusError, JsApiCodes } from "./errors.ts";
import { type JsMsg, JsMsgImpl } from "./jsmsg.ts";
import { heartbeatNote, MessagesBase } from "./messages_base.ts";
import { msgSize, type ResolvedPullOptions } from "./pull_options.ts";
import { backoff, nanos, sleep } from "./util.ts";

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
  /**
   * Recreates the consumer; resolves with its new name (undefined when `signal` aborts). Each
   * failed creation is passed to `failed` with the count so far; when it returns false, `reset`
   * rejects with that error.
   */
  reset?(signal: AbortSignal, failed: (err: unknown, fails: number) => boolean): Promise<string | undefined>;
}

/** Ordered consumers give up after this many failed creations in a row when no message was ever received (nats.js). */
const MAX_CREATE_FAILS = 30;

/** True when `err` is the JetStream API error `code`. */
function isApiError(err: unknown, code: number): err is JetStreamApiError {
  return err instanceof JetStreamApiError && err.is(code);
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
  #fetchSent = false;
  /** Waiting to recover: no pulls are sent, and silence counts as missed heartbeats. */
  #stalled = false;
  /** A recovery (consumer check, then a fresh pull) is under way. */
  #recovering = false;
  /** 503s since the last message: the pull after a recovery waits a growing backoff. */
  #noResponders = 0;
  /** The first pull, sent on the next macrotask so that `status()` listeners see its notifications. */
  #firstPull: ReturnType<typeof setTimeout> | undefined;

  /** Creates the engine; call {@link start}. */
  constructor(target: PullTarget, opts: ResolvedPullOptions, hooks: PullHooks = {}) {
    super(target.api.nc, opts.hb, opts.callback);
    this.#t = target;
    this.#o = opts;
    this.#hooks = hooks;
    this.queue.onTake = (m) => this.#taken(m);
  }

  /**
   * Subscribes, starts the heartbeat and connection monitor, and sends the first pull right after
   * the caller has had the messages (nats.js sends it when iteration starts), so a `status()`
   * listener attached at once hears its `next`.
   */
  start(): void {
    this.#subscribe();
    this.monitor.start();
    this.#firstPull = setTimeout(() => this.#pull(), 0);
  }

  protected override owed(): boolean {
    if (this.#stalled || this.resetting) return true;
    return this.#o.maxBytes > 0 ? this.#pendingBytes > 0 : this.#pendingMsgs > 0;
  }

  #subscribe(): void {
    const inbox = createInbox(this.#t.api.nc.options.inboxPrefix);
    const sub = this.#t.api.nc.subscribe(inbox, { callback: (_e, m) => this.#onMsg(sub, m) });
    this.watch(sub);
  }

  #pull(): void {
    // while disconnected a pull would sit in the reconnect buffer and double the re-pull
    if (this.stopped || this.resetting || this.#stalled) return;
    if (this.monitor.disconnected || this.#t.api.nc.getServer() === "") return;
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
    req.idle_heartbeat = nanos(o.hb);
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
    this.notes.emit({ type: "next", options: req });
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
    this.#noResponders = 0;
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

  /**
   * Subtracts what a status says its request left unfilled (`Nats-Pending-*`) and notifies
   * `discard` when anything was; returns the bytes left, or undefined when the status carries no
   * counts.
   */
  #discard(m: Msg): number | undefined {
    const pm = m.headers?.get("Nats-Pending-Messages");
    const pb = m.headers?.get("Nats-Pending-Bytes");
    if (!pm && !pb) return undefined;
    const messagesLeft = Number(pm || 0);
    const bytesLeft = Number(pb || 0);
    this.#pendingMsgs = Math.max(0, this.#pendingMsgs - messagesLeft);
    this.#pendingBytes = Math.max(0, this.#pendingBytes - bytesLeft);
    if (messagesLeft > 0 || bytesLeft > 0) this.notes.emit({ type: "discard", messagesLeft, bytesLeft });
    return bytesLeft;
  }

  #onStatus(m: Msg, code: number): void {
    const description = (m.headers?.description ?? "").toLowerCase() || (code === 503 ? "no responders" : "unknown");
    if (code === 100) {
      if (m.reply) {
        this.#t.api.nc.publish(m.reply);
        this.notes.emit({ type: "flow_control" });
      } else this.notes.emit(heartbeatNote(m));
      return;
    }
    const bytesLeft = this.#discard(m);
    if (code === 503) return this.#onNoResponders();
    if (code === 400 || code === 412) return this.stop(new JetStreamStatusError(code, description));
    if (code === 409 && description.includes("consumer deleted")) return this.#onDeleted(code, description);
    if (code === 409 && description.includes("push based")) {
      return this.stop(new JetStreamStatusError(code, description));
    }
    if (code === 409 && description === "message size exceeds maxbytes") {
      this.notes.emit({ type: "exceeded_limits", code, description });
      // the next message did not fit what the request had left: it may fit a fresh request, but
      // not one with the whole budget (nats.js: a fetch always fails, a consume waits)
      if (this.#o.fetch && this.received === 0) return this.stop(new JetStreamStatusError(code, description));
      if (!this.#o.fetch && (bytesLeft ?? 0) >= this.#o.maxBytes) return this.#stall(false);
    } else if (code === 409 && description.includes("exceeded")) {
      this.notes.emit({ type: "exceeded_limits", code, description });
      if (this.#o.fetch) return this.stop(new JetStreamStatusError(code, description));
      return this.#stall(false);
    } else if (code === 423) {
      this.#pinId = "";
      this.notes.emit({ type: "consumer_unpinned", code, description });
    } else this.notes.emit({ type: "debug", code, description });
    // 404, 408, 409 (batch completed, leadership change, …), 423: the request is over
    if (bytesLeft === undefined) this.#pendingMsgs = this.#pendingBytes = 0;
    if (this.#o.fetch) return this.stop();
    this.#pull();
  }

  #onNoResponders(): void {
    this.notes.emit({ type: "no_responders", code: 503 });
    if (this.#o.fetch) return this.stop(new JetStreamStatusError(503, "no responders"));
    if (this.#hooks.reset) return this.#reset();
    this.#noResponders++;
    this.#stall(true);
  }

  #onDeleted(code: number, description: string): void {
    this.notes.emit({ type: "consumer_deleted", code, description });
    if (this.#o.fetch || this.#o.abortOnMissing) return this.stop(new JetStreamStatusError(code, description));
    if (this.#hooks.reset) return this.#reset();
    this.#stall(true);
  }

  /**
   * Stops pulling until a recovery: at once when `now`, otherwise when heartbeats are missed
   * (nats.js leaves a consumer limit to them, which paces the retries).
   */
  #stall(now: boolean): void {
    this.#stalled = true;
    if (now) void this.#recover();
  }

  /**
   * Checks that the consumer exists (not with `bind`), again every `expires` ms while the stream
   * or the consumer is missing (sooner, with backoff, while the check itself fails), then pulls
   * afresh; after 503s the pull waits a growing backoff. One runs at a time.
   */
  async #recover(): Promise<void> {
    if (this.#recovering || this.stopped) return;
    this.#recovering = true;
    this.#stalled = true;
    try {
      let notFound = 0;
      let failures = 0;
      while (!this.#o.bind && !this.stopped) {
        const err = await this.#t.api.request(`CONSUMER.INFO.${this.#t.stream}.${this.#t.consumer}`).then(
          () => undefined,
          (e: unknown) => e,
        );
        if (err === undefined || this.stopped) break;
        if (isApiError(err, JsApiCodes.StreamNotFound)) {
          this.notes.emit({ type: "stream_not_found", name: this.#t.stream });
          if (this.#o.abortOnMissing) return this.stop(err);
        } else if (isApiError(err, JsApiCodes.ConsumerNotFound)) {
          const { consumer: name, stream } = this.#t;
          this.notes.emit({ type: "consumer_not_found", name, stream, count: ++notFound });
          if (this.#o.abortOnMissing) return this.stop(err);
        } else {
          // no answer or JetStream busy (e.g. just restarted): ask again soon, not after `expires`
          notFound = 0;
          await sleep(backoff(failures++, 250, Math.min(5000, this.#o.expires)), this.abort.signal);
          continue;
        }
        failures = 0;
        await sleep(this.#o.expires, this.abort.signal);
      }
      if (this.#noResponders > 0) await sleep(backoff(this.#noResponders - 1, 250, 5000), this.abort.signal);
      if (this.stopped) return;
      this.#stalled = false;
      this.#pendingMsgs = this.#pendingBytes = 0;
      this.#pull();
    } finally {
      this.#recovering = false;
    }
  }

  protected missed(): void {
    if (this.#o.fetch) return this.stop(new HeartbeatsMissedError(this.#o.hb));
    if (this.#hooks.reset) return this.#reset();
    this.#stall(true);
  }

  protected reconnected(): void {
    // a fetch's one request stays open: if the server lost it, the heartbeats stop and say so
    if (this.#o.fetch) return this.#pull();
    if (this.#hooks.reset) return this.#reset();
    this.#stall(true);
  }

  /** Whether an ordered consumer keeps trying after its `fails`th failed creation in a row. */
  #createFailed(err: unknown, fails: number): boolean {
    if (isApiError(err, JsApiCodes.StreamNotFound)) {
      this.notes.emit({ type: "stream_not_found", name: this.#t.stream, consumerCreateFails: fails });
      if (this.#o.abortOnMissing) return false;
    }
    return fails < MAX_CREATE_FAILS || this.received > 0;
  }

  /** Recreates an ordered consumer (notified as `reset`, then `ordered_consumer_recreated`). */
  #reset(): void {
    const reset = this.#hooks.reset;
    if (!reset || this.resetting || this.stopped) return;
    this.notes.emit({ type: "reset", name: this.#t.consumer });
    void this.recreate(
      (signal) => reset(signal, (err, fails) => this.#createFailed(err, fails)),
      (name) => {
        this.#t.consumer = name;
        this.#stalled = false;
        this.#pendingMsgs = this.#pendingBytes = 0;
        this.notes.emit({ type: "ordered_consumer_recreated", name });
        this.#subscribe();
        this.monitor.touch();
        this.#pull();
      },
    );
  }

  /** Also cancels a first pull not sent yet. */
  override stop(err?: Error): void {
    clearTimeout(this.#firstPull);
    super.stop(err);
  }

  getPending(): number {
    return this.queue.length;
  }

  [Symbol.asyncIterator](): AsyncIterator<JsMsg> {
    this.iterable();
    return this.queue[Symbol.asyncIterator]();
  }
}
