/**
 * Requests: one wildcard inbox subscription serves every `request()`; a map from reply token to
 * the waiting promise routes the answers. The options of `request()` and `requestMany()` (which
 * runs in `request_many.ts`, on an inbox of its own) and their rules are described here.
 */
import type { Connection } from "./connection/connection.ts";
import { type Deferred, deferred, type Payload, payloadBytes, utf8Encoder } from "./encoding.ts";
import {
  ConnectionError,
  type NatsError,
  NoRespondersError,
  type PermissionViolationError,
  TimeoutError,
} from "./errors.ts";
import type { MsgHdrs } from "./headers.ts";
import type { Msg } from "./msg.ts";
import type { MsgImpl } from "./msg.ts";
import { createInbox, nuid } from "./nuid.ts";
import { any, bool, either, fn, int, ms, oneOf, type OptionRules, str } from "./option_check.ts";
import type { SubscriptionImpl } from "./subscription.ts";
import { headerBlock, type TraceOptions } from "./trace.ts";
import { checkPublishLine, publishSubjectBytes } from "./validate.ts";

/**
 * Options for `request()`, checked by {@link REQUEST_OPTION_RULES} before anything is sent (the
 * promise rejects with `InvalidArgumentError`); a key whose value is `undefined` means its default.
 *
 * @example
 * ```ts ignore
 * const reply = await nc.request("time", undefined, { timeout: 1000, traceDestination: "trace.time" });
 * ```
 */
export interface RequestOptions extends TraceOptions {
  /** Milliseconds to wait for the reply, from 1 to 2³¹−1 (default: the connection's `requestTimeout`). */
  timeout?: number;
  /** Headers to send (made by `headers()`). */
  headers?: MsgHdrs;
  /** Use a dedicated inbox for this request instead of the shared one (exact reply subject). */
  noMux?: boolean;
  /** A reply subject of your own, without wildcards (implies `noMux`). */
  reply?: string;
}

/** The rules of the {@link TraceOptions} (the destination's content is checked as a subject). */
export const TRACE_OPTION_RULES: OptionRules = { traceDestination: str(true), traceOnly: bool };

/** The rules of {@link RequestOptions} (`headers` are checked in full when encoded). */
export const REQUEST_OPTION_RULES: OptionRules = {
  ...TRACE_OPTION_RULES,
  timeout: ms(1),
  headers: any,
  noMux: bool,
  reply: str(),
};

/**
 * How `requestMany()` decides it is done, as nats.js's `RequestStrategy`:
 * - `"timer"`: collect every reply for `maxWait`;
 * - `"count"`: stop after `maxMessages` replies (required), or at `maxWait`;
 * - `"stall"`: wait up to `maxWait` for the first reply, then stop when no reply came for `stall`
 *   ms (default 300); as in nats.js `maxWait` no longer applies once replies flow;
 * - `"sentinel"`: stop at a reply with an empty payload, which is yielded (as in nats.js), or at `maxWait`.
 */
export type RequestStrategy = "timer" | "count" | "stall" | "sentinel";

/**
 * When `requestMany()` stops collecting replies, checked by {@link REQUEST_MANY_OPTION_RULES}
 * before anything is sent (the promise rejects with `InvalidArgumentError`).
 *
 * Without `strategy` every condition given applies, and `maxWait` always bounds the whole request.
 * With a `strategy` it works as in nats.js, and an option the strategy would ignore
 * (`maxMessages`, `stall`, `sentinel` other than its own) is an `InvalidArgumentError`.
 * Replies wait for the reader in a queue bounded by the connection's `maxPendingMsgs` and
 * `maxPendingBytes`: a reply that does not fit ends the iteration with a `SlowConsumerError` (after
 * the replies queued before it) and a `slowConsumer` status, rather than leaving a silent gap.
 *
 * @example
 * ```ts ignore
 * for await (const m of await nc.requestMany("svc.ping", undefined, { maxWait: 500, stall: 50 })) {
 *   console.log(m.string());
 * }
 * const all = await nc.requestMany("svc.ping", undefined, { strategy: "stall" }); // nats.js style
 * ```
 */
export interface RequestManyOptions extends TraceOptions {
  /** Milliseconds to wait, from 1 to 2³¹−1 (default: the connection's `requestTimeout`). */
  maxWait?: number;
  /** Stop after this many replies: a positive integer. */
  maxMessages?: number;
  /** Stop when no reply arrives for this many ms (at least 1) after the last one. */
  stall?: number;
  /** Stop at a reply with an empty payload (not yielded), or when this predicate returns true. */
  sentinel?: true | ((msg: Msg) => boolean);
  /** Decide when to stop as nats.js does (see {@link RequestStrategy}). */
  strategy?: RequestStrategy;
  /** Accepted for nats.js programs; changes nothing: `requestMany()` always uses an inbox of its own. */
  noMux?: boolean;
  /** Headers to send (made by `headers()`). */
  headers?: MsgHdrs;
}

/** The rules of {@link RequestManyOptions}. */
export const REQUEST_MANY_OPTION_RULES: OptionRules = {
  ...TRACE_OPTION_RULES,
  maxWait: ms(1),
  maxMessages: int(1),
  stall: ms(1),
  sentinel: either(oneOf(true), fn),
  strategy: oneOf("timer", "count", "stall", "sentinel"),
  noMux: bool,
  headers: any,
};

interface Pending {
  deferred: Deferred<Msg>;
  /** `performance.now()` after which the request times out. */
  deadline: number;
  timeout: number;
  subject: string;
}

/** The shared-inbox request multiplexer of one connection. */
export class RequestMux {
  readonly #conn: Connection;
  readonly #prefix: string;
  readonly #prefixBytes: Uint8Array;
  #sub: SubscriptionImpl | undefined;
  #pending = new Map<string, Pending>();
  #next = 0;
  /** One timer for every pending request, armed for the earliest deadline it knows of. */
  #timer: ReturnType<typeof setTimeout> | undefined;
  #armedFor = Infinity;

  constructor(conn: Connection) {
    this.#conn = conn;
    this.#prefix = `${conn.options.inboxPrefix}.${nuid.next()}.`;
    this.#prefixBytes = utf8Encoder.encode(this.#prefix);
    conn.onDisconnect = (err) => {
      if (!conn.options.requestsSurviveDisconnect) this.failAll(err);
    };
    conn.onPublishDenied = (err) => this.#failSubject(err);
  }

  #ensureSub(): void {
    if (this.#sub && !this.#sub.isClosed()) return;
    this.#sub = this.#conn.subscribe(`${this.#prefix}*`, {
      callback: (_err, msg) => this.#onReply(msg),
    });
    this.#sub.closed.then((err) => {
      if (err) this.failAll(err);
    });
  }

  #onReply(msg: Msg): void {
    const token = msg.subject.substring(this.#prefix.length);
    const p = this.#pending.get(token);
    if (!p) return;
    this.#forget(token);
    if ((msg as MsgImpl).statusCode === 503 && msg.data.length === 0) {
      p.deferred.reject(new NoRespondersError(p.subject, { cause: new NoRespondersError(p.subject) }));
    } else {
      p.deferred.resolve(msg);
    }
  }

  /** Sends a request through the shared inbox. */
  request(subject: string, payload: Payload | undefined, opts: RequestOptions): Promise<Msg> {
    const subjectBytes = publishSubjectBytes(subject);
    const data = payloadBytes(payload);
    const hdrs = headerBlock(opts);
    if (!this.#conn.connected && !this.#conn.options.requestsSurviveDisconnect) {
      return Promise.reject(new ConnectionError("disconnected: the request was not sent"));
    }
    this.#ensureSub();
    const token = (this.#next++).toString(36);
    const reply = new Uint8Array(this.#prefixBytes.length + token.length);
    reply.set(this.#prefixBytes);
    for (let i = 0; i < token.length; i++) reply[this.#prefixBytes.length + i] = token.charCodeAt(i);
    const timeout = opts.timeout ?? this.#conn.options.requestTimeout;
    const d = deferred<Msg>();
    const deadline = performance.now() + timeout;
    this.#pending.set(token, { deferred: d, deadline, timeout, subject });
    if (deadline < this.#armedFor) this.#arm(deadline);
    try {
      this.#conn.publishBytes(subjectBytes, reply, hdrs, data);
    } catch (err) {
      this.#forget(token);
      return Promise.reject(err);
    }
    return d.promise;
  }

  #forget(token: string): void {
    this.#pending.delete(token);
    if (this.#pending.size === 0) this.#disarm();
  }

  #arm(at: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#armedFor = at;
    this.#timer = setTimeout(() => this.#expire(), Math.max(0, at - performance.now()));
  }

  #disarm(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#armedFor = Infinity;
  }

  /** Times out every request past its deadline and re-arms for the earliest one left. */
  #expire(): void {
    this.#timer = undefined;
    this.#armedFor = Infinity;
    const now = performance.now();
    let next = Infinity;
    for (const [token, p] of this.#pending) {
      if (p.deadline <= now + 1) {
        this.#pending.delete(token);
        p.deferred.reject(new TimeoutError("request", p.timeout));
      } else if (p.deadline < next) {
        next = p.deadline;
      }
    }
    if (next < Infinity) this.#arm(next);
  }

  #failSubject(err: PermissionViolationError): void {
    for (const [token, p] of this.#pending) {
      if (p.subject === err.subject) {
        this.#forget(token);
        p.deferred.reject(err);
      }
    }
  }

  /** Rejects every pending request. */
  failAll(err: NatsError): void {
    this.#disarm();
    for (const p of this.#pending.values()) p.deferred.reject(err);
    this.#pending.clear();
  }
}

/** A request over an inbox of its own (exact reply subject); resolves with the first reply. */
export async function requestOwnInbox(
  conn: Connection,
  subject: string,
  payload: Payload | undefined,
  opts: RequestOptions,
): Promise<Msg> {
  const subjectBytes = publishSubjectBytes(subject);
  const data = payloadBytes(payload);
  const hdrs = headerBlock(opts);
  const inbox = opts.reply ?? createInbox(conn.options.inboxPrefix);
  // a reply of the caller's is a subject to publish to: no wildcards
  const inboxBytes = opts.reply !== undefined ? publishSubjectBytes(opts.reply) : utf8Encoder.encode(inbox);
  checkPublishLine(subjectBytes, inboxBytes); // before subscribing
  const timeout = opts.timeout ?? conn.options.requestTimeout;
  const sub = conn.subscribe(inbox, { max: 1, timeout });
  try {
    conn.publishBytes(subjectBytes, inboxBytes, hdrs, data);
  } catch (err) {
    sub.unsubscribe();
    throw err;
  }
  for await (const msg of sub) {
    if ((msg as MsgImpl).statusCode === 503 && msg.data.length === 0) {
      throw new NoRespondersError(subject, { cause: new NoRespondersError(subject) });
    }
    return msg;
  }
  const err = await sub.closed;
  if (err instanceof TimeoutError) throw new TimeoutError("request", timeout);
  throw err ?? new ConnectionError("request ended without a reply");
}
