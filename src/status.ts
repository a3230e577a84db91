/**
 * Connection status events, delivered to every `nc.status()` iterator.
 *
 * @module
 */
import type { NatsError } from "./errors.ts";
import type { Subscription } from "./subscription.ts";
import { AsyncQueue } from "./queue.ts";

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

const MAX_QUEUED = 1024;

/** Fans events out to listeners; each listener's queue is bounded (oldest dropped). */
export class StatusHub {
  #listeners = new Set<AsyncQueue<Status>>();
  #ended = false;

  /** A new listener; it ends when the hub closes. */
  listen(): AsyncIterable<Status> {
    const q = new AsyncQueue<Status>();
    if (this.#ended) q.end();
    else {
      this.#listeners.add(q);
      q.onReturn = () => {
        this.#listeners.delete(q);
        q.end();
        q.discard();
      };
    }
    return q;
  }

  /** Sends an event to every listener. */
  emit(status: Status): void {
    for (const q of this.#listeners) {
      if (q.length >= MAX_QUEUED) q.discard();
      q.push(status);
    }
  }

  /** Ends every listener. */
  end(): void {
    this.#ended = true;
    for (const q of this.#listeners) q.end();
    this.#listeners.clear();
  }
}
