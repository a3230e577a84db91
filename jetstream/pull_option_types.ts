/**
 * nats.js's names for the pieces of the pull options (`fetch()`, `consume()`, `next()`) and for
 * their message- and byte-bounded variants. Each is cut from natsw's option interfaces, so what
 * the types allow is what the calls accept; times are milliseconds.
 *
 * @example
 * ```ts ignore
 * import type { FetchBytes } from "@natsw/natsw/jetstream";
 * const opts: FetchBytes = { max_bytes: 1024 * 1024, expires: 5_000 };
 * const messages = await consumer.fetch(opts);
 * ```
 *
 * @module
 */
import type { ConsumeOptions, FetchOptions } from "./consume_types.ts";
import type { JsMsg, JsMsgNextOptions } from "./jsmsg.ts";

/** The most messages a pull asks for. */
export type MaxMessages = Required<Pick<FetchOptions, "max_messages">>;
/** The byte budget of a pull. */
export type MaxBytes = Required<Pick<FetchOptions, "max_bytes">>;
/** The held-message count at which `consume()` pulls more. */
export type ThresholdMessages = Required<Pick<ConsumeOptions, "threshold_messages">>;
/** The held-byte count at which `consume()` pulls more. */
export type ThresholdBytes = Required<Pick<ConsumeOptions, "threshold_bytes">>;
/** How long each pull request lives on the server, in ms. */
export type Expires = Pick<FetchOptions, "expires">;
/** The heartbeat interval of a pull, in ms. */
export type IdleHeartbeat = Pick<FetchOptions, "idle_heartbeat">;
/** Never look the consumer up. */
export type Bind = Pick<FetchOptions, "bind">;
/** End when the stream or the consumer is gone. */
export type AbortOnMissingResource = Pick<ConsumeOptions, "abort_on_missing_resource">;
/** A `consume()` message callback. */
export type ConsumerCallbackFn = (r: JsMsg) => void | Promise<never>;
/** The `callback` option of `consume()`. */
export type ConsumeCallback = { callback?: ConsumerCallbackFn };

/** `fetch()` options bounded by bytes. */
export type FetchBytes = FetchOptions & MaxBytes;
/** `fetch()` options bounded by messages. */
export type FetchMessages = Omit<FetchOptions, "max_bytes">;
/** `consume()` options bounded by bytes. */
export type ConsumeBytes = Omit<ConsumeOptions, "threshold_messages"> & MaxBytes;
/** `consume()` options bounded by messages. */
export type ConsumeMessages = Omit<ConsumeOptions, "max_bytes" | "threshold_bytes">;

/** Overflow pull of a priority group: only when the consumer has at least `min_pending` pending. */
export type OverflowMinPending = {
  /** The priority group. */
  group: string;
  /** Pending messages the consumer must have. */
  min_pending: number;
};
/** Overflow pull of a priority group: only when at least `min_ack_pending` wait for an ack. */
export type OverflowMinAckPending = {
  /** The priority group. */
  group: string;
  /** Messages that must wait for an ack. */
  min_ack_pending: number;
};
/** Overflow pull of a priority group with both thresholds. */
export type OverflowMinPendingAndMinAck = OverflowMinPending & OverflowMinAckPending;
/** One of the overflow pulls. */
export type OverflowOptions = OverflowMinPending | OverflowMinAckPending | OverflowMinPendingAndMinAck;
/** A pull of a `prioritized` priority group. */
export type PrioritizedOptions = {
  /** The priority group. */
  group: string;
  /** 0–9, lower first. */
  priority: number;
};

/** The options of `JsMsg.next()` (used as `Partial<PullOptions>`), times in ms. */
export type PullOptions = Required<JsMsgNextOptions>;
