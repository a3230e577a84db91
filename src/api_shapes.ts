/**
 * nats.js's names for shapes that natsw's objects have: an iterator with counters, something
 * that publishes, a subscription's options and callback.
 *
 * @module
 */
import type { MsgHdrs } from "./headers.ts";
import type { Payload } from "./encoding.ts";

/**
 * An async iterator of `T` that can be stopped and counts what went through it (as a JetStream
 * `consume()` or `fetch()` returns).
 *
 * @example
 * ```ts ignore
 * import type { QueuedIterator } from "@natsw/natsw";
 * import type { JsMsg } from "@natsw/natsw/jetstream";
 * const messages: QueuedIterator<JsMsg> = await consumer.consume();
 * ```
 */
export interface QueuedIterator<T> {
  /** The iterator. */
  [Symbol.asyncIterator](): AsyncIterator<T>;
  /** Stops the iteration (with `err` as its end, if given). */
  stop(err?: Error): void;
  /** Values handed to the application. */
  getProcessed(): number;
  /** Values waiting (see each implementation for what it counts). */
  getPending(): number;
  /** Values received. */
  getReceived(): number;
}

/**
 * Something that publishes messages, as a connection does.
 *
 * @example
 * ```ts ignore
 * import type { Publisher } from "@natsw/natsw";
 * const out: Publisher = nc;
 * out.publish("log", "started");
 * ```
 */
export interface Publisher {
  /** Publishes `data` to `subject`. */
  publish(subject: string, data: Payload, options?: { reply?: string; headers?: MsgHdrs }): void;
}

/**
 * A subscription callback: called with each message, or with the error that ended the
 * subscription (and an empty message).
 *
 * @example
 * ```ts
 * import type { MsgCallback } from "./api_shapes.ts";
 * import type { Msg } from "./msg.ts";
 * const log: MsgCallback<Msg> = (err, m) => console.log(err ? err.message : m.subject);
 * console.log(typeof log);
 * ```
 */
export type MsgCallback<T> = (err: Error | null, msg: T) => void | Promise<never>;

/**
 * The options nats.js's subscriptions of `T` take: a queue group, an auto-unsubscribe count, a
 * first-message timeout and a callback. `SubOpts<Msg>` is accepted by `nc.subscribe()` (whose
 * `SubscriptionOptions` add natsw's pending limits); nats.js's experimental `slow` is not part of it.
 *
 * @example
 * ```ts ignore
 * import type { Msg, SubOpts } from "@natsw/natsw";
 * const opts: SubOpts<Msg> = { queue: "workers", max: 10 };
 * nc.subscribe("jobs", opts);
 * ```
 */
export interface SubOpts<T> {
  /** Queue group: each message goes to one member of the group. */
  queue?: string;
  /** Unsubscribe automatically after this many messages. */
  max?: number;
  /** Milliseconds to wait for the first message before the subscription ends with a timeout. */
  timeout?: number;
  /** Handles messages instead of the iterator. */
  callback?: MsgCallback<T>;
}
