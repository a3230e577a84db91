/**
 * Subscriptions: an async iterable over a bounded queue, or a callback run as messages arrive.
 *
 * @module
 */
import { MsgQueue } from "./queue.ts";
import type { Msg, MsgImpl, Responder } from "./msg.ts";
import { asciiOrUtf8, type Deferred, deferred } from "./encoding.ts";
import { InvalidOperationError, type NatsError, TimeoutError } from "./errors.ts";
import { fn, int, ms, type OptionRules, str } from "./option_check.ts";

/**
 * Options for `NatsConnection.subscribe`, checked by {@link SUBSCRIPTION_OPTION_RULES} before SUB
 * is sent (`InvalidArgumentError`); a key whose value is `undefined` means its default.
 */
export interface SubscriptionOptions {
  /** Queue group: each message goes to one member of the group. */
  queue?: string;
  /** Unsubscribe automatically after this many messages: a positive integer. */
  max?: number;
  /**
   * Close the subscription with a {@link TimeoutError} if no message arrives within this many ms
   * (up to 2³¹−1); 0 means no timeout (the default).
   */
  timeout?: number;
  /**
   * Called for every message instead of queueing it (the subscription is then not iterable).
   * Runs synchronously as messages are read; an exception is reported as an `error` status. When
   * the subscription ends with an error (the server denied it, its `timeout` passed) the callback
   * is called once more with that error and an empty message, as in nats.js.
   */
  callback?: (err: NatsError | null, msg: Msg) => void;
  /**
   * Most messages queued for the iterator before new ones are dropped: an integer, at least 1
   * (default: the connection's `maxPendingMsgs`, 524288). There is no "unlimited": give a large number.
   */
  maxPendingMsgs?: number;
  /** Most payload bytes queued for the iterator before new ones are dropped, as `maxPendingMsgs` (default 64 MiB). */
  maxPendingBytes?: number;
}

/** The rules of {@link SubscriptionOptions} (the queue group's content is checked with the subject). */
export const SUBSCRIPTION_OPTION_RULES: OptionRules = {
  queue: str(true),
  max: int(1),
  timeout: ms(0),
  callback: fn,
  maxPendingMsgs: int(1),
  maxPendingBytes: int(1),
};

const checkUnsubscribeMax = int(0);

/**
 * A subscription. Iterate it with `for await`, or pass a `callback` when subscribing.
 *
 * @example
 * ```ts ignore
 * const sub = nc.subscribe("orders.>", { max: 10 });
 * for await (const m of sub) console.log(m.subject, m.string());
 * ```
 */
export interface Subscription extends AsyncIterable<Msg>, AsyncDisposable {
  /** Resolves when the subscription ends: with the error that ended it, or undefined. */
  readonly closed: Promise<void | NatsError>;
  /**
   * Stops delivery now, or after `max` messages in total (an integer; 0, or a count already
   * received, means now). Throws `InvalidArgumentError` for any other `max`.
   */
  unsubscribe(max?: number): void;
  /** Stops new deliveries, lets queued messages be processed, then closes. */
  drain(): Promise<void>;
  /** True once closed. */
  isClosed(): boolean;
  /** True while draining. */
  isDraining(): boolean;
  /** The subject subscribed to. */
  getSubject(): string;
  /** The queue group, if any. */
  getQueue(): string | undefined;
  /** Messages received from the server. */
  getReceived(): number;
  /** Messages handed to the callback or the iterator. */
  getProcessed(): number;
  /** Messages waiting in the queue. */
  getPending(): number;
  /** Payload bytes waiting in the queue. */
  getPendingBytes(): number;
  /** Messages dropped because the queue was full. */
  getDropped(): number;
  /** The subscription id. */
  getID(): number;
  /** The auto-unsubscribe limit, if any. */
  getMax(): number | undefined;
}

/** What a subscription needs from its connection. */
export interface SubscriptionHost {
  /** Sends UNSUB (with `max` when given) and forgets the subscription when it is done. */
  unsubscribe(sub: SubscriptionImpl, max?: number): void;
  /** Sends UNSUB and resolves once every message in flight has arrived. */
  drainSubscription(sub: SubscriptionImpl): Promise<void>;
  /** Reports a slow consumer (queue full, messages dropped). */
  slowConsumer(sub: SubscriptionImpl): void;
  /** Reports an exception thrown by a callback. */
  callbackError(sub: SubscriptionImpl, err: unknown): void;
}

/** Replies that `requestMany` keeps waiting beyond this many get buffers of their own. */
export const DETACH_AFTER = 64;

/**
 * A subscription's queued messages keep their views on the read batch (kept as they arrived) while
 * fewer than this many are waiting...
 */
const INLINE_MSGS = 1024;
/** ...and fewer than this many bytes; messages queued behind them are copied into the queue's arena. */
const INLINE_BYTES = 256 * 1024;

/** Default pending message limit (as the Go client's 512 Ki). */
export const DEFAULT_MAX_PENDING_MSGS = 512 * 1024;
/** Default pending byte limit. */
export const DEFAULT_MAX_PENDING_BYTES = 64 * 1024 * 1024;

/** The implementation of {@link Subscription}. */
export class SubscriptionImpl implements Subscription {
  readonly sid: number;
  readonly subject: string;
  readonly queue: string | undefined;
  /** The subject's bytes (incoming subjects equal to them reuse `subject`). */
  readonly subjectBytes: Uint8Array;
  readonly callback: ((err: NatsError | null, msg: Msg) => void) | undefined;
  max: number | undefined;
  received = 0;
  processed = 0;
  dropped = 0;
  pendingMsgs = 0;
  pendingBytes = 0;
  readonly maxPendingMsgs: number;
  readonly maxPendingBytes: number;
  #host: SubscriptionHost;
  #queue: MsgQueue | undefined;
  #closed: Deferred<void | NatsError> = deferred();
  #isClosed = false;
  #draining: Promise<void> | undefined;
  #slow = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Creates the subscription; the host sends SUB. */
  constructor(host: SubscriptionHost, sid: number, subject: string, opts: SubscriptionOptions) {
    this.#host = host;
    this.sid = sid;
    this.subject = subject;
    this.subjectBytes = asciiOrUtf8(subject);
    this.queue = opts.queue;
    this.callback = opts.callback;
    this.max = opts.max;
    this.maxPendingMsgs = opts.maxPendingMsgs ?? DEFAULT_MAX_PENDING_MSGS;
    this.maxPendingBytes = opts.maxPendingBytes ?? DEFAULT_MAX_PENDING_BYTES;
    if (!this.callback) {
      const q = new MsgQueue(INLINE_MSGS, INLINE_BYTES, subject);
      q.onTake = (size) => this.#taken(size);
      // leaving a `for await` loop early (break, return, throw) ends the subscription, as in nats.js
      q.onReturn = () => this.unsubscribe();
      this.#queue = q;
    }
    if (opts.timeout && opts.timeout > 0) {
      const timeout = opts.timeout;
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        if (this.received === 0 && !this.#isClosed) {
          this.close(new TimeoutError("subscription", timeout));
          this.#host.unsubscribe(this);
        }
      }, timeout);
    }
  }

  get closed(): Promise<void | NatsError> {
    return this.#closed.promise;
  }

  #taken(size: number): void {
    this.pendingMsgs--;
    this.pendingBytes -= size;
    this.processed++;
    if (this.#slow && this.pendingMsgs <= this.maxPendingMsgs / 2 && this.pendingBytes <= this.maxPendingBytes / 2) {
      this.#slow = false;
    }
  }

  /**
   * True when a message delivered now would be copied into the queue or dropped, never kept as
   * given: it can then come as a raw frame (`deliverFrame`).
   */
  get copiesNow(): boolean {
    const q = this.#queue;
    return q !== undefined && (q.packs || this.pendingMsgs >= this.maxPendingMsgs);
  }

  /** Delivers a message read from the socket; `size` is its header and payload length. */
  deliver(msg: MsgImpl, size: number): void {
    this.#arrived();
    if (this.callback) {
      this.processed++;
      try {
        this.callback(null, msg);
      } catch (err) {
        this.#host.callbackError(this, err);
      }
    } else if (this.#admit(size)) {
      this.#queue!.push(msg);
    }
  }

  /**
   * Delivers a message read from the socket as `size` bytes of `bytes` at `off` (headers, `hlen` of
   * them with status `code`, then payload), valid only during the call: only while `copiesNow`.
   */
  deliverFrame(
    bytes: Uint8Array,
    off: number,
    size: number,
    hlen: number,
    code: number,
    subject: string,
    reply: string | undefined,
    responder: Responder,
  ): void {
    this.#arrived();
    if (this.#admit(size)) this.#queue!.pushFrame(bytes, off, size, hlen, code, subject, reply, this.sid, responder);
  }

  #arrived(): void {
    this.received++;
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }

  /** Counts a message of `size` bytes into the queue, or drops it (false) when the queue is full. */
  #admit(size: number): boolean {
    if (this.pendingMsgs >= this.maxPendingMsgs || this.pendingBytes + size > this.maxPendingBytes) {
      this.dropped++;
      if (!this.#slow) {
        this.#slow = true;
        this.#host.slowConsumer(this);
      }
      return false;
    }
    this.pendingMsgs++;
    this.pendingBytes += size;
    return true;
  }

  /**
   * Ends the subscription (the host has already forgotten it). Queued messages stay readable; a
   * callback is called once with `err`, if there is one.
   */
  close(err?: NatsError): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    this.#queue?.end(err);
    this.#closed.resolve(err);
    // as in nats.js, a callback learns why its subscription ended (denied, timed out) with an empty message
    if (err && this.callback) {
      try {
        this.callback(err, {} as Msg);
      } catch (thrown) {
        this.#host.callbackError(this, thrown);
      }
    }
  }

  unsubscribe(max?: number): void {
    if (max !== undefined) checkUnsubscribeMax(max, "unsubscribe max");
    if (this.#isClosed) return;
    this.#host.unsubscribe(this, max);
  }

  drain(): Promise<void> {
    if (this.#isClosed) return this.#draining ?? Promise.resolve();
    this.#draining ??= this.#host.drainSubscription(this);
    return this.#draining;
  }

  isClosed(): boolean {
    return this.#isClosed;
  }

  isDraining(): boolean {
    return this.#draining !== undefined && !this.#isClosed;
  }

  getSubject(): string {
    return this.subject;
  }

  getQueue(): string | undefined {
    return this.queue;
  }

  getReceived(): number {
    return this.received;
  }

  getProcessed(): number {
    return this.processed;
  }

  getPending(): number {
    return this.pendingMsgs;
  }

  getPendingBytes(): number {
    return this.pendingBytes;
  }

  getDropped(): number {
    return this.dropped;
  }

  getID(): number {
    return this.sid;
  }

  getMax(): number | undefined {
    return this.max;
  }

  [Symbol.asyncIterator](): AsyncIterator<Msg> {
    if (!this.#queue) throw new InvalidOperationError("a subscription with a callback cannot be iterated");
    return this.#queue[Symbol.asyncIterator]();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.drain();
  }
}
