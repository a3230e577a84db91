/**
 * Watches a consumer's liveness: missed idle heartbeats (2 intervals without traffic while a
 * request is open) and connection loss/recovery.
 *
 * @module
 */
import type { NatsConnection, Status } from "../src/core.ts";

/** What the monitor reports to. */
export interface MonitorHandlers {
  /** True while the server owes traffic (an open request). */
  active(): boolean;
  /** Heartbeats were missed (`count` in a row). */
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
  #count = 0;
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
    this.#count = 0;
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
    if (this.#disconnected || !this.#h.active()) {
      this.#last = performance.now();
      return;
    }
    if (performance.now() - this.#last > 2 * this.#hb) {
      this.#last = performance.now();
      this.#h.missed(++this.#count);
    }
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
