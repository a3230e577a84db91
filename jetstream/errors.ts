/**
 * Typed JetStream errors. API failures carry the server's stable `err_code` (as `code`, named in
 * {@link JetStreamApiCodes}), its HTTP-like `status` and its `description`, as in nats.js.
 *
 * @module
 */
import { NatsError } from "../src/core.ts";

/**
 * Well-known JetStream API error codes (`err_code`, a {@link JetStreamApiError}'s `code`), by
 * name: nats.js's keys and more.
 *
 * @example
 * ```ts
 * import { JetStreamApiCodes } from "./errors.ts";
 * console.log(JetStreamApiCodes.StreamNotFound); // 10059
 * ```
 */
export const JetStreamApiCodes = {
  /** Consumer not found. */
  ConsumerNotFound: 10014,
  /** Consumer name already in use. */
  ConsumerNameExist: 10013,
  /** JetStream system temporarily unavailable. */
  JetStreamNotAvailable: 10008,
  /** No message found. */
  NoMessageFound: 10037,
  /** JetStream not enabled for the account. */
  JetStreamNotEnabledForAccount: 10039,
  /** Invalid stream configuration. */
  StreamInvalidConfig: 10052,
  /** Message exceeds the stream's max size. */
  StreamMessageExceedsMaximum: 10054,
  /** Message delete failed. */
  StreamMsgDeleteFailed: 10057,
  /** Stream name already in use with a different configuration. */
  StreamNameExist: 10058,
  /** Stream not found. */
  StreamNotFound: 10059,
  /** Expected stream does not match. */
  StreamNotMatch: 10060,
  /** Subjects overlap with an existing stream. */
  StreamSubjectOverlap: 10065,
  /** Wrong last msg ID. */
  StreamWrongLastMsgID: 10070,
  /** Wrong last sequence. */
  StreamWrongLastSequence: 10071,
  /** JetStream not enabled. */
  JetStreamNotEnabled: 10076,
  /** Invalid operation on a sealed stream. */
  StreamSealed: 10109,
  /** Consumer already exists (create action). */
  ConsumerAlreadyExists: 10148,
  /** Consumer does not exist (update action). */
  ConsumerDoesNotExist: 10149,
  /** Duplicate message id is being processed. */
  StreamDuplicateMessageIdInProcess: 10158,
  /** No such priority group. */
  ConsumerInvalidPriorityGroup: 10160,
  /** Wrong last sequence (constant form), under nats.js's name. */
  StreamWrongLastSequenceUnknown: 10164,
  /** Wrong last sequence (constant form); the same code as `StreamWrongLastSequenceUnknown`. */
  StreamWrongLastSequenceConstant: 10164,
  /** Invalid per-message TTL. */
  MessageTTLInvalid: 10165,
  /** Per-message TTL is disabled on the stream. */
  MessageTTLDisabled: 10166,
  /** Too many requests. */
  StreamTooManyRequests: 10167,
  /** Atomic publish is not enabled on the stream (`allow_atomic`). */
  AtomicPublishDisabled: 10174,
  /** Atomic batch sequence header missing. */
  AtomicPublishMissingSeq: 10175,
  /** Atomic batch incomplete (a gap, an unknown batch, or abandoned). */
  AtomicPublishIncompleteBatch: 10176,
  /** Atomic batch used an unsupported header (`Nats-Expected-Last-Msg-Id`). */
  AtomicPublishUnsupportedHeaderBatch: 10177,
  /** Atomic batch id invalid (longer than 64 characters). */
  AtomicPublishInvalidBatchID: 10179,
  /** Required API level not met. */
  RequiredApiLevel: 10185,
  /** Message schedules are not enabled on the stream (`allow_msg_schedules`). */
  MessageSchedulesDisabled: 10188,
  /** The `Nats-Schedule` pattern is invalid. */
  MessageSchedulesPatternInvalid: 10189,
  /** The schedule target is invalid (not a subject of the stream, or the schedule's own subject). */
  MessageSchedulesTargetInvalid: 10190,
  /** The schedule TTL is invalid. */
  MessageSchedulesTTLInvalid: 10191,
  /** The schedule rollup is invalid (only `sub`). */
  MessageSchedulesRollupInvalid: 10192,
  /** The schedule source is invalid (not in the stream, a wildcard, the target or the schedule subject). */
  MessageSchedulesSourceInvalid: 10203,
  /** `Nats-Scheduler` is invalid (empty, the publish subject, or not a schedule). */
  MessageSchedulesSchedulerInvalid: 10212,
  /** The schedule time zone is invalid (unknown to the server, empty, or not a cron schedule). */
  MessageSchedulesTimeZoneInvalid: 10223,
  /** Atomic batch exceeds the server's size limit (default 1000 messages). */
  AtomicPublishTooLargeBatch: 10199,
  /** Atomic batch contains a duplicate message id. */
  AtomicPublishContainsDuplicateMessage: 10201,
  /** A consumer reset was refused (the sequence is not allowed for the consumer's deliver policy). */
  ConsumerInvalidReset: 10204,
  /** Fast-ingest batch publish is not enabled on the stream (`allow_batched`). */
  BatchPublishDisabled: 10205,
  /** Fast-ingest reply subject malformed (unknown operation, gap mode or sequence). */
  BatchPublishInvalidPattern: 10206,
  /** Fast-ingest batch id invalid (longer than 64 characters). */
  BatchPublishInvalidBatchID: 10207,
  /** Fast-ingest batch unknown to the server (never started, ended, or dropped after 10 s idle). */
  BatchPublishUnknownBatchID: 10208,
  /** Too many fast-ingest batches in flight (1000 per stream, 50,000 per server by default). */
  BatchPublishTooManyInflight: 10211,
} as const;
/** One of the {@link JetStreamApiCodes} values. */
export type JetStreamApiCodes = typeof JetStreamApiCodes[keyof typeof JetStreamApiCodes];

/**
 * {@link JetStreamApiCodes} under its earlier natsw name.
 *
 * @example
 * ```ts
 * import { JsApiCodes } from "./errors.ts";
 * console.log(JsApiCodes.ConsumerNotFound); // 10014
 * ```
 */
export const JsApiCodes: typeof JetStreamApiCodes = JetStreamApiCodes;
/** One of the {@link JetStreamApiCodes} values (natsw's earlier name). */
export type JsApiCode = JetStreamApiCodes;

/** The `error` object of a JetStream API response. */
export interface ApiError {
  /** HTTP-like status code. */
  code: number;
  /** Stable JetStream error code. */
  err_code?: number;
  /** Human readable text (not stable). */
  description?: string;
}

/**
 * Base class of the JetStream errors that nats.js raises as `JetStreamError`: a status that ends
 * a pull ({@link JetStreamStatusError}), missed heartbeats ({@link HeartbeatsMissedError}).
 *
 * @example
 * ```ts
 * import { HeartbeatsMissedError, JetStreamError } from "./errors.ts";
 * console.log(new HeartbeatsMissedError(1000) instanceof JetStreamError); // true
 * ```
 */
export class JetStreamError extends NatsError {}

/**
 * The JetStream API answered with an error. As in nats.js, `code` is the stable JetStream error
 * code (`err_code`, e.g. 10059, named in {@link JetStreamApiCodes}), `status` the HTTP-like status
 * (e.g. 404), `message` the server's description, and `apiError()` the whole `error` object.
 *
 * @example
 * ```ts
 * import { JetStreamApiCodes, JetStreamApiError } from "./errors.ts";
 * const err = new JetStreamApiError({ code: 404, err_code: 10059, description: "stream not found" });
 * console.log(err.code === JetStreamApiCodes.StreamNotFound, err.status, err.message); // true 404 "stream not found"
 * ```
 */
export class JetStreamApiError extends NatsError {
  /** Stable JetStream error code, the server's `err_code` (0 when it gave none). */
  readonly code: number;
  /** HTTP-like status code, the server's `code` (e.g. 404). */
  readonly status: number;
  /** The same as `code`, under the server's field name. */
  readonly err_code: number;
  /** The server's description (also the message). */
  readonly description: string;
  readonly #error: ApiError;
  /** Creates the error from the API `error` object. */
  constructor(error: ApiError, options?: ErrorOptions) {
    const description = error.description ?? "";
    super(description, options);
    this.#error = { ...error };
    this.code = error.err_code ?? 0;
    this.status = error.code;
    this.err_code = this.code;
    this.description = description;
  }

  /** A copy of the API `error` object (`code`, `err_code`, `description`). */
  apiError(): ApiError {
    return { ...this.#error };
  }

  /** True when `err_code` is `code`. */
  is(code: number): boolean {
    return this.err_code === code;
  }
}

/**
 * JetStream is not enabled or not reachable (an API call had no responders or got 503).
 *
 * @example
 * ```ts
 * import { JetStreamNotEnabledError } from "./errors.ts";
 * console.log(new JetStreamNotEnabledError("$JS.API.INFO").subject);
 * ```
 */
export class JetStreamNotEnabledError extends NatsError {
  /** The API subject that nobody answered. */
  readonly subject: string;
  /** Creates the error for `subject`. */
  constructor(subject: string, options?: ErrorOptions) {
    super(`jetstream not enabled or not available (no response on '${subject}')`, options);
    this.subject = subject;
  }
}

/**
 * The server is too old for a feature; names the feature and the version it needs.
 *
 * @example
 * ```ts
 * import { FeatureNotSupportedError } from "./errors.ts";
 * const err = new FeatureNotSupportedError("consumer pause", "2.11.0", "2.9.10");
 * console.log(err.required);
 * ```
 */
export class FeatureNotSupportedError extends NatsError {
  /** The feature. */
  readonly feature: string;
  /** The server version the feature needs. */
  readonly required: string;
  /** The version of the connected server. */
  readonly serverVersion: string;
  /** Creates the error. */
  constructor(feature: string, required: string, serverVersion: string, options?: ErrorOptions) {
    super(`${feature} requires nats-server ${required} or later (connected to ${serverVersion})`, options);
    this.feature = feature;
    this.required = required;
    this.serverVersion = serverVersion;
  }
}

/**
 * A pull request or a consumer stream ended with a status the client cannot recover from
 * (e.g. `409 Consumer Deleted`, `400 Bad Request`).
 *
 * @example
 * ```ts
 * import { JetStreamStatusError } from "./errors.ts";
 * console.log(new JetStreamStatusError(409, "Consumer Deleted").isConsumerDeleted());
 * ```
 */
export class JetStreamStatusError extends JetStreamError {
  /** Status code. */
  readonly code: number;
  /** Status description. */
  readonly description: string;
  /** Creates the error. */
  constructor(code: number, description: string, options?: ErrorOptions) {
    super(`jetstream status ${code}: ${description}`, options);
    this.code = code;
    this.description = description;
  }

  /** True for `409 Consumer Deleted`. */
  isConsumerDeleted(): boolean {
    return this.code === 409 && /consumer deleted/i.test(this.description);
  }
}

/**
 * A message is not a JetStream message (its reply subject is not a `$JS.ACK` subject).
 *
 * @example
 * ```ts
 * import { NotJetStreamMessageError } from "./errors.ts";
 * console.log(new NotJetStreamMessageError("x").reply);
 * ```
 */
export class NotJetStreamMessageError extends NatsError {
  /** The reply subject found. */
  readonly reply: string;
  /** Creates the error. */
  constructor(reply: string, options?: ErrorOptions) {
    super(`not a jetstream message (reply '${reply}')`, options);
    this.reply = reply;
  }
}

/**
 * A `fetch()` with `idle_heartbeat` heard nothing from the server (no message, no heartbeat) for
 * two heartbeat intervals: the pull request is lost (the server restarted, the consumer moved, the
 * route went away), so the fetch ends with this error instead of waiting for `expires`.
 *
 * @example
 * ```ts
 * import { HeartbeatsMissedError } from "./errors.ts";
 * console.log(new HeartbeatsMissedError(1000).intervalMs);
 * ```
 */
export class HeartbeatsMissedError extends JetStreamError {
  /** The heartbeat interval requested, in milliseconds. */
  readonly intervalMs: number;
  /** Creates the error. */
  constructor(intervalMs: number, options?: ErrorOptions) {
    super(`idle heartbeats missed (no traffic for 2 × ${intervalMs} ms)`, options);
    this.intervalMs = intervalMs;
  }
}
