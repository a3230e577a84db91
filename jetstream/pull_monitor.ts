/**
 * Watches a consumer's liveness: missed idle heartbeats and connection loss/recovery. As in
 * nats.js, every interval without traffic counts as missed; from the second in a row on, each
 * interval reports the count so far (2, 3, …) until traffic resets it.
 *
 * @module
 */
import type { NatsConnection, Status } from "../src/core.ts";

/** What the monitor reports to. */
export interface MonitorHandlers {
  /** True while traffic is expected (an open request, or a recovery waiting for one). */
  active(): boolean;
  /** Heartbeats were missed (`count` intervals in a row, 2 or more). */
  missed(count: number): void;
  /** The connection dropped. */
  disconnected(): void;
  /** The connection is back. */
  reconnected(): void;
}

/** Heartbeat and connection monitor of one consumer. */
export class PullMonitor {
  readonly #nc: NatsConnection;
  readonly #hb: number;
  readonly #h: MonitorHandlers;
  #last = performance.now();
  #missed = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #status: AsyncIterator<Status> | undefined;
  #disconnected = false;

  /** Creates the monitor; `hb` is the heartbeat interval in ms (0 = no heartbeat checks). */
  constructor(nc: NatsConnection, hb: number, handlers: MonitorHandlers) {
    this.#nc = nc;
    this.#hb = hb;
    this.#h = handlers;
  }

  /** True while the connection is down. */
  get disconnected(): boolean {
    return this.#disconnected;
  }

  /** Records traffic (or a fresh request). */
  touch(): void {
    this.#last = performance.now();
    this.#missed = 0;
  }

  /** Starts the heartbeat timer and the connection watch. */
  start(): void {
    if (this.#hb > 0) this.#timer = setInterval(() => this.#check(), this.#hb);
    const it = this.#nc.status()[Symbol.asyncIterator]();
    this.#status = it;
    (async () => {
      while (true) {
        const r = await it.next();
        if (r.done || this.#status !== it) return;
        const s = r.value;
        if (s.type === "disconnect") {
          this.#disconnected = true;
          this.#h.disconnected();
        } else if (s.type === "reconnect") {
          this.#disconnected = false;
          this.touch();
          this.#h.reconnected();
        }
      }
    })();
  }

  #check(): void {
    if (this.#disconnected || !this.#h.active()) return this.touch();
    if (performance.now() - this.#last > this.#hb) this.#missed++;
    if (this.#missed >= 2) this.#h.missed(this.#missed);
  }

  /** Stops everything. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    const it = this.#status;
    this.#status = undefined;
    void it?.return?.();
  }
}
