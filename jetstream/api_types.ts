/**
 * JetStream API envelopes and small shared shapes.
 *
 * @module
 */
import type { ApiError } from "./errors.ts";

/** Every API response: on failure, `error` is set. */
export interface ApiResponse {
  /** `io.nats.jetstream.api.v1.<name>`. */
  type?: string;
  /** The failure, if any. */
  error?: ApiError;
}

/** A paged response. */
export interface ApiPaged {
  /** Total items. */
  total: number;
  /** Offset of this page. */
  offset: number;
  /** Page size. */
  limit: number;
}

/** The answer to a JetStream publish. */
export interface PubAck {
  /** The stream that stored the message. */
  stream: string;
  /** Its sequence. */
  seq: number;
  /** True when it was a duplicate (dedupe by msgID). */
  duplicate: boolean;
  /** The JetStream domain. */
  domain?: string;
  /** A counter's new value (2.12, counter streams). */
  val?: string;
  /** Batch id (atomic batch). */
  batch?: string;
  /** Messages in the batch. */
  count?: number;
}

/** Account limits. */
export interface AccountLimits {
  /** Max memory bytes. */
  max_memory: number;
  /** Max storage bytes. */
  max_storage: number;
  /** Max streams. */
  max_streams: number;
  /** Max consumers. */
  max_consumers: number;
  /** Max ack pending. */
  max_ack_pending?: number;
  /** Max bytes of a memory stream. */
  memory_max_stream_bytes?: number;
  /** Max bytes of a file stream. */
  storage_max_stream_bytes?: number;
  /** Streams must set max_bytes. */
  max_bytes_required?: boolean;
}

/** Usage of one tier. */
export interface JetStreamUsage {
  /** Memory bytes used. */
  memory: number;
  /** Storage bytes used. */
  storage: number;
  /** Reserved memory. */
  reserved_memory?: number;
  /** Reserved storage. */
  reserved_storage?: number;
  /** Streams. */
  streams: number;
  /** Consumers. */
  consumers: number;
  /** Limits. */
  limits: AccountLimits;
}

/** `$JS.API.INFO`. */
export interface JetStreamAccountStats extends JetStreamUsage {
  /** Domain. */
  domain?: string;
  /** API stats (level 2.11+). */
  api: { level?: number; total: number; errors: number; inflight?: number };
  /** Per-tier usage. */
  tiers?: Record<string, JetStreamUsage>;
}
