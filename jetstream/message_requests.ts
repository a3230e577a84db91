/**
 * nats.js's names for the queries that read or delete stored messages: the members of
 * `MsgRequest` and `DirectMsgRequest`, and the two ways a direct batch starts.
 *
 * @example
 * ```ts ignore
 * import type { LastForMsgRequest } from "@natsw/natsw/jetstream";
 * const q: LastForMsgRequest = { last_by_subj: "orders.1" };
 * const m = await jsm.streams.getMessage("ORDERS", q);
 * ```
 *
 * @module
 */
import type { DirectBatchOptions } from "./direct.ts";

/** The message with this stream sequence. */
export type SeqMsgRequest = {
  /** Stream sequence. */
  seq: number;
};

/** The last message of a subject. */
export type LastForMsgRequest = {
  /** The subject. */
  last_by_subj: string;
};

/** The first message of a subject at or after a sequence. */
export type NextMsgRequest = {
  /** Where to start (default 1). */
  seq?: number;
  /** The subject (wildcards allowed). */
  next_by_subj: string;
};

/**
 * The first message at or after a time (nats-server 2.11+). nats.js's direct `getMessage()` takes
 * it; natsw's takes a time only in a batch ({@link DirectBatchStartTime}).
 */
export type StartTimeMsgRequest = {
  /** The time (a `Date` or an RFC 3339 string). */
  start_time: Date | string;
};

/** A stored message to delete, by sequence; `no_erase` skips overwriting its data. */
export type MsgDeleteRequest = SeqMsgRequest & {
  /** Remove without overwriting the data (faster). */
  no_erase?: boolean;
};

/** The size limits and subject filter of a direct batch. */
export type DirectBatchLimits = Pick<DirectBatchOptions, "batch" | "max_bytes" | "next_by_subj">;

/** A direct batch that starts at a sequence. */
export type DirectBatchStartSeq = DirectBatchOptions & {
  /** Start sequence. */
  seq: number;
  /** Not with `seq`. */
  start_time?: never;
};

/** A direct batch that starts at a time. */
export type DirectBatchStartTime = DirectBatchOptions & {
  /** Start time. */
  start_time: Date;
  /** Not with `start_time`. */
  seq?: never;
};

/** How a callback-driven batch ended: `err` when it failed. */
export type CompletionResult = {
  /** The error that ended the batch, if any. */
  err?: Error;
};

/**
 * nats.js's callback for direct batches: called with each value (and `null`), then once with a
 * {@link CompletionResult}. natsw's direct batch gets return async iterables instead.
 */
export type BatchCallback<T> = (done: CompletionResult | null, d: T) => void;
