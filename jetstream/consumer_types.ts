/**
 * Consumer configuration and state, as the JetStream API sends them. Durations are nanoseconds
 * (use `nanos()`).
 *
 * @module
 */
import type { ClusterInfo } from "./stream_types.ts";
import type { Nanos } from "./util.ts";

/**
 * Where a consumer starts.
 *
 * @example
 * ```ts
 * import { DeliverPolicy } from "./consumer_types.ts";
 * console.log(DeliverPolicy.StartSequence);
 * ```
 */
export const DeliverPolicy = {
  /** From the first message. */
  All: "all",
  /** From the last message. */
  Last: "last",
  /** Only new messages. */
  New: "new",
  /** From `opt_start_seq`. */
  StartSequence: "by_start_sequence",
  /** From `opt_start_time`. */
  StartTime: "by_start_time",
  /** The last message of each subject. */
  LastPerSubject: "last_per_subject",
} as const;
/** One of the {@link DeliverPolicy} values. */
export type DeliverPolicy = typeof DeliverPolicy[keyof typeof DeliverPolicy];

/**
 * How messages are acknowledged.
 *
 * @example
 * ```ts
 * import { AckPolicy } from "./consumer_types.ts";
 * console.log(AckPolicy.Explicit);
 * ```
 */
export const AckPolicy = {
  /** No acks. */
  None: "none",
  /** An ack acknowledges every earlier message too. */
  All: "all",
  /** Every message is acked on its own. */
  Explicit: "explicit",
  /** Flow-control acks (2.14, push, for sourcing). */
  FlowControl: "flow_control",
} as const;
/** One of the {@link AckPolicy} values. */
export type AckPolicy = typeof AckPolicy[keyof typeof AckPolicy];

/**
 * Delivery pace.
 *
 * @example
 * ```ts
 * import { ReplayPolicy } from "./consumer_types.ts";
 * console.log(ReplayPolicy.Instant);
 * ```
 */
export const ReplayPolicy = {
  /** As fast as possible. */
  Instant: "instant",
  /** At the pace they were stored. */
  Original: "original",
} as const;
/** One of the {@link ReplayPolicy} values. */
export type ReplayPolicy = typeof ReplayPolicy[keyof typeof ReplayPolicy];

/**
 * How pull requests of a priority group are served (2.11).
 *
 * @example
 * ```ts
 * import { PriorityPolicy } from "./consumer_types.ts";
 * console.log(PriorityPolicy.PinnedClient);
 * ```
 */
export const PriorityPolicy = {
  /** No priority. */
  None: "none",
  /** Serve a request only when pending crosses its minimum. */
  Overflow: "overflow",
  /** One client at a time receives messages. */
  PinnedClient: "pinned_client",
  /** Lower priority numbers first (2.12). */
  Prioritized: "prioritized",
} as const;
/** One of the {@link PriorityPolicy} values. */
export type PriorityPolicy = typeof PriorityPolicy[keyof typeof PriorityPolicy];

/** A consumer's configuration. */
export interface ConsumerConfig {
  /** Name (2.9). */
  name?: string;
  /** Durable name. */
  durable_name?: string;
  /** Description. */
  description?: string;
  /** Where to start. */
  deliver_policy?: DeliverPolicy;
  /** Start sequence for `by_start_sequence`. */
  opt_start_seq?: number;
  /** Start time for `by_start_time`. */
  opt_start_time?: string;
  /** Ack policy. */
  ack_policy?: AckPolicy;
  /** Time to wait for an ack (ns). */
  ack_wait?: Nanos;
  /** Maximum deliveries (-1 unlimited). */
  max_deliver?: number;
  /** Redelivery delays (ns). */
  backoff?: Nanos[];
  /** Subject filter. */
  filter_subject?: string;
  /** Several subject filters (2.10). */
  filter_subjects?: string[];
  /** Replay policy. */
  replay_policy?: ReplayPolicy;
  /** Push rate limit (bits/s). */
  rate_limit_bps?: number;
  /** Sampling percentage (`"100%"`). */
  sample_freq?: string;
  /** Maximum waiting pull requests. */
  max_waiting?: number;
  /** Maximum unacknowledged messages. */
  max_ack_pending?: number;
  /** Push: flow control. */
  flow_control?: boolean;
  /** Push: idle heartbeat (ns). */
  idle_heartbeat?: Nanos;
  /** Push: delivery subject. */
  deliver_subject?: string;
  /** Push: delivery queue group. */
  deliver_group?: string;
  /** Deliver only headers (plus `Nats-Msg-Size`). */
  headers_only?: boolean;
  /** Largest batch per pull. */
  max_batch?: number;
  /** Longest expiry per pull (ns). */
  max_expires?: Nanos;
  /** Largest max_bytes per pull. */
  max_bytes?: number;
  /** Delete after this much inactivity (ns). */
  inactive_threshold?: Nanos;
  /** Replicas. */
  num_replicas?: number;
  /** Keep state in memory. */
  mem_storage?: boolean;
  /** Metadata (2.10). */
  metadata?: Record<string, string>;
  /** Paused until (RFC 3339, 2.11). */
  pause_until?: string;
  /** Priority groups (2.11). */
  priority_groups?: string[];
  /** Priority policy (2.11). */
  priority_policy?: PriorityPolicy;
  /** Pin timeout (ns, 2.11). */
  priority_timeout?: Nanos;
}

/** A sequence pair. */
export interface SequenceInfo {
  /** Consumer sequence. */
  consumer_seq: number;
  /** Stream sequence. */
  stream_seq: number;
  /** Last activity. */
  last_active?: string;
}

/** A consumer's configuration and state. */
export interface ConsumerInfo {
  /** Stream. */
  stream_name: string;
  /** Consumer name. */
  name: string;
  /** Creation time. */
  created: string;
  /** Configuration. */
  config: ConsumerConfig;
  /** Last delivered. */
  delivered: SequenceInfo;
  /** Ack floor. */
  ack_floor: SequenceInfo;
  /** Messages waiting for an ack. */
  num_ack_pending: number;
  /** Redelivered messages. */
  num_redelivered: number;
  /** Waiting pull requests. */
  num_waiting: number;
  /** Messages not yet delivered. */
  num_pending: number;
  /** Cluster details. */
  cluster?: ClusterInfo;
  /** A push subscriber is bound. */
  push_bound?: boolean;
  /** Paused (2.11). */
  paused?: boolean;
  /** Pause remaining (ns). */
  pause_remaining?: Nanos;
  /** Priority groups state (2.11). */
  priority_groups?: { group: string; pinned_client_id?: string; pinned_ts?: string }[];
  /** Server time of the answer. */
  ts?: string;
}

/** Result of pause/resume. */
export interface ConsumerPauseResponse {
  /** Paused now. */
  paused: boolean;
  /** Until. */
  pause_until?: string;
  /** Remaining (ns). */
  pause_remaining?: Nanos;
}

/**
 * Result of a consumer reset (2.14): the consumer's info after the reset and where it restarts.
 *
 * @example
 * ```ts ignore
 * const r = await jsm.consumers.reset("ORDERS", "worker", 100);
 * console.log(r.reset_seq, r.num_pending);
 * ```
 */
export interface ConsumerResetResponse extends ConsumerInfo {
  /** The stream sequence the consumer restarts from: the next message delivered has this sequence or a later one. */
  reset_seq: number;
}

/** A pull request (`CONSUMER.MSG.NEXT`), as sent on the wire. */
export interface PullRequest {
  /** Messages wanted. */
  batch: number;
  /** Byte budget. */
  max_bytes?: number;
  /** Expiry (ns). */
  expires?: Nanos;
  /** Answer at once. */
  no_wait?: boolean;
  /** Heartbeat interval (ns). */
  idle_heartbeat?: Nanos;
  /** Priority group (2.11). */
  group?: string;
  /** Overflow: minimum pending (2.11). */
  min_pending?: number;
  /** Overflow: minimum ack pending (2.11). */
  min_ack_pending?: number;
  /** Pinned client id (2.11). */
  id?: string;
  /** Priority 0–9 (2.12). */
  priority?: number;
}
