/**
 * One type per connection status event, by the names nats.js gives them. Each is the member of
 * the {@link Status} union with that `type`, so narrowing on `type` gives the same shape.
 *
 * @example
 * ```ts ignore
 * import type { DisconnectStatus } from "@natsw/natsw";
 * for await (const s of nc.status()) {
 *   if (s.type === "disconnect") logDisconnect(s satisfies DisconnectStatus);
 * }
 * ```
 *
 * @module
 */
import type { Status } from "./status.ts";

/** The transport was lost: `{ type: "disconnect", server, error? }`. */
export type DisconnectStatus = Extract<Status, { type: "disconnect" }>;
/** Connected again: `{ type: "reconnect", server }`. */
export type ReconnectStatus = Extract<Status, { type: "reconnect" }>;
/** About to dial a server again: `{ type: "reconnecting", server, attempt }`. */
export type ReconnectingStatus = Extract<Status, { type: "reconnecting" }>;
/** The cluster announced other servers: `{ type: "update", added, deleted }`. */
export type ClusterUpdateStatus = Extract<Status, { type: "update" }>;
/** The server entered lame duck mode: `{ type: "ldm", server }`. */
export type LDMStatus = Extract<Status, { type: "ldm" }>;
/** An asynchronous error: `{ type: "error", error }`. */
export type ServerErrorStatus = Extract<Status, { type: "error" }>;
/** A keepalive PING was sent: `{ type: "ping", pendingPings }`. */
export type ClientPingStatus = Extract<Status, { type: "ping" }>;
/** Too many PINGs went unanswered: `{ type: "staleConnection" }`. */
export type StaleConnectionStatus = Extract<Status, { type: "staleConnection" }>;
/** `reconnect()` was called: `{ type: "forceReconnect" }`. */
export type ForceReconnectStatus = Extract<Status, { type: "forceReconnect" }>;
/** A subscription is dropping messages: `{ type: "slowConsumer", sub, pending, dropped }`. */
export type SlowConsumerStatus = Extract<Status, { type: "slowConsumer" }>;
/** The connection closed: `{ type: "close", error? }`. */
export type CloseStatus = Extract<Status, { type: "close" }>;

/** The servers a cluster update added and deleted (`host:port`), as in a {@link ClusterUpdateStatus}. */
export interface ServersChanged {
  /** Servers added to the pool. */
  readonly added: string[];
  /** Servers removed from the pool. */
  readonly deleted: string[];
}
