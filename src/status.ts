/**
 * Connection status events, delivered to every `nc.status()` iterator.
 *
 * @module
 */
import type { NatsError } from "./errors.ts";
import type { Subscription } from "./subscription.ts";
import { Broadcaster } from "./queue.ts";

/**
 * One connection event. Switch on `type`.
 *
 * @example
 * ```ts ignore
 * for await (const s of nc.status()) {
 *   if (s.type === "reconnect") console.log("back on", s.server);
 * }
 * ```
 */
export type Status =
  /** The transport was lost. */
  | { type: "disconnect"; server: string; error?: Error }
  /** About to dial `server` (attempt counts from 1 for this outage). */
  | { type: "reconnecting"; server: string; attempt: number }
  /** Connected again. */
  | { type: "reconnect"; server: string }
  /** The cluster announced a different set of servers. */
  | { type: "update"; added: string[]; deleted: string[] }
  /** The server entered lame duck mode and will disconnect its clients. */
  | { type: "ldm"; server: string }
  /** An asynchronous error: a server `-ERR`, a callback that threw, a dial failure. */
  | { type: "error"; error: NatsError }
  /** A keepalive PING was sent; `pendingPings` are unanswered. */
  | { type: "ping"; pendingPings: number }
  /** Too many PINGs went unanswered; the client reconnects. */
  | { type: "staleConnection" }
  /** `reconnect()` was called. */
  | { type: "forceReconnect" }
  /** A subscription's queue is full and messages are being dropped. */
  | { type: "slowConsumer"; sub: Subscription; pending: number; dropped: number }
  /** The connection started draining. */
  | { type: "draining" }
  /** The connection closed. */
  | { type: "close"; error?: Error };

/** The status fan-out of one connection (each listener keeps the latest 1024 events). */
export class StatusHub extends Broadcaster<Status> {}
