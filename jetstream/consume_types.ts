/**
 * Options and notifications of the simplified consumer API (`fetch`, `next`, `consume`).
 * Times are milliseconds here (the client converts them to nanoseconds on the wire).
 *
 * @module
 */
import type { JsMsg } from "./jsmsg.ts";
import type { PullRequest } from "./consumer_types.ts";
import { bool, fn, int, ms, type OptionRules, str } from "../src/option_check.ts";

/** Priority-group fields of a pull (2.11+). */
export interface PullPriorityOptions {
  /** The priority group to pull for (required when the consumer has groups). */
  group?: string;
  /** Overflow: serve only when the consumer has at least this many pending messages. */
  min_pending?: number;
  /** Overflow: serve only when at least this many messages wait for an ack. */
  min_ack_pending?: number;
  /** Prioritized policy: 0–9, lower first (2.12). */
  priority?: number;
}

/** The rules of {@link PullPriorityOptions}. */
const priorityRules: OptionRules = { group: str(), min_pending: int(0), min_ack_pending: int(0), priority: int(0, 9) };

/** Options of `consumer.fetch()`. */
export interface FetchOptions extends PullPriorityOptions {
  /** Most messages (default 100); excludes `max_bytes`. */
  max_messages?: number;
  /** Byte budget; excludes `max_messages`. */
  max_bytes?: number;
  /** Milliseconds the server waits for messages (default 30000, at least 1000). */
  expires?: number;
  /**
   * Milliseconds between server heartbeats while waiting (default expires/2, clamped to
   * 500–30000); two missed in a row end the fetch with `HeartbeatsMissedError`.
   */
  idle_heartbeat?: number;
  /** Never look the consumer up (no `CONSUMER.INFO` requests); not for ordered consumers. */
  bind?: boolean;
}

/**
 * The rules of {@link NextOptions}: `expires` at least 1 s; an `idle_heartbeat` of more than half
 * of it is refused by the server (400), as in nats.js.
 */
export const nextRules: OptionRules = { ...priorityRules, expires: ms(1000), idle_heartbeat: ms(0), bind: bool };

/** The rules of {@link FetchOptions}. */
export const fetchRules: OptionRules = { ...nextRules, max_messages: int(1), max_bytes: int(1) };

/** Options of `consumer.next()`. */
export interface NextOptions extends PullPriorityOptions {
  /** Milliseconds the server waits for a message (default 30000). */
  expires?: number;
  /** Milliseconds between heartbeats (default expires/2, clamped to 500–30000). */
  idle_heartbeat?: number;
  /** Never look the consumer up; not for ordered consumers. */
  bind?: boolean;
}

/** Options of `consumer.consume()`. */
export interface ConsumeOptions extends PullPriorityOptions {
  /** Most messages held (requested plus buffered; default 100); excludes `max_bytes`. */
  max_messages?: number;
  /** Most bytes held; excludes `max_messages`. */
  max_bytes?: number;
  /** Milliseconds each pull request lives on the server (default 30000, at least 1000). */
  expires?: number;
  /** Milliseconds between server heartbeats (default expires/2, clamped to 500–30000). */
  idle_heartbeat?: number;
  /** Pull more once held messages drop to this (default half of max_messages). */
  threshold_messages?: number;
  /** Pull more once held bytes drop to this (default half of max_bytes). */
  threshold_bytes?: number;
  /** Handle messages in this callback instead of iterating (exceptions are reported as status). */
  callback?: (m: JsMsg) => void;
  /**
   * End (with the error) when the consumer is deleted (`409 Consumer Deleted`) or a check after a
   * 503, missed heartbeats or a reconnect finds the stream or the consumer gone; by default those
   * are notified and consuming goes on, so a recreated consumer is picked up again.
   */
  abort_on_missing_resource?: boolean;
  /**
   * Never look the consumer up: after missed heartbeats, a 503 or a reconnect, just pull again
   * (no `consumer_not_found` / `stream_not_found`); not for ordered consumers.
   */
  bind?: boolean;
}

/** The rules of {@link ConsumeOptions}. */
export const consumeRules: OptionRules = {
  ...fetchRules,
  threshold_messages: int(0),
  threshold_bytes: int(0),
  callback: fn,
  abort_on_missing_resource: bool,
};

/**
 * What happened while consuming: read `messages.status()`. The payloads are nats.js's. Nothing
 * here is thrown into the message loop; only terminal conditions end it (with an error).
 *
 * @example
 * ```ts ignore
 * (async () => {
 *   for await (const s of messages.status()) if (s.type === "heartbeats_missed") console.log(s.count);
 * })();
 * ```
 */
export type ConsumerNotification =
  /**
   * `count` heartbeat intervals in a row passed without traffic (reported from 2 on, each
   * interval); `consume()` checks the consumer and pulls again, `fetch()` ends with
   * `HeartbeatsMissedError`.
   */
  | { type: "heartbeats_missed"; count: number }
  /** A pull found nobody to answer (JetStream, the stream or the consumer unavailable). */
  | { type: "no_responders"; code: number }
  /** A check found consumer `name` of `stream` missing, the `count`th time in a row. */
  | { type: "consumer_not_found"; name: string; stream: string; count: number }
  /** The stream `name` does not exist (an ordered consumer adds how many creations failed). */
  | { type: "stream_not_found"; name: string; consumerCreateFails?: number }
  /** The consumer was deleted (`409`); lower-case `description`. */
  | { type: "consumer_deleted"; code: number; description: string }
  /** A pull exceeded a consumer limit (max_waiting, max_batch, max_expires, max_bytes, message size). */
  | { type: "exceeded_limits"; code: number; description: string }
  /** An ordered consumer was recreated under `name`. */
  | { type: "ordered_consumer_recreated"; name: string }
  /** A pull request ended with these messages and bytes of it unfilled. */
  | { type: "discard"; messagesLeft: number; bytesLeft: number }
  /** An ordered consumer drops its consumer `name` to create the next one. */
  | { type: "reset"; name: string }
  /** A pull request was sent with these `options` (as on the wire: times in nanoseconds). */
  | { type: "next"; options: PullRequest }
  /** The server ended pull requests (e.g. expiry, leadership change) with this status (lower-case `description`). */
  | { type: "debug"; code: number; description: string }
  /** A heartbeat arrived, with the consumer's and the stream's last sequences. */
  | { type: "heartbeat"; lastConsumerSequence: number; lastStreamSequence: number }
  /** A flow-control request was answered. */
  | { type: "flow_control" }
  /** This client was pinned (priority groups) with `id`. */
  | { type: "consumer_pinned"; id: string }
  /** The pin was lost (423); the next pull goes without it. */
  | { type: "consumer_unpinned"; code: number; description: string }
  /** The message callback threw (natsw only: consuming goes on). */
  | { type: "callback_error"; error: unknown };

/**
 * The messages of a `consume()` or `fetch()`: iterate them (unless a callback was given).
 *
 * @example
 * ```ts ignore
 * const messages = await consumer.consume({ max_messages: 50 });
 * for await (const m of messages) { m.ack(); if (m.seq === 10) messages.stop(); }
 * ```
 */
export interface ConsumerMessages extends AsyncIterable<JsMsg>, AsyncDisposable {
  /** Notifications (heartbeats missed, recoveries, limits…); ends when the messages end. */
  status(): AsyncIterable<ConsumerNotification>;
  /** Stops pulling; messages already buffered are still handed over, then iteration ends. */
  stop(err?: Error): void;
  /** Stops and discards buffered messages; resolves when done. */
  close(): Promise<void | Error>;
  /** Resolves when the messages end, with the terminal error if any. */
  closed(): Promise<void | Error>;
  /** Messages handed to the application. */
  getProcessed(): number;
  /** Messages received and not yet handed to the application (as nats.js; 0 with a callback). */
  getPending(): number;
  /** Messages received. */
  getReceived(): number;
}
