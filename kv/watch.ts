/**
 * Watchers: an ordered consumer over the bucket's key subjects that first delivers the initial
 * entries (latest values, all history, or nothing), signals the end of them, then keeps
 * delivering updates. The consumer is recreated after reconnects, gaps or its loss.
 *
 * @module
 */
import {
  type ConsumerMessages,
  type ConsumerNotification,
  type DeliverPolicy,
  type JsApi,
  type JsMsg,
  OrderedConsumer,
} from "../jetstream/mod.ts";
import { AsyncQueue } from "../src/queue.ts";
import { deferred } from "../src/encoding.ts";
import { entryFromJsMsg } from "./entry.ts";
import { SlowWatcherError } from "./errors.ts";
import { DEFAULT_MAX_PENDING_BYTES, DEFAULT_MAX_PENDING_MSGS } from "../src/subscription.ts";
import type { KvCodecs, KvWatchEntry, KvWatchOptions } from "./types.ts";

/** Quiet milliseconds after which an initializing watch asks whether entries are still pending. */
const INIT_CHECK_MS = 1000;
/**
 * Milliseconds between the server's heartbeats to a watcher (as nats.go's ordered consumers): a
 * consumer lost with its server is noticed after two, and recreated after the last revision seen,
 * before the history limit can roll the revisions in between out.
 */
const WATCH_HEARTBEAT_MS = 5000;

/** What a watcher reads: the stream, the bucket name, the key subject prefix and the codecs. */
export interface WatchTarget {
  /** The JetStream API. */
  api: JsApi;
  /** Backing stream. */
  stream: string;
  /** Bucket name given to entries. */
  bucket: string;
  /** Key subject prefix (`$KV.<bucket>`). */
  prefix: string;
  /** Codecs decoding the entries' keys and values (default none). */
  codecs?: KvCodecs;
}

/**
 * A live view of keys: iterate it for entries (`isUpdate` false for the initial ones); await
 * `initialized` for the end of the initial entries. Stop it with `stop()` (or `break`).
 *
 * Entries wait to be read within the connection's pending limits, as a subscription's messages
 * do: at most `maxPendingMsgs` entries and `maxPendingBytes` bytes of values. A watcher that falls
 * further behind is not left with a gap: it ends with a {@link SlowWatcherError} (from the
 * iteration, after the entries received before it, and from `closed`, `initialized` if still
 * pending) whose `revision` resumes it: `kv.watch({ resumeFromRevision: err.revision })`.
 *
 * @example
 * ```ts ignore
 * const w = await kv.watch({ key: "users.>" });
 * w.initialized.then(() => console.log("up to date"));
 * for await (const e of w) console.log(e.key, e.operation, e.string());
 * ```
 */
export class KvWatcher implements AsyncIterable<KvWatchEntry>, AsyncDisposable {
  /** Resolves once the initial entries have been received (at once for updates-only watches). */
  readonly initialized: Promise<void>;
  readonly #init = deferred<void>();
  readonly #closed = deferred<void | Error>();
  readonly #q = new AsyncQueue<KvWatchEntry>();
  readonly #t: WatchTarget;
  readonly #opts: KvWatchOptions;
  #msgs: ConsumerMessages | undefined;
  readonly #maxPending: number;
  readonly #maxPendingBytes: number;
  #pendingBytes = 0;
  #overflowed = false;
  #isInit = false;
  #iterating = false;
  #received = 0;
  #processed = 0;
  /** Consumer sequence of the last message received, and when it came. */
  #lastDelivery = 0;
  #lastAt = 0;
  /** While initializing: checks now and then that pending entries did not expire undelivered. */
  #initCheck: ReturnType<typeof setInterval> | undefined;

  private constructor(target: WatchTarget, opts: KvWatchOptions) {
    this.#t = target;
    this.#opts = opts;
    this.initialized = this.#init.promise;
    // a watcher that ends early rejects `initialized`: that alone must not be an unhandled rejection
    this.initialized.catch(() => {});
    const o = target.api.nc.options;
    this.#maxPending = o.maxPendingMsgs ?? DEFAULT_MAX_PENDING_MSGS;
    this.#maxPendingBytes = o.maxPendingBytes ?? DEFAULT_MAX_PENDING_BYTES;
    this.#q.onReturn = () => this.stop();
    this.#q.onTake = (e) => {
      this.#pendingBytes -= e.value.length;
      this.#processed++;
    };
  }

  /** Creates the consumer and starts watching; `opts.key` holds filters as they are on the wire (encoded). */
  static async start(target: WatchTarget, opts: KvWatchOptions = {}): Promise<KvWatcher> {
    const w = new KvWatcher(target, opts);
    await w.#start();
    return w;
  }

  async #start(): Promise<void> {
    const o = this.#opts;
    const keys = o.key === undefined ? [">"] : [o.key].flat();
    let deliver_policy: DeliverPolicy = "last_per_subject";
    if (o.resumeFromRevision && o.resumeFromRevision > 0) deliver_policy = "by_start_sequence";
    else if (o.include === "history") deliver_policy = "all";
    else if (o.include === "updates") deliver_policy = "new";
    const oc = new OrderedConsumer(this.#t.api, this.#t.stream, {
      filter_subjects: keys.map((k) => `${this.#t.prefix}.${k}`),
      deliver_policy,
      ...(deliver_policy === "by_start_sequence" ? { opt_start_seq: o.resumeFromRevision } : {}),
      ...(o.headers_only || o.metaOnly ? { headers_only: true } : {}),
    });
    const msgs = await oc.consume({ callback: (m) => this.#onMsg(m), idle_heartbeat: WATCH_HEARTBEAT_MS });
    this.#msgs = msgs;
    msgs.closed().then((err) => this.#finish(err || undefined));
    if (this.#overflowed) msgs.stop();
    const info = await oc.info(true);
    if (this.#q.ended) return; // it fell behind (or failed) while starting
    if (deliver_policy === "new" || info.num_pending === 0) this.#markInit();
    else this.#initCheck = setInterval(() => this.#checkInit(oc), INIT_CHECK_MS);
  }

  /**
   * Entries counted as pending when the watch started can expire (per-key TTL, limit markers)
   * before they are delivered; then no message ever says "0 pending". After a quiet interval, ask
   * the server: nothing pending, and every delivered message received, means initialized.
   */
  async #checkInit(oc: OrderedConsumer): Promise<void> {
    if (this.#isInit || performance.now() - this.#lastAt < INIT_CHECK_MS) return;
    const info = await oc.info().catch(() => undefined);
    if (info && info.num_pending === 0 && info.delivered.consumer_seq === this.#lastDelivery) this.#markInit();
  }

  #onMsg(m: JsMsg): void {
    if (this.#overflowed) return;
    this.#received++;
    this.#lastDelivery = m.info.deliverySequence;
    this.#lastAt = performance.now();
    const e = entryFromJsMsg(this.#t.bucket, this.#t.prefix.length + 1, m, this.#isInit, this.#t.codecs);
    if (!(this.#opts.ignoreDeletes && e.operation !== "PUT")) {
      const q = this.#q;
      if (q.length >= this.#maxPending || this.#pendingBytes + e.value.length > this.#maxPendingBytes) {
        return this.#overflow(e.revision);
      }
      this.#pendingBytes += e.value.length;
      q.push(e);
    }
    if (!this.#isInit && m.info.pending === 0) this.#markInit();
  }

  /** Ends the watch at the entry with `revision`, which found the pending limits reached. */
  #overflow(revision: number): void {
    this.#overflowed = true;
    this.#msgs?.stop();
    this.#finish(new SlowWatcherError(this.#t.bucket, revision, this.#q.length, this.#pendingBytes));
  }

  #markInit(): void {
    if (this.#isInit) return;
    this.#isInit = true;
    clearInterval(this.#initCheck);
    this.#init.resolve();
    try {
      this.#opts.initializedFn?.();
    } catch {
      // a failing callback must not stop the watch
    }
  }

  #finish(err?: Error): void {
    clearInterval(this.#initCheck);
    if (err && !this.#isInit) this.#init.reject(err);
    this.#q.end(err);
    this.#closed.resolve(err);
  }

  /** Entries received from the server so far (ignored deletes included). */
  getReceived(): number {
    return this.#received;
  }

  /** Entries handed to the loop so far. */
  getProcessed(): number {
    return this.#processed;
  }

  /** Entries received and waiting for the loop. */
  getPending(): number {
    return this.#q.length;
  }

  /** Consumer notifications (e.g. `ordered_consumer_recreated` after a reconnect). */
  status(): AsyncIterable<ConsumerNotification> {
    return this.#msgs!.status();
  }

  /**
   * Stops the watch; entries already received are still handed over, then the loop ends (throwing
   * `err` if given, which `closed` then resolves with).
   */
  stop(err?: Error): void {
    this.#msgs?.stop();
    this.#finish(err);
  }

  /** Resolves when the watch ends, with the error that ended it, if any. */
  get closed(): Promise<void | Error> {
    return this.#closed.promise;
  }

  /** Iterates the entries: the initial values, then live updates. */
  [Symbol.asyncIterator](): AsyncIterator<KvWatchEntry> {
    if (this.#iterating) throw new TypeError("this watcher is already being iterated");
    this.#iterating = true;
    return this.#q;
  }

  /** Stops the watch (used by `await using`). */
  async [Symbol.asyncDispose](): Promise<void> {
    this.stop();
    await this.#closed.promise;
  }
}
