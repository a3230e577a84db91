/**
 * The names of the headers JetStream reads and writes, grouped as nats.js groups them.
 *
 * @example
 * ```ts
 * import { PubHeaders } from "./headers.ts";
 * import { headers } from "../src/core.ts";
 * const h = headers();
 * h.set(PubHeaders.MsgIdHdr, "order-1");
 * console.log(h.get("Nats-Msg-Id")); // "order-1"
 * ```
 *
 * @module
 */

/** Headers a publish sets for the stream to check or apply. */
export const PubHeaders = {
  /** Message id, for deduplication. */
  MsgIdHdr: "Nats-Msg-Id",
  /** The stream that must store the message. */
  ExpectedStreamHdr: "Nats-Expected-Stream",
  /** The stream's last sequence must be this. */
  ExpectedLastSeqHdr: "Nats-Expected-Last-Sequence",
  /** The stream's last message id must be this. */
  ExpectedLastMsgIdHdr: "Nats-Expected-Last-Msg-Id",
  /** The last sequence of the message's subject must be this. */
  ExpectedLastSubjectSequenceHdr: "Nats-Expected-Last-Subject-Sequence",
  /** The subject (filter) `ExpectedLastSubjectSequenceHdr` applies to. */
  ExpectedLastSubjectSequenceSubjectHdr: "Nats-Expected-Last-Subject-Sequence-Subject",
  /** Per-message TTL (streams with `allow_msg_ttl`). */
  MessageTTL: "Nats-TTL",
  /** A message schedule (streams with `allow_msg_schedules`). */
  Schedule: "Nats-Schedule",
  /** The subject a scheduled message is published to. */
  ScheduleTarget: "Nats-Schedule-Target",
  /** The subject whose last message a schedule republishes. */
  ScheduleSource: "Nats-Schedule-Source",
  /** The TTL of the messages a schedule produces. */
  ScheduleTTL: "Nats-Schedule-TTL",
  /** The time zone of a cron schedule. */
  ScheduleTimeZone: "Nats-Schedule-Time-Zone",
  /** The rollup of the messages a schedule produces. */
  ScheduleRollup: "Nats-Schedule-Rollup",
  /** The schedule that produced a message; with `ScheduleNext: "purge"`, cancels it. */
  Scheduler: "Nats-Scheduler",
  /** The next run of a cron schedule, or `purge`. */
  ScheduleNext: "Nats-Schedule-Next",
} as const;
/** One of the {@link PubHeaders} names. */
export type PubHeaders = typeof PubHeaders[keyof typeof PubHeaders];

/** Headers on messages from streams and consumers. */
export const JsHeaders = {
  /** The source stream and sequence of a sourced message (`stream seq`). */
  StreamSourceHdr: "Nats-Stream-Source",
  /** The last consumer sequence, on heartbeats. */
  LastConsumerSeqHdr: "Nats-Last-Consumer",
  /** The last stream sequence, on heartbeats. */
  LastStreamSeqHdr: "Nats-Last-Stream",
  /** On heartbeats of a stalled push consumer: the subject that unstalls it. */
  ConsumerStalledHdr: "Nats-Consumer-Stalled",
  /** The payload size, on messages of a `headers_only` consumer. */
  MessageSizeHdr: "Nats-Msg-Size",
  /** Rollup request (`sub` or `all`). */
  RollupHdr: "Nats-Rollup",
  /** Rollup of the message's subject. */
  RollupValueSubject: "sub",
  /** Rollup of the whole stream. */
  RollupValueAll: "all",
  /** Messages of a pull request left unfilled, on its end status. */
  PendingMessagesHdr: "Nats-Pending-Messages",
  /** Bytes of a pull request left unfilled, on its end status. */
  PendingBytesHdr: "Nats-Pending-Bytes",
  /** The JetStream API level a request needs. */
  RequiredApiLevel: "Nats-Required-Api-Level",
} as const;
/** One of the {@link JsHeaders} values. */
export type JsHeaders = typeof JsHeaders[keyof typeof JsHeaders];

/** Headers of a direct-get answer. */
export const DirectMsgHeaders = {
  /** The stream. */
  Stream: "Nats-Stream",
  /** The message's sequence. */
  Sequence: "Nats-Sequence",
  /** When the message was stored. */
  TimeStamp: "Nats-Time-Stamp",
  /** The message's subject. */
  Subject: "Nats-Subject",
  /** The stream's last sequence, on batch answers. */
  LastSequence: "Nats-Last-Sequence",
  /** Messages left to send, on batch answers. */
  NumPending: "Nats-Num-Pending",
} as const;
/** One of the {@link DirectMsgHeaders} names. */
export type DirectMsgHeaders = typeof DirectMsgHeaders[keyof typeof DirectMsgHeaders];

/** Headers of a message a stream republishes. */
export const RepublishHeaders = {
  /** The source stream. */
  Stream: "Nats-Stream",
  /** The original subject. */
  Subject: "Nats-Subject",
  /** The message's sequence in the stream. */
  Sequence: "Nats-Sequence",
  /** The sequence of the previous message of the same subject (0 if none). */
  LastSequence: "Nats-Last-Sequence",
  /** The payload size (when the republish is `headers_only`). */
  Size: "Nats-Msg-Size",
} as const;
/** One of the {@link RepublishHeaders} names. */
export type RepublishHeaders = typeof RepublishHeaders[keyof typeof RepublishHeaders];
