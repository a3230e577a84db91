/**
 * The subscription table of one connection: sids, the SUB and UNSUB lines, the lines that restore
 * every subscription on a new socket, and the subscription events reported as status (slow
 * consumer, a callback that threw). Delivery does not go through the table: the connection's read
 * path looks targets up in {@link SubscriptionTable.bySid} directly.
 *
 * @module
 */
import { utf8Encoder } from "../encoding.ts";
import { InvalidArgumentError, NatsError, type PermissionViolationError } from "../errors.ts";
import type { ResolvedOptions } from "../options.ts";
import type { StatusHub } from "../status.ts";
import { type SubscriptionHost, SubscriptionImpl, type SubscriptionOptions } from "../subscription.ts";
import { checkQueue, checkSubscribeLine, checkSubscribeSubject } from "../validate.ts";
import type { Writer } from "./writer.ts";

/**
 * What the table needs from the connection.
 *
 * @example
 * ```ts ignore
 * const link: SubscriptionTableLink = { connected: () => isConnected, flush: () => conn.flush() };
 * ```
 */
export interface SubscriptionTableLink {
  /** True while connected: lines are written only then (the whole table is resent on connecting). */
  connected(): boolean;
  /** Round trip to the server (draining a subscription waits for it). */
  flush(): Promise<void>;
}

function subLine(sub: SubscriptionImpl): string {
  return sub.queue ? `SUB ${sub.subject} ${sub.queue} ${sub.sid}\r\n` : `SUB ${sub.subject} ${sub.sid}\r\n`;
}

/**
 * The live subscriptions of a connection and their protocol lines.
 *
 * @example
 * ```ts ignore
 * const table = new SubscriptionTable(options, writer, statusHub, {
 *   connected: () => isConnected,
 *   flush: () => conn.flush(),
 * });
 * const sub = table.add("orders.>", { max: 10 }); // SUB and UNSUB 10 when connected
 * table.bySid.get(sub.sid); // sub
 * writer.attach(socket, utf8Encoder.encode(table.resendLines())); // after a reconnect
 * ```
 */
export class SubscriptionTable implements SubscriptionHost {
  /** Live subscriptions by sid. */
  readonly bySid: Map<number, SubscriptionImpl> = new Map();
  readonly #options: Pick<ResolvedOptions, "maxPendingMsgs" | "maxPendingBytes">;
  readonly #writer: Writer;
  readonly #status: StatusHub;
  readonly #link: SubscriptionTableLink;
  #nextSid = 1;

  /** Creates the empty table; lines go through `writer`, events to `status`. */
  constructor(
    options: Pick<ResolvedOptions, "maxPendingMsgs" | "maxPendingBytes">,
    writer: Writer,
    status: StatusHub,
    link: SubscriptionTableLink,
  ) {
    this.#options = options;
    this.#writer = writer;
    this.#status = status;
    this.#link = link;
  }

  #send(line: string): void {
    if (!this.#link.connected()) return; // resent from the table after reconnecting
    this.#writer.raw(utf8Encoder.encode(line));
  }

  /**
   * Validates (subject, queue group, and a SUB line the server accepts), creates the subscription
   * and sends SUB (and UNSUB for `max`). Nothing is registered or sent when it throws.
   */
  add(subject: string, opts: SubscriptionOptions): SubscriptionImpl {
    checkSubscribeSubject(subject);
    if (opts.queue !== undefined) checkQueue(opts.queue);
    checkSubscribeLine(subject, opts.queue);
    if (opts.max !== undefined && !(opts.max > 0)) throw new InvalidArgumentError("max must be a positive number");
    const sub = new SubscriptionImpl(this, this.#nextSid++, subject, {
      maxPendingMsgs: this.#options.maxPendingMsgs,
      maxPendingBytes: this.#options.maxPendingBytes,
      ...opts,
    });
    this.bySid.set(sub.sid, sub);
    this.#send(subLine(sub) + (sub.max !== undefined ? `UNSUB ${sub.sid} ${sub.max}\r\n` : ""));
    return sub;
  }

  /** Sends UNSUB: ends `sub` now, or lets it end after `max` messages in total. */
  unsubscribe(sub: SubscriptionImpl, max?: number): void {
    if (!this.bySid.has(sub.sid)) return;
    if (max !== undefined && max > sub.received) {
      sub.max = max;
      this.#send(`UNSUB ${sub.sid} ${max}\r\n`);
      return;
    }
    this.bySid.delete(sub.sid);
    this.#send(`UNSUB ${sub.sid}\r\n`);
    sub.close();
  }

  /** Sends UNSUB and ends `sub` once a round trip shows every message in flight has arrived. */
  async drainSubscription(sub: SubscriptionImpl): Promise<void> {
    if (!this.bySid.has(sub.sid)) return;
    this.#send(`UNSUB ${sub.sid}\r\n`);
    try {
      await this.#link.flush();
    } finally {
      this.bySid.delete(sub.sid);
      sub.close();
    }
  }

  /** Reports a slow consumer as a `slowConsumer` status. */
  slowConsumer(sub: SubscriptionImpl): void {
    this.#status.emit({ type: "slowConsumer", sub, pending: sub.pendingMsgs, dropped: sub.dropped });
  }

  /** Reports an exception thrown by a callback as an `error` status. */
  callbackError(sub: SubscriptionImpl, err: unknown): void {
    const error = err instanceof NatsError
      ? err
      : new NatsError(`callback of subscription ${sub.sid} ('${sub.subject}') threw: ${err}`, { cause: err });
    this.#status.emit({ type: "error", error });
  }

  /** SUB for every live subscription (and UNSUB for what is left of a `max`), for a new socket. */
  resendLines(): string {
    let lines = "";
    for (const sub of this.bySid.values()) {
      lines += subLine(sub);
      if (sub.max !== undefined) lines += `UNSUB ${sub.sid} ${Math.max(sub.max - sub.received, 0)}\r\n`;
    }
    return lines;
  }

  /** Ends, with `err`, the subscriptions a subscribe permission violation names. */
  deny(err: PermissionViolationError): void {
    for (const sub of this.bySid.values()) {
      if (sub.subject === err.subject && (sub.queue ?? undefined) === (err.queue ?? undefined)) {
        this.bySid.delete(sub.sid);
        sub.close(err);
      }
    }
  }

  /** Ends every subscription (the connection is closing). */
  closeAll(): void {
    for (const sub of this.bySid.values()) sub.close();
    this.bySid.clear();
  }
}
