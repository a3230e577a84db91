/**
 * The receiving side of a fast-ingest batch: its inbox subscription and what the server answers
 * there (flow acks `{"type":"ack","seq","msgs"}`, gap reports `{"type":"gap","last_seq","seq"}`,
 * message errors `{"type":"err","seq","error"}`, the final PubAck), and the waits built on it.
 *
 * @module
 */
import {
  ClosedConnectionError,
  InvalidOperationError,
  type Msg,
  type NatsConnection,
  NoRespondersError,
  type Subscription,
  TimeoutError,
} from "../src/core.ts";
import { type Deferred, deferred } from "../src/encoding.ts";
import { AsyncQueue } from "../src/queue.ts";
import type { PubAck } from "./api_types.ts";
import type { BatchAck } from "./batch.ts";
import { type ApiError, JetStreamApiError, JsApiCodes } from "./errors.ts";
import {
  type FastIngestGap,
  FastIngestGapError,
  FastIngestMessageError,
  type FastIngestProgress,
} from "./fast_ingest_types.ts";

/** The `$FI` reply subject operations (the token before `$FI`). */
export const FastIngestOp = { Start: 0, Append: 1, Commit: 2, CommitEob: 3, Ping: 4 } as const;
/** The last token of every fast-ingest reply subject. */
export const FAST_INGEST_SUFFIX = ".$FI";
const PING_SUFFIX = `.${FastIngestOp.Ping}${FAST_INGEST_SUFFIX}`;
// Gap and error reports kept for a reader that lags behind (the oldest are dropped).
const REPORTS_KEPT = 1024;

// Error PubAcks after which the server does not go on with the batch.
const FATAL: ReadonlySet<number> = new Set([
  JsApiCodes.StreamSealed,
  JsApiCodes.RequiredApiLevel,
  JsApiCodes.BatchPublishDisabled,
  JsApiCodes.BatchPublishInvalidPattern,
  JsApiCodes.BatchPublishInvalidBatchID,
  JsApiCodes.BatchPublishUnknownBatchID,
  JsApiCodes.BatchPublishTooManyInflight,
]);

/** Everything the server sends on a batch inbox: a control message or a PubAck. */
interface FastReply extends Partial<PubAck> {
  type?: "ack" | "gap" | "err";
  msgs?: number;
  last_seq?: number;
  error?: ApiError;
}

/** What the inbox needs from the sending side of the batch. */
export interface FastIngestSender {
  /** The highest batch sequence sent. */
  seq(): number;
  /** Messages the batch holds once committed; undefined until the commit was sent. */
  committed(): number | undefined;
  /** Sends an end-of-batch marker (so that the server sends its final PubAck). */
  sendEnd(): void;
}

const decoder = new TextDecoder();

function pushReport<T>(q: AsyncQueue<T>, item: T): void {
  if (q.length >= REPORTS_KEPT) q.shift();
  q.push(item);
}

/** The inbox of one fast-ingest batch (used by `FastIngest`). */
export class FastIngestInbox {
  /** Settles with the batch's result: the final PubAck or the error that ended it. */
  readonly final: Deferred<BatchAck> = deferred();
  /** Gaps reported by the server. */
  readonly gaps: AsyncQueue<FastIngestGap> = new AsyncQueue();
  /** Messages the stream refused. */
  readonly errors: AsyncQueue<FastIngestMessageError> = new AsyncQueue();
  readonly #batch: string;
  readonly #allowGaps: boolean;
  readonly #timeout: number;
  readonly #sender: FastIngestSender;
  readonly #sub: Subscription;
  #ackSeq = 0;
  #msgs = 0;
  #done = false;
  #failure: Error | undefined;
  #stop: FastIngestGapError | FastIngestMessageError | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #wakers: (() => void)[] = [];
  #pings: Deferred<FastIngestProgress>[] = [];

  /** Subscribes to `<inbox>.>`; `timeout` bounds the wait for the PubAck after a stop. */
  constructor(
    nc: NatsConnection,
    inbox: string,
    batch: string,
    allowGaps: boolean,
    timeout: number,
    sender: FastIngestSender,
  ) {
    this.#batch = batch;
    this.#allowGaps = allowGaps;
    this.#timeout = timeout;
    this.#sender = sender;
    this.final.promise.catch(() => {});
    this.#sub = nc.subscribe(`${inbox}.>`, { callback: (_err, m) => this.#onMsg(m) });
    this.#sub.closed.then((err) => this.finish(err ?? new ClosedConnectionError()));
  }

  /** The highest batch sequence the server acknowledged. */
  get ackSeq(): number {
    return this.#ackSeq;
  }

  /** Messages per flow ack (0 until the server's first answer). */
  get msgs(): number {
    return this.#msgs;
  }

  /** True once the batch ended. */
  get done(): boolean {
    return this.#done;
  }

  /** The error the batch ended with. */
  get failure(): Error | undefined {
    return this.#failure;
  }

  /** Throws when no message may be sent: the batch stopped (no gaps allowed) or ended. */
  check(): void {
    if (this.#stop) throw this.#stop;
    if (this.#done) throw this.#failure ?? this.closedError();
  }

  /** The error for using a committed or ended batch. */
  closedError(): Error {
    return new InvalidOperationError(`fast-ingest batch ${this.#batch} is closed`);
  }

  /** True when a batch without gaps lost or refused a message (it waits for its PubAck). */
  get stopped(): boolean {
    return this.#stop !== undefined;
  }

  /** Resolves true on the next answer from the server (or the end), false after `ms`. */
  wait(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(t);
        resolve(true);
      };
      const t = setTimeout(() => {
        const i = this.#wakers.indexOf(wake);
        if (i >= 0) this.#wakers.splice(i, 1);
        resolve(false);
      }, ms);
      this.#wakers.push(wake);
    });
  }

  /** Resolves with the progress the server reports for the next ping, or rejects after `ms`. */
  pingReply(ms: number): Promise<FastIngestProgress> {
    const d = deferred<FastIngestProgress>();
    const t = setTimeout(() => {
      this.#pings = this.#pings.filter((p) => p !== d);
      d.reject(new TimeoutError("fast-ingest ping", ms));
    }, ms);
    this.#pings.push(d);
    return d.promise.finally(() => clearTimeout(t));
  }

  /** Ends the batch with `ms` from now unless the server's PubAck comes first. */
  arm(ms: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.finish(this.#stop ?? new TimeoutError("fast-ingest commit", ms)), ms);
  }

  /** Ends the batch with its result; unsubscribes and ends every wait. */
  finish(result: BatchAck | Error): void {
    if (this.#done) return;
    this.#done = true;
    clearTimeout(this.#timer);
    this.#sub.unsubscribe();
    const err = result instanceof Error ? result : undefined;
    if (err) {
      this.#failure = err;
      this.final.reject(err);
    } else {
      this.final.resolve(result as BatchAck);
    }
    const pingErr = err ?? this.closedError();
    for (const p of this.#pings) p.reject(pingErr);
    this.#pings = [];
    this.gaps.end();
    this.errors.end();
    this.#wake();
  }

  #wake(): void {
    if (this.#wakers.length === 0) return;
    const ws = this.#wakers;
    this.#wakers = [];
    for (const w of ws) w();
  }

  #onMsg(m: Msg): void {
    if (this.#done) return;
    if (m.data.length === 0) {
      if (m.headers?.code === 503) this.finish(new NoRespondersError(m.subject));
      return;
    }
    const r = JSON.parse(decoder.decode(m.data)) as FastReply;
    if (r.type === "ack") this.#onAck(r.seq ?? 0, r.msgs ?? 1, m.subject.endsWith(PING_SUFFIX));
    else if (r.type === "gap") this.#onGap(r.last_seq ?? 0, r.seq ?? 0);
    else if (r.type === "err") this.#onError(r.seq ?? 0, r.error ?? { code: 500 });
    else this.#onPubAck(r, m.subject);
  }

  #onAck(seq: number, msgs: number, fromPing: boolean): void {
    if (seq > this.#ackSeq) this.#ackSeq = seq;
    this.#msgs = Math.max(1, msgs);
    if (fromPing && this.#pings.length > 0) {
      const progress = { batchSeq: this.#sender.seq(), ackSeq: this.#ackSeq };
      for (const p of this.#pings) p.resolve(progress);
      this.#pings = [];
    }
    this.#wake();
  }

  #onGap(lastSeq: number, seq: number): void {
    pushReport(this.gaps, { lastSeq, seq });
    if (!this.#allowGaps) this.#halt(new FastIngestGapError(this.#batch, lastSeq, seq));
  }

  #onError(seq: number, error: ApiError): void {
    const err = new FastIngestMessageError(this.#batch, seq, error);
    pushReport(this.errors, err);
    if (!this.#allowGaps) this.#halt(err);
  }

  // Without gaps, a gap or refused message ends the batch: stop sending and wait for the PubAck.
  // An end-of-batch marker makes sure one comes (the server ignores it when it ended the batch).
  #halt(err: FastIngestGapError | FastIngestMessageError): void {
    if (this.#stop) return;
    this.#stop = err;
    if (this.#sender.committed() === undefined) {
      try {
        this.#sender.sendEnd();
      } catch {
        // the PubAck may still come; the timer below ends the wait
      }
    }
    this.arm(this.#timeout);
    this.#wake();
  }

  #onPubAck(r: FastReply, subject: string): void {
    if (r.error) {
      const op = subject.charCodeAt(subject.length - FAST_INGEST_SUFFIX.length - 1) - 48;
      const perMessage = op === FastIngestOp.Start || op === FastIngestOp.Append;
      if (this.#msgs === 0 || FATAL.has(r.error.err_code ?? 0) || !perMessage) {
        this.finish(new JetStreamApiError(r.error));
        return;
      }
      // one message refused: the first one ends a batch without gaps; a later one was refused before
      // it joined the batch (size, limits), which the server then sees as a gap
      const end = subject.length - FAST_INGEST_SUFFIX.length - 2;
      const seq = Number(subject.slice(subject.lastIndexOf(".", end - 1) + 1, end));
      if (op === FastIngestOp.Start && !this.#allowGaps) {
        const err = new FastIngestMessageError(this.#batch, seq, r.error);
        pushReport(this.errors, err);
        this.finish(err);
      } else {
        this.#onError(seq, r.error);
      }
      return;
    }
    const ack: BatchAck = {
      stream: r.stream ?? "",
      seq: r.seq ?? 0,
      duplicate: r.duplicate === true,
      ...(r.domain ? { domain: r.domain } : {}),
      batch: r.batch ?? this.#batch,
      count: r.count ?? 0,
    };
    if (this.#stop) {
      this.#stop.ack = ack;
      this.finish(this.#stop);
      return;
    }
    const expected = this.#sender.committed() ?? this.#sender.seq();
    if (!this.#allowGaps && ack.count < expected) {
      const err = new FastIngestGapError(this.#batch, ack.count + 1, expected + 1);
      err.ack = ack;
      this.finish(err);
      return;
    }
    this.finish(ack);
  }
}
