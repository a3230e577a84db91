/**
 * One type per consumer notification, by nats.js's names: each is the member of the
 * `ConsumerNotification` union with that `type` (`never` if natsw does not emit it).
 *
 * @example
 * ```ts ignore
 * import type { HeartbeatsMissed } from "@natsw/natsw/jetstream";
 * for await (const s of messages.status()) {
 *   if (s.type === "heartbeats_missed") alarm(s satisfies HeartbeatsMissed);
 * }
 * ```
 *
 * @module
 */
import type { ConsumerNotification } from "./consume_types.ts";

/** Heartbeats were missed: `{ type: "heartbeats_missed", count }`. */
export type HeartbeatsMissed = Extract<ConsumerNotification, { type: "heartbeats_missed" }>;
/** The consumer was not found: `{ type: "consumer_not_found", … }`. */
export type ConsumerNotFound = Extract<ConsumerNotification, { type: "consumer_not_found" }>;
/** The stream was not found: `{ type: "stream_not_found", … }`. */
export type StreamNotFound = Extract<ConsumerNotification, { type: "stream_not_found" }>;
/** The consumer was deleted: `{ type: "consumer_deleted", code, description }`. */
export type ConsumerDeleted = Extract<ConsumerNotification, { type: "consumer_deleted" }>;
/** A pull found no responders: `{ type: "no_responders", code }`. */
export type NoResponders = Extract<ConsumerNotification, { type: "no_responders" }>;
/** An ordered consumer was recreated: `{ type: "ordered_consumer_recreated", name }`. */
export type OrderedConsumerRecreated = Extract<ConsumerNotification, { type: "ordered_consumer_recreated" }>;
/** A pull exceeded a consumer limit: `{ type: "exceeded_limits", code, description }`. */
export type ExceededLimits = Extract<ConsumerNotification, { type: "exceeded_limits" }>;
/** A server status the client passed over: `{ type: "debug", code, description }`. */
export type Debug = Extract<ConsumerNotification, { type: "debug" }>;
/** A pull ended with messages or bytes unfilled: `{ type: "discard", … }`. */
export type Discard = Extract<ConsumerNotification, { type: "discard" }>;
/** The consumer is being reset: `{ type: "reset", … }`. */
export type Reset = Extract<ConsumerNotification, { type: "reset" }>;
/** A pull request was sent: `{ type: "next", … }`. */
export type Next = Extract<ConsumerNotification, { type: "next" }>;
/** A heartbeat arrived: `{ type: "heartbeat", … }`. */
export type Heartbeat = Extract<ConsumerNotification, { type: "heartbeat" }>;
/** A flow-control request was answered: `{ type: "flow_control" }`. */
export type FlowControl = Extract<ConsumerNotification, { type: "flow_control" }>;
/** This client was pinned: `{ type: "consumer_pinned", id }`. */
export type ConsumerPinned = Extract<ConsumerNotification, { type: "consumer_pinned" }>;
/** The pin was lost: `{ type: "consumer_unpinned", … }`. */
export type ConsumerUnpinned = Extract<ConsumerNotification, { type: "consumer_unpinned" }>;
