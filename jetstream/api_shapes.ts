/**
 * nats.js's names for JetStream API shapes that natsw's types hold in other forms: the updatable
 * parts of stream and consumer configurations, the purge variants, and parts of API responses.
 *
 * @example
 * ```ts ignore
 * import type { PurgeBySubject } from "@natsw/natsw/jetstream";
 * const opts: PurgeBySubject = { filter: "orders.cancelled" };
 * await jsm.streams.purge("ORDERS", opts);
 * ```
 *
 * @module
 */
import type { JetStreamAccountStats, JetStreamUsage } from "./api_types.ts";
import type { JetStreamOptions } from "./api.ts";
import type { ConsumerConfig } from "./consumer_types.ts";
import type { StreamConfig, StreamSource, StreamState } from "./stream_types.ts";

/** The stream settings an update may change (all but those fixed at creation). */
export type StreamUpdateConfig = Omit<
  StreamConfig,
  "name" | "retention" | "storage" | "max_consumers" | "sealed" | "first_seq" | "allow_msg_counter" | "persist_mode"
>;

/** The consumer settings an update may change (all but those fixed at creation). */
export type ConsumerUpdateConfig = Omit<
  ConsumerConfig,
  | "ack_policy"
  | "deliver_policy"
  | "deliver_group"
  | "durable_name"
  | "name"
  | "flow_control"
  | "idle_heartbeat"
  | "opt_start_seq"
  | "opt_start_time"
  | "rate_limit_bps"
  | "replay_policy"
  | "pause_until"
>;

/** The priority-group settings of a consumer (2.11+). */
export type PriorityGroups = Pick<ConsumerConfig, "priority_groups" | "priority_policy" | "priority_timeout">;

/** A pre-created consumer a stream source reads through (`StreamSource.consumer`). */
export type StreamConsumerSource = NonNullable<StreamSource["consumer"]>;

/** Damaged messages a stream could not recover (`StreamState.lost`). */
export type LostStreamData = NonNullable<StreamState["lost"]>;

/** Purge below a sequence (optionally of one subject filter). */
export type PurgeBySeq = {
  /** Only subjects matching this filter. */
  filter?: string;
  /** Purge every message below this sequence. */
  seq: number;
};

/** Purge all but the newest `keep` messages (optionally of one subject filter). */
export type PurgeTrimOpts = {
  /** Only subjects matching this filter. */
  filter?: string;
  /** Messages to keep. */
  keep: number;
};

/** Purge the messages of a subject filter. */
export type PurgeBySubject = {
  /** The subject filter. */
  filter: string;
};

/**
 * nats.js's options of `consumers.add()`: `pedantic` asks the server to refuse settings it would
 * otherwise adjust. natsw's `add()` takes these or an action (`"create"`, `"update"`, `""`).
 */
export type ConsumerCreateOptions = {
  /** Refuse instead of adjusting the configuration. */
  pedantic?: boolean;
};

/** An API answer that only reports success. */
export type Success = {
  /** True when the operation succeeded. */
  success: boolean;
};

/** The stream names of a `STREAM.NAMES` answer. */
export type StreamNames = {
  /** The names. */
  streams: string[];
};

/** The paging field of a JetStream list request. */
export type ApiPagedRequest = {
  /** Index of the first item wanted. */
  offset: number;
};

/** The API counters of an account (`JetStreamAccountStats.api`). */
export type JetStreamApiStats = JetStreamAccountStats["api"];

/** An account's JetStream usage with its limits. */
export type JetStreamUsageAccountLimits = JetStreamUsage;

/** Options of `jetstreamManager()` (with `checkAPI`, as nats.js). */
export type JetStreamManagerOptions = JetStreamOptions;
