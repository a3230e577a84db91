/**
 * JetStream for natsw: stream and consumer management, publishing with PubAcks, and the
 * simplified consumer API (fetch / next / consume, ordered consumers; named, bound and ordered
 * push consumers), wire-compatible with nats-server 2.9 and later. Names follow the official `@nats-io/jetstream` package.
 *
 * @example
 * ```ts ignore
 * import { connect } from "@natsw/natsw";
 * import { AckPolicy, jetstream, jetstreamManager } from "@natsw/natsw/jetstream";
 *
 * const nc = await connect({ servers: "127.0.0.1:4222" });
 * const jsm = await jetstreamManager(nc);
 * await jsm.streams.add({ name: "ORDERS", subjects: ["orders.>"] });
 * await jsm.consumers.add("ORDERS", { durable_name: "worker", ack_policy: AckPolicy.Explicit });
 *
 * const js = jetstream(nc);
 * await js.publish("orders.1", "hello");
 * const c = await js.consumers.get("ORDERS", "worker");
 * const messages = await c.consume({ max_messages: 100 });
 * for await (const m of messages) {
 *   console.log(m.seq, m.string());
 *   m.ack();
 * }
 * ```
 *
 * @module
 */
export { Consumers, jetstream, JetStreamClient } from "./client.ts";
export { JetStreamManager, jetstreamManager } from "./manager.ts";
export {
  Advisories,
  ADVISORIES_MAX_PENDING,
  type AdvisoriesOptions,
  type Advisory,
  AdvisoryKind,
} from "./advisories.ts";
export { Stream, Streams } from "./stream.ts";
export { type ApiCallOptions, apiPrefix, type JetStreamOptions, JsApi } from "./api.ts";
export type {
  AccountLimits,
  ApiPaged,
  ApiResponse,
  JetStreamAccountStats,
  JetStreamUsage,
  PubAck,
} from "./api_types.ts";
export {
  type ApiError,
  FeatureNotSupportedError,
  HeartbeatsMissedError,
  JetStreamApiCodes,
  JetStreamApiError,
  JetStreamError,
  JetStreamNotEnabledError,
  JetStreamStatusError,
  type JsApiCode,
  JsApiCodes,
  NotJetStreamMessageError,
} from "./errors.ts";
export { Feature, type FeatureEntry, parseSemVer, type SemVer, ServerFeatures } from "./features.ts";
export { Lister } from "./lister.ts";
export { type MsgRequest, StreamAPI } from "./streams.ts";
export { ConsumerAPI } from "./consumers_api.ts";
export {
  type DirectBatchOptions,
  type DirectLastForOptions,
  type DirectMsgRequest,
  DirectStreamAPI,
} from "./direct.ts";
export type { StoredMsg } from "./stored_msg.ts";
export {
  Batch,
  type BatchAck,
  type BatchAddAckOptions,
  type BatchCommitOptions,
  type BatchExpectations,
  BatchLimits,
  type BatchMessage,
  type BatchMessageOptions,
  publishBatch,
  type PublishBatchOptions,
  startBatch,
  type StartBatchOptions,
} from "./batch.ts";
export { FastIngest, type FastIngestSettings, startFastIngest } from "./fast_ingest.ts";
export {
  type FastIngestGap,
  FastIngestGapError,
  type FastIngestLastOptions,
  FastIngestLimits,
  FastIngestMessageError,
  type FastIngestMessageOptions,
  type FastIngestOptions,
  type FastIngestProgress,
  type StartFastIngestOptions,
} from "./fast_ingest_types.ts";
export { type JetStreamPublishOptions, type PublishExpectations } from "./publish.ts";
export {
  type PredefinedSchedule,
  type ScheduleCancellation,
  scheduleHeaderValue,
  type ScheduleOptions,
  type ScheduleSpec,
} from "./schedule.ts";
export { type DeliveryInfo, type JsMsg, type JsMsgNextOptions, parseAckSubject } from "./jsmsg.ts";
export type {
  ConsumeOptions,
  ConsumerMessages,
  ConsumerNotification,
  FetchOptions,
  NextOptions,
  PullPriorityOptions,
} from "./consume_types.ts";
export { type Consumer, PullConsumer } from "./consumer.ts";
export { OrderedConsumer, type OrderedConsumerOptions } from "./ordered.ts";
export { type BoundPushConsumerOptions, type PushConsumer, type PushConsumerOptions } from "./push.ts";
export { OrderedPushConsumer, type OrderedPushConsumerOptions } from "./ordered_push.ts";
export {
  AckPolicy,
  type ConsumerConfig,
  type ConsumerInfo,
  type ConsumerPauseResponse,
  type ConsumerResetResponse,
  DeliverPolicy,
  PriorityPolicy,
  type PullRequest,
  ReplayPolicy,
  type SequenceInfo,
} from "./consumer_types.ts";
export {
  type ClusterInfo,
  DiscardPolicy,
  type ExternalStream,
  type PeerInfo,
  type Placement,
  type PurgeOpts,
  type PurgeResponse,
  type Republish,
  RetentionPolicy,
  StorageType,
  StoreCompression,
  type StreamAlternate,
  type StreamConfig,
  type StreamConsumerLimits,
  type StreamInfo,
  type StreamInfoRequestOptions,
  type StreamSource,
  type StreamSourceInfo,
  type StreamState,
  type SubjectTransformConfig,
} from "./stream_types.ts";
export { millis, type Nanos, nanos } from "./util.ts";
export { DirectMsgHeaders, JsHeaders, PubHeaders, RepublishHeaders } from "./headers.ts";
export { PersistMode } from "./persist_mode.ts";
export type { BatchMessageOptionsWithReply, DirectLastFor, StreamExpectations } from "./renamed_types.ts";
export {
  type Close,
  type Closed,
  type ConsumerKind,
  type DeleteableConsumer,
  type Destroyable,
  type ExportedConsumer,
  type InfoableConsumer,
  isPullConsumer,
  isPushConsumer,
} from "./client_shapes.ts";
export type {
  ConsumerDeleted,
  ConsumerNotFound,
  ConsumerPinned,
  ConsumerUnpinned,
  Debug,
  Discard,
  ExceededLimits,
  FlowControl,
  Heartbeat,
  HeartbeatsMissed,
  Next,
  NoResponders,
  OrderedConsumerRecreated,
  Reset,
  StreamNotFound,
} from "./notification_types.ts";
export type {
  AbortOnMissingResource,
  Bind,
  ConsumeBytes,
  ConsumeCallback,
  ConsumeMessages,
  ConsumerCallbackFn,
  Expires,
  FetchBytes,
  FetchMessages,
  IdleHeartbeat,
  MaxBytes,
  MaxMessages,
  OverflowMinAckPending,
  OverflowMinPending,
  OverflowMinPendingAndMinAck,
  OverflowOptions,
  PrioritizedOptions,
  PullOptions,
  ThresholdBytes,
  ThresholdMessages,
} from "./pull_option_types.ts";
export type {
  BatchCallback,
  CompletionResult,
  DirectBatchLimits,
  DirectBatchStartSeq,
  DirectBatchStartTime,
  LastForMsgRequest,
  MsgDeleteRequest,
  NextMsgRequest,
  SeqMsgRequest,
  StartTimeMsgRequest,
} from "./message_requests.ts";
export type {
  ApiPagedRequest,
  ConsumerCreateOptions,
  ConsumerUpdateConfig,
  JetStreamApiStats,
  JetStreamManagerOptions,
  JetStreamUsageAccountLimits,
  LostStreamData,
  PriorityGroups,
  PurgeBySeq,
  PurgeBySubject,
  PurgeTrimOpts,
  StreamConsumerSource,
  StreamNames,
  StreamUpdateConfig,
  Success,
} from "./api_shapes.ts";
