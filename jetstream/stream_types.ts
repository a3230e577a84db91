/**
 * Stream configuration and state, as the JetStream API sends them. Durations are nanoseconds
 * (use `nanos()`), timestamps RFC 3339 strings.
 *
 * @module
 */
import { bool, int, type OptionRules, subject } from "../src/option_check.ts";
import type { Nanos } from "./util.ts";

/**
 * How a stream retains messages.
 *
 * @example
 * ```ts
 * import { RetentionPolicy } from "./stream_types.ts";
 * console.log(RetentionPolicy.Workqueue);
 * ```
 */
export const RetentionPolicy = {
  /** Keep messages until a limit is reached. */
  Limits: "limits",
  /** Keep messages while consumers are interested. */
  Interest: "interest",
  /** Remove messages once acknowledged. */
  Workqueue: "workqueue",
} as const;
/** One of the {@link RetentionPolicy} values. */
export type RetentionPolicy = typeof RetentionPolicy[keyof typeof RetentionPolicy];

/**
 * What happens when a stream is full.
 *
 * @example
 * ```ts
 * import { DiscardPolicy } from "./stream_types.ts";
 * console.log(DiscardPolicy.New);
 * ```
 */
export const DiscardPolicy = {
  /** Drop the oldest messages. */
  Old: "old",
  /** Refuse new messages. */
  New: "new",
} as const;
/** One of the {@link DiscardPolicy} values. */
export type DiscardPolicy = typeof DiscardPolicy[keyof typeof DiscardPolicy];

/**
 * Where a stream stores its messages.
 *
 * @example
 * ```ts
 * import { StorageType } from "./stream_types.ts";
 * console.log(StorageType.Memory);
 * ```
 */
export const StorageType = {
  /** On disk. */
  File: "file",
  /** In memory. */
  Memory: "memory",
} as const;
/** One of the {@link StorageType} values. */
export type StorageType = typeof StorageType[keyof typeof StorageType];

/**
 * Stream compression.
 *
 * @example
 * ```ts
 * import { StoreCompression } from "./stream_types.ts";
 * console.log(StoreCompression.S2);
 * ```
 */
export const StoreCompression = {
  /** No compression. */
  None: "none",
  /** S2 compression. */
  S2: "s2",
} as const;
/** One of the {@link StoreCompression} values. */
export type StoreCompression = typeof StoreCompression[keyof typeof StoreCompression];

/** Placement of a stream in a super-cluster. */
export interface Placement {
  /** Cluster name. */
  cluster?: string;
  /** Server tags. */
  tags?: string[];
  /** Preferred leader (2.11). */
  preferred?: string;
}

/** A subject transform. */
export interface SubjectTransformConfig {
  /** Source subject filter. */
  src: string;
  /** Destination template. */
  dest: string;
}

/** An external JetStream API (cross-account or cross-domain sources). */
export interface ExternalStream {
  /** API prefix. */
  api: string;
  /** Delivery prefix. */
  deliver?: string;
}

/** A mirror or source of a stream. */
export interface StreamSource {
  /** Name of the origin stream. */
  name: string;
  /** Start at this sequence. */
  opt_start_seq?: number;
  /** Start at this time. */
  opt_start_time?: string;
  /** Only subjects matching this filter. */
  filter_subject?: string;
  /** Transforms applied (2.10). */
  subject_transforms?: SubjectTransformConfig[];
  /** Origin in another account or domain. */
  external?: ExternalStream;
  /** Durable sourcing consumer (2.14). */
  consumer?: { name: string; deliver_subject?: string };
  /** Domain shortcut (client side; turned into `external`). */
  domain?: string;
}

/** Republish stored messages to another subject. */
export interface Republish {
  /** Source filter. */
  src?: string;
  /** Destination. */
  dest: string;
  /** Send only headers. */
  headers_only?: boolean;
}

/** Default limits applied to the stream's consumers (2.10). */
export interface StreamConsumerLimits {
  /** Default inactive threshold (ns). */
  inactive_threshold?: Nanos;
  /** Default max ack pending. */
  max_ack_pending?: number;
}

/** A stream's configuration. */
export interface StreamConfig {
  /** Stream name. */
  name: string;
  /** Description. */
  description?: string;
  /** Subjects stored. */
  subjects?: string[];
  /** Retention policy (default limits). */
  retention?: RetentionPolicy;
  /** Maximum consumers (-1 unlimited). */
  max_consumers?: number;
  /** Maximum messages (-1 unlimited). */
  max_msgs?: number;
  /** Maximum bytes (-1 unlimited). */
  max_bytes?: number;
  /** Maximum age (ns, 0 unlimited). */
  max_age?: Nanos;
  /** Maximum message size (-1 unlimited). */
  max_msg_size?: number;
  /** Messages kept per subject. */
  max_msgs_per_subject?: number;
  /** Discard policy. */
  discard?: DiscardPolicy;
  /** With discard new: apply the limit per subject. */
  discard_new_per_subject?: boolean;
  /** Storage type (default file). */
  storage?: StorageType;
  /** Replicas (1–5). */
  num_replicas?: number;
  /** Do not acknowledge publishes. */
  no_ack?: boolean;
  /** Dedupe window (ns). */
  duplicate_window?: Nanos;
  /** Placement. */
  placement?: Placement;
  /** Mirror of another stream. */
  mirror?: StreamSource;
  /** Sources. */
  sources?: StreamSource[];
  /** No changes allowed. */
  sealed?: boolean;
  /** Refuse message deletes. */
  deny_delete?: boolean;
  /** Refuse purges. */
  deny_purge?: boolean;
  /** Allow `Nats-Rollup` headers. */
  allow_rollup_hdrs?: boolean;
  /** Allow direct get. */
  allow_direct?: boolean;
  /** Mirrors answer direct gets for the origin. */
  mirror_direct?: boolean;
  /** Republish configuration. */
  republish?: Republish;
  /** Compression (2.10). */
  compression?: StoreCompression;
  /** First sequence (2.10). */
  first_seq?: number;
  /** Transform applied on ingest (2.10). */
  subject_transform?: SubjectTransformConfig;
  /** Consumer defaults (2.10). */
  consumer_limits?: StreamConsumerLimits;
  /** Metadata (2.10). */
  metadata?: Record<string, string>;
  /** Allow the `Nats-TTL` header (2.11). */
  allow_msg_ttl?: boolean;
  /** TTL of subject delete markers (ns, 2.11). */
  subject_delete_marker_ttl?: Nanos;
  /** Counter stream (2.12). */
  allow_msg_counter?: boolean;
  /** Atomic batch publish (2.12). */
  allow_atomic?: boolean;
  /** Message schedules (2.12). */
  allow_msg_schedules?: boolean;
  /** Persist mode (2.12). */
  persist_mode?: "default" | "async";
  /** Fast-ingest batching (2.14). */
  allow_batched?: boolean;
}

/** The state of a stream. */
export interface StreamState {
  /** Messages stored. */
  messages: number;
  /** Bytes stored. */
  bytes: number;
  /** First sequence. */
  first_seq: number;
  /** Time of the first message. */
  first_ts: string;
  /** Last sequence. */
  last_seq: number;
  /** Time of the last message. */
  last_ts: string;
  /** Number of subjects. */
  num_subjects?: number;
  /** Messages per subject (when asked with `subjects_filter`). */
  subjects?: Record<string, number>;
  /** Number of deleted messages. */
  num_deleted?: number;
  /** Deleted sequences (when asked with `deleted_details`). */
  deleted?: number[];
  /** Lost data. */
  lost?: { msgs: number[] | null; bytes: number };
  /** Consumers. */
  consumer_count: number;
}

/** A peer of a replicated stream or consumer. */
export interface PeerInfo {
  /** Server name. */
  name: string;
  /** Up to date. */
  current: boolean;
  /** Offline. */
  offline?: boolean;
  /** Nanoseconds since last seen. */
  active: Nanos;
  /** Operations behind. */
  lag?: number;
  /** Observer. */
  observer?: boolean;
}

/** Cluster information. */
export interface ClusterInfo {
  /** Cluster name. */
  name?: string;
  /** Raft group. */
  raft_group?: string;
  /** Leader server name. */
  leader?: string;
  /** Leader since. */
  leader_since?: string;
  /** Other replicas. */
  replicas?: PeerInfo[];
}

/** State of a mirror or source. */
export interface StreamSourceInfo {
  /** Origin stream. */
  name: string;
  /** External API. */
  external?: ExternalStream;
  /** Messages behind. */
  lag: number;
  /** Nanoseconds since last contact. */
  active: Nanos;
  /** Error, if any. */
  error?: { code: number; err_code?: number; description?: string };
  /** Filter. */
  filter_subject?: string;
  /** Transforms. */
  subject_transforms?: SubjectTransformConfig[];
}

/** A stream's configuration and state. */
export interface StreamInfo {
  /** Configuration (including server-added `_nats.*` metadata). */
  config: StreamConfig;
  /** Creation time. */
  created: string;
  /** State. */
  state: StreamState;
  /** Domain. */
  domain?: string;
  /** Cluster details. */
  cluster?: ClusterInfo;
  /** Mirror state. */
  mirror?: StreamSourceInfo;
  /** Source states. */
  sources?: StreamSourceInfo[];
  /** In a cluster (2.9+): this stream and its mirrors, nearest to the requester first. */
  alternates?: StreamAlternate[];
  /** Server time of the answer. */
  ts?: string;
}

/**
 * A stream that can serve reads for another one: the stream itself or one of its mirrors.
 *
 * @example
 * ```ts ignore
 * const s = await jsm.streams.get("ORDERS");
 * for (const a of await s.alternates()) console.log(a.name, a.cluster);
 * ```
 */
export interface StreamAlternate {
  /** The stream's name. */
  name: string;
  /** The cluster holding it. */
  cluster: string;
  /** The JetStream domain holding it (absent when there is none). */
  domain?: string;
}

/** The rules of {@link StreamInfoRequestOptions}. */
export const streamInfoRequestRules: OptionRules = { deleted_details: bool, subjects_filter: subject(true) };

/** Options of `streams.info()`. */
export interface StreamInfoRequestOptions {
  /** Include the deleted sequences. */
  deleted_details?: boolean;
  /** Include message counts for subjects matching this filter. */
  subjects_filter?: string;
}

/** Options of `streams.purge()`: `seq` and `keep` exclude each other. */
export interface PurgeOpts {
  /** Only subjects matching this filter. */
  filter?: string;
  /** Purge everything below this sequence. */
  seq?: number;
  /** Keep this many of the newest messages. */
  keep?: number;
}

/** The rules of {@link PurgeOpts} (`seq` and `keep` exclude each other). */
export const purgeRules: OptionRules = { filter: subject(true), seq: int(1), keep: int(0) };

/** Result of a purge. */
export interface PurgeResponse {
  /** Success. */
  success: boolean;
  /** Messages purged. */
  purged: number;
}
