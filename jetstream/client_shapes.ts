/**
 * nats.js's names for the parts of natsw's consumer and lifecycle surfaces, and the two
 * functions that tell pull consumers from push consumers.
 *
 * @module
 */
import type { Consumer } from "./consumer.ts";
import type { PushConsumer } from "./push.ts";
import type { ConsumerMessages } from "./consume_types.ts";

/** Asks a consumer what kind it is (nats.js puts these methods on its consumers). */
export interface ConsumerKind {
  /** True for a pull consumer. */
  isPullConsumer(): boolean;
  /** True for a push consumer. */
  isPushConsumer(): boolean;
}

/** The reading part of a pull {@link Consumer}. */
export type ExportedConsumer = Pick<Consumer, "next" | "fetch" | "consume">;

/** A consumer whose info can be read. */
export type InfoableConsumer = Pick<Consumer, "info">;

/** A consumer that can be deleted. */
export type DeleteableConsumer = Pick<Consumer, "delete">;

/** Something that closes and tells when it has closed, as {@link ConsumerMessages}. */
export type Close = Pick<ConsumerMessages, "close" | "closed">;

/** Something with a promise that resolves once it is closed. */
export type Closed = {
  /** Resolves when closed. */
  closed: Promise<void>;
};

/** A resource on the server that can be destroyed. */
export type Destroyable = {
  /** Destroys it. */
  destroy(): Promise<void>;
};

/**
 * True when `v` is a pull consumer (it can `fetch()` and `next()`), as from `js.consumers.get()`.
 *
 * @example
 * ```ts ignore
 * const c = await js.consumers.get("ORDERS", "worker");
 * if (isPullConsumer(c)) await c.next();
 * ```
 */
export function isPullConsumer(v: PushConsumer | Consumer): v is Consumer {
  return typeof (v as Partial<Consumer>).fetch === "function" && typeof (v as Partial<Consumer>).next === "function";
}

/**
 * True when `v` is a push consumer (it only consumes what the server pushes), as from
 * `js.consumers.getPushConsumer()`.
 *
 * @example
 * ```ts ignore
 * const c = await js.consumers.getPushConsumer("ORDERS", "pusher");
 * if (isPushConsumer(c)) for await (const m of await c.consume()) m.ack();
 * ```
 */
export function isPushConsumer(v: PushConsumer | Consumer): v is PushConsumer {
  return !isPullConsumer(v);
}
