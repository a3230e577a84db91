/**
 * Options, progress reports and typed errors of fast-ingest batch publishing (ADR-50 "fast batch",
 * nats-server 2.14+, streams with `allow_batched: true`).
 *
 * @module
 */
import type { BatchAck } from "./batch.ts";
import { type ApiError, JetStreamApiError } from "./errors.ts";
import { type JetStreamPublishOptions, publishRules } from "./publish.ts";
import { NatsError } from "../src/core.ts";
import { bool, int, ms, type OptionRules, str } from "../src/option_check.ts";

/** Per-message options of a fast-ingest batch: the same headers `js.publish()` can send. */
export type FastIngestMessageOptions = Omit<JetStreamPublishOptions, "timeout" | "retries">;

const { timeout: _timeout, retries: _retries, ...messageRules } = publishRules;
/** The rules of {@link FastIngestMessageOptions}. */
export const fastIngestMessageRules: OptionRules = messageRules;

/**
 * How a fast-ingest batch runs.
 *
 * @example
 * ```ts ignore
 * const opts: FastIngestOptions = { allowGaps: false, ackInterval: 100, maxOutstandingAcks: 2 };
 * const fi = await js.startFastIngest("metrics.cpu", "0.5", opts);
 * ```
 */
export interface FastIngestOptions {
  /**
   * Whether lost messages are tolerated. `true`: the server reports gaps (see
   * {@link FastIngest.gaps}) and the batch goes on. `false`: the first gap or refused message ends
   * the batch, and what was stored is stored in order without holes. Required: choose explicitly.
   */
  allowGaps: boolean;
  /**
   * The most messages between two flow acks the client accepts (1–65535, default 10). The server
   * starts at or below it, and raises or lowers it while the batch runs; never above.
   */
  ackInterval?: number;
  /**
   * How many flow acks may be outstanding before `add()` waits (an integer ≥ 1, default 2; more
   * than 3 counts as 3). At most `ackInterval × maxOutstandingAcks` messages are unacknowledged at
   * any time.
   */
  maxOutstandingAcks?: number;
  /** Prefix of the batch's reply inbox (default: the connection's `inboxPrefix`). */
  inboxPrefix?: string;
}

/** Options of `js.startFastIngest()`: the batch settings, the first message's headers, a timeout. */
export interface StartFastIngestOptions extends FastIngestOptions, FastIngestMessageOptions {
  /** Milliseconds to wait for each server answer (default: the JetStream timeout). */
  timeout?: number;
}

/** Options of {@link FastIngest.last}. */
export interface FastIngestLastOptions extends FastIngestMessageOptions {
  /** Milliseconds to wait for the final PubAck (default: the batch's timeout). */
  timeout?: number;
}

/** The rules of {@link FastIngestLastOptions}. */
export const fastIngestLastRules: OptionRules = { ...fastIngestMessageRules, timeout: ms(1) };

/**
 * Where a batch stands: `batchSeq` is the batch sequence of the message just sent, `ackSeq` the
 * highest batch sequence the server acknowledged. With `allowGaps: false` every message up to
 * `ackSeq` is stored; with gaps allowed some of them may be missing.
 *
 * @example
 * ```ts ignore
 * const p = await fi.add("metrics.cpu", "0.7");
 * console.log(p.batchSeq - p.ackSeq, "messages not yet acknowledged");
 * ```
 */
export interface FastIngestProgress {
  /** The batch sequence of the message (1-based). */
  batchSeq: number;
  /** The highest batch sequence the server acknowledged. */
  ackSeq: number;
}

/**
 * Messages the server never got: batch sequences `lastSeq` up to, not including, `seq`.
 *
 * @example
 * ```ts ignore
 * for await (const g of fi.gaps()) console.log(`lost ${g.seq - g.lastSeq} messages`);
 * ```
 */
export interface FastIngestGap {
  /** The first lost batch sequence. */
  lastSeq: number;
  /** The batch sequence after the last lost one (the message that revealed the gap). */
  seq: number;
}

/**
 * A batch with `allowGaps: false` ended early because messages were lost: batch sequences
 * `lastSeq` up to, not including, `seq` never reached the stream, and nothing after them was
 * stored. `ack` is the server's final PubAck (what was stored), once it arrived.
 *
 * @example
 * ```ts
 * import { FastIngestGapError } from "./fast_ingest_types.ts";
 * const err = new FastIngestGapError("b1", 3, 4);
 * console.log(err.lastSeq, err.seq); // 3 4
 * ```
 */
export class FastIngestGapError extends NatsError {
  /** The batch id. */
  readonly batch: string;
  /** The first lost batch sequence. */
  readonly lastSeq: number;
  /** The batch sequence after the last lost one. */
  readonly seq: number;
  /** The server's final PubAck, set when it arrives. */
  ack: BatchAck | undefined;
  /** Creates the error. */
  constructor(batch: string, lastSeq: number, seq: number, options?: ErrorOptions) {
    super(`fast-ingest batch ${batch} lost messages ${lastSeq}..${seq - 1}`, options);
    this.batch = batch;
    this.lastSeq = lastSeq;
    this.seq = seq;
  }
}

/**
 * The stream refused one message of a fast-ingest batch (a failed expectation, a duplicate msg id
 * check, a size limit, …). It is a {@link JetStreamApiError} carrying the server's codes, plus the
 * batch sequence. With gaps allowed it is reported by {@link FastIngest.errors} and the batch goes
 * on; otherwise it ends the batch, and `ack` is the final PubAck once it arrived.
 *
 * @example
 * ```ts
 * import { FastIngestMessageError } from "./fast_ingest_types.ts";
 * const err = new FastIngestMessageError("b1", 5, { code: 400, err_code: 10071, description: "wrong last sequence: 9" });
 * console.log(err.seq, err.err_code); // 5 10071
 * ```
 */
export class FastIngestMessageError extends JetStreamApiError {
  /** The batch id. */
  readonly batch: string;
  /** The batch sequence of the refused message. */
  readonly seq: number;
  /** The server's final PubAck, set when it arrives (batches without gaps only). */
  ack: BatchAck | undefined;
  /** Creates the error. */
  constructor(batch: string, seq: number, error: ApiError, options?: ErrorOptions) {
    super(error, options);
    this.message = `fast-ingest batch ${batch} message ${seq} refused: ${this.message}`;
    this.batch = batch;
    this.seq = seq;
  }
}

/** Defaults and bounds of fast-ingest batches. */
export const FastIngestLimits = {
  /** Default `ackInterval`. */
  ackInterval: 10,
  /** Largest `ackInterval` (the server keeps it in 16 bits). */
  maxAckInterval: 65_535,
  /** Default `maxOutstandingAcks`. */
  maxOutstandingAcks: 2,
  /** Milliseconds without traffic after which the server drops a batch (its default). */
  inactivityTimeout: 10_000,
} as const;

/** The rules of {@link StartFastIngestOptions} (`inboxPrefix` is checked as a subject when used). */
export const startFastIngestRules: OptionRules = {
  ...fastIngestMessageRules,
  allowGaps: bool,
  ackInterval: int(1, FastIngestLimits.maxAckInterval),
  maxOutstandingAcks: int(1),
  inboxPrefix: str(),
  timeout: ms(1),
};
