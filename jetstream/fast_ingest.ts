/**
 * Fast-ingest batch publishing (ADR-50 "fast batch", nats-server 2.14+, streams with
 * `allow_batched: true`): messages stored as they arrive, not atomically, paced by the server.
 * Each message's reply subject carries the batch state,
 * `<inbox>.<batch id>.<ack interval>.<ok|fail>.<batch seq>.<op>.$FI` (op 0 start, 1 append,
 * 2 commit with this message, 3 commit without it, 4 ping); the server answers on that inbox.
 *
 * @module
 */
import { InvalidArgumentError, type MsgHdrs, nuid, type Payload, TimeoutError } from "../src/core.ts";
import { payloadBytes } from "../src/encoding.ts";
import { checkInboxPrefix } from "../src/validate.ts";
import type { BatchAck } from "./batch.ts";
import type { JetStreamClient } from "./client.ts";
import { FAST_INGEST_SUFFIX, FastIngestInbox, FastIngestOp } from "./fast_ingest_inbox.ts";
import { checkOptions, ms, type OptionRules } from "../src/option_check.ts";
import {
  type FastIngestGap,
  type FastIngestLastOptions,
  fastIngestLastRules,
  FastIngestLimits,
  type FastIngestMessageError,
  type FastIngestMessageOptions,
  fastIngestMessageRules,
  type FastIngestProgress,
  type StartFastIngestOptions,
  startFastIngestRules,
} from "./fast_ingest_types.ts";
import { Feature } from "./features.ts";
import { publishHeaders } from "./publish.ts";

const noop = (): void => {};

/** The rules of the options of {@link FastIngest.end}. */
const endRules: OptionRules = { timeout: ms(1) };

/** The resolved settings of a batch (see {@link StartFastIngestOptions}). */
export interface FastIngestSettings {
  /** The subject of the first message. */
  subject: string;
  /** The inbox prefix. */
  inboxPrefix: string;
  /** The requested ack interval. */
  ackInterval: number;
  /** Whether gaps are tolerated. */
  allowGaps: boolean;
  /** Flow acks that may be outstanding (1–3). */
  maxOutstandingAcks: number;
  /** Milliseconds to wait for each server answer. */
  timeout: number;
}

let begin: (fi: FastIngest, payload: Payload | undefined, h: MsgHdrs | undefined) => Promise<void>;

/**
 * An open fast-ingest batch, made by {@link startFastIngest} (or `js.startFastIngest()`). `add()`
 * publishes and resolves at once while fewer than `ackInterval × maxOutstandingAcks` messages are
 * unacknowledged, otherwise when the server's next flow ack arrives. `last()` commits with a final
 * message, `end()` without one; both resolve with the PubAck (`count` = the batch sequence of the
 * last stored message). The server drops a batch after 10 s without traffic: `ping()` keeps it
 * alive. `await using` ends a batch that was not committed.
 *
 * @example
 * ```ts ignore
 * const fi = await js.startFastIngest("metrics.cpu", "0.41", { allowGaps: false, ackInterval: 100 });
 * for (const v of ["0.45", "0.52", "0.49"]) await fi.add("metrics.cpu", v);
 * const ack = await fi.end();
 * console.log(ack.count, ack.seq); // 4, the stream sequence of "0.49"
 * ```
 */
export class FastIngest implements AsyncDisposable {
  /** The batch id (part of every reply subject; the PubAck's `batch`). */
  readonly batch: string;
  readonly #js: JetStreamClient;
  readonly #inbox: FastIngestInbox;
  readonly #prefix: string;
  readonly #maxOut: number;
  readonly #timeout: number;
  #subject: string;
  #seq = 0;
  #committed: number | undefined;
  #closing = false;
  #tail: Promise<void> | undefined;

  static {
    begin = (fi, payload, h) => fi.#begin(payload, h);
  }

  /** Subscribes to the batch inbox; nothing is sent yet (use {@link startFastIngest}). */
  constructor(js: JetStreamClient, id: string, settings: FastIngestSettings) {
    this.#js = js;
    this.batch = id;
    this.#subject = settings.subject;
    this.#maxOut = settings.maxOutstandingAcks;
    this.#timeout = settings.timeout;
    const inbox = `${settings.inboxPrefix}.${id}`;
    this.#prefix = `${inbox}.${settings.ackInterval}.${settings.allowGaps ? "ok" : "fail"}.`;
    this.#inbox = new FastIngestInbox(js.nc, inbox, id, settings.allowGaps, settings.timeout, {
      seq: () => this.#seq,
      committed: () => this.#committed,
      sendEnd: () => {
        this.#send(this.#subject, undefined, undefined, FastIngestOp.CommitEob);
        this.#committed = this.#seq - 1;
      },
    });
  }

  /** Publishes a message; resolves with the progress once the flow-control window has room. */
  add(subject: string, payload?: Payload, opts?: FastIngestMessageOptions): Promise<FastIngestProgress> {
    if (opts !== undefined) {
      try {
        checkOptions("fast-ingest add", opts, fastIngestMessageRules);
      } catch (err) {
        return Promise.reject(err);
      }
    }
    if (this.#closing) return Promise.reject(this.#inbox.closedError());
    if (this.#tail) return this.#chain(() => this.#add(subject, payload, opts));
    return this.#add(subject, payload, opts);
  }

  /** Publishes the final message and commits; resolves with the PubAck. */
  last(subject: string, payload?: Payload, opts: FastIngestLastOptions = {}): Promise<BatchAck> {
    let data: Uint8Array;
    try {
      checkOptions("fast-ingest last", opts, fastIngestLastRules);
      data = payloadBytes(payload); // a bad payload leaves the batch open
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#commit(() => {
      this.#send(subject, data, publishHeaders(this.#js.api, subject, opts), FastIngestOp.Commit);
      this.#committed = this.#seq;
    }, opts.timeout);
  }

  /** Commits without another message (an empty end-of-batch marker that is not stored). */
  end(opts: { timeout?: number } = {}): Promise<BatchAck> {
    try {
      checkOptions("fast-ingest end", opts, endRules);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#commit(() => {
      this.#send(this.#subject, undefined, undefined, FastIngestOp.CommitEob);
      this.#committed = this.#seq - 1;
    }, opts.timeout);
  }

  /**
   * Asks the server where the batch stands, and keeps it alive: resolves with the server's current
   * `ackSeq`. Messages the server never got are reported as a gap.
   */
  ping(timeout: number = this.#timeout): Promise<FastIngestProgress> {
    try {
      ms(1)(timeout, "fast-ingest ping timeout");
      if (this.#closing) throw this.#inbox.closedError();
      this.#inbox.check();
      this.#sendPing();
      return this.#inbox.pingReply(timeout);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Settles when the batch ends: with the final PubAck, or the error that ended it. */
  done(): Promise<BatchAck> {
    return this.#inbox.final.promise;
  }

  /** Gaps the server reported, until the batch ends (one reader; the latest 1024 are kept). */
  gaps(): AsyncIterable<FastIngestGap> {
    return this.#inbox.gaps;
  }

  /** Messages the stream refused, until the batch ends (one reader; the latest 1024 are kept). */
  errors(): AsyncIterable<FastIngestMessageError> {
    return this.#inbox.errors;
  }

  /** Ends the batch with `end()` unless it was committed already, and waits for the result. */
  async [Symbol.asyncDispose](): Promise<void> {
    await (this.#closing ? this.done() : this.end()).catch(noop);
  }

  async #begin(payload: Payload | undefined, h: MsgHdrs | undefined): Promise<void> {
    const inbox = this.#inbox;
    try {
      this.#send(this.#subject, payload, h, FastIngestOp.Start);
    } catch (err) {
      inbox.finish(err as Error);
      throw err;
    }
    while (inbox.msgs === 0 && !inbox.done) {
      if (!await inbox.wait(this.#timeout)) inbox.finish(new TimeoutError("fast-ingest start", this.#timeout));
    }
    if (inbox.failure) throw inbox.failure;
  }

  #add(subject: string, payload: Payload | undefined, opts?: FastIngestMessageOptions): Promise<FastIngestProgress> {
    try {
      this.#inbox.check();
      const h = opts ? publishHeaders(this.#js.api, subject, opts) : undefined;
      this.#send(subject, payload, h, FastIngestOp.Append);
    } catch (err) {
      return Promise.reject(err);
    }
    const batchSeq = this.#seq;
    if (!this.#full()) return Promise.resolve({ batchSeq, ackSeq: this.#inbox.ackSeq });
    const p = this.#room().then(() => ({ batchSeq, ackSeq: this.#inbox.ackSeq }));
    this.#setTail(p);
    return p;
  }

  #commit(send: () => void, timeout: number = this.#timeout): Promise<BatchAck> {
    if (this.#closing) return Promise.reject(this.#inbox.closedError());
    this.#closing = true;
    const run = (): Promise<BatchAck> => {
      const inbox = this.#inbox;
      if (inbox.done || inbox.stopped) return inbox.final.promise;
      try {
        send();
        inbox.arm(timeout);
      } catch (err) {
        inbox.finish(err as Error);
      }
      return inbox.final.promise;
    };
    return this.#tail ? this.#chain(run) : run();
  }

  #send(subject: string, payload: Payload | undefined, headers: MsgHdrs | undefined, op: number): void {
    const seq = this.#seq + 1;
    this.#js.nc.publish(subject, payload, { reply: `${this.#prefix}${seq}.${op}${FAST_INGEST_SUFFIX}`, headers });
    this.#seq = seq;
    this.#subject = subject;
  }

  #sendPing(): void {
    const reply = `${this.#prefix}${this.#seq}.${FastIngestOp.Ping}${FAST_INGEST_SUFFIX}`;
    this.#js.nc.publish(this.#subject, undefined, { reply });
  }

  #full(): boolean {
    return this.#seq >= this.#inbox.ackSeq + this.#inbox.msgs * this.#maxOut;
  }

  // Waits for flow acks until the window has room; pings once when the server stays silent (it
  // resends its last ack), and ends the batch after a second silent timeout.
  async #room(): Promise<void> {
    const inbox = this.#inbox;
    let pinged = false;
    while (this.#full()) {
      inbox.check();
      if (await inbox.wait(this.#timeout)) {
        pinged = false;
      } else if (!pinged) {
        this.#sendPing();
        pinged = true;
      } else {
        inbox.finish(new TimeoutError("fast-ingest flow control", this.#timeout));
      }
    }
    inbox.check();
  }

  #chain<T>(fn: () => Promise<T>): Promise<T> {
    const p = (this.#tail as Promise<void>).then(fn);
    this.#setTail(p);
    return p;
  }

  #setTail(p: Promise<unknown>): void {
    const t = p.then(noop, noop);
    this.#tail = t;
    t.then(() => {
      if (this.#tail === t) this.#tail = undefined;
    });
  }
}

/**
 * Starts a fast-ingest batch by publishing its first message, and resolves with the open
 * {@link FastIngest} once the server answered with its flow settings. Throws
 * `FeatureNotSupportedError` (before sending) on servers older than 2.14, and rejects with
 * `JetStreamApiError` when the stream refuses (`BatchPublishDisabled`, 10205, without
 * `allow_batched`), `NoRespondersError` when no stream stores `subject`.
 *
 * @example
 * ```ts ignore
 * import { jetstream, startFastIngest } from "@natsw/natsw/jetstream";
 * const fi = await startFastIngest(jetstream(nc), "logs.app", "line 1", { allowGaps: true });
 * for (let i = 2; i <= 10_000; i++) await fi.add("logs.app", `line ${i}`);
 * console.log((await fi.end()).count); // 10000
 * ```
 */
export async function startFastIngest(
  js: JetStreamClient,
  subject: string,
  payload: Payload | undefined,
  opts: StartFastIngestOptions,
): Promise<FastIngest> {
  checkOptions("startFastIngest", opts, startFastIngestRules);
  if (typeof opts?.allowGaps !== "boolean") throw new InvalidArgumentError("allowGaps (true or false) is required");
  js.api.features.require(Feature.FastBatch);
  const data = payloadBytes(payload); // before the batch inbox subscribes
  const ackInterval = opts.ackInterval ?? FastIngestLimits.ackInterval;
  const inboxPrefix = opts.inboxPrefix ?? js.nc.options.inboxPrefix ?? "_INBOX";
  checkInboxPrefix(inboxPrefix);
  const h = publishHeaders(js.api, subject, opts);
  const outstanding = opts.maxOutstandingAcks ?? FastIngestLimits.maxOutstandingAcks;
  const fi = new FastIngest(js, nuid.next(), {
    subject,
    inboxPrefix,
    ackInterval,
    allowGaps: opts.allowGaps,
    maxOutstandingAcks: Math.min(3, outstanding),
    timeout: opts.timeout ?? js.api.timeout,
  });
  await begin(fi, data, h);
  return fi;
}
