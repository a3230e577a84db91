/**
 * Keepalive: while connected, a PING every `pingInterval`; when `maxPingOut` of them are still
 * unanswered at the next tick, the connection is stale and its socket is closed (the loss then
 * takes the usual reconnect path). Any PONG counts as an answer.
 *
 * @module
 */
import type { ResolvedOptions } from "../options.ts";
import type { StatusHub } from "../status.ts";
import type { Writer } from "./writer.ts";

/**
 * What keepalive needs from the connection.
 *
 * @example
 * ```ts ignore
 * const link: KeepaliveLink = { connected: () => isConnected, dropSocket: () => transport.close() };
 * ```
 */
export interface KeepaliveLink {
  /** True while connected (a tick does nothing otherwise). */
  connected(): boolean;
  /** Closes the current socket; the connection notices the loss and reconnects. */
  dropSocket(): void;
}

/**
 * The PING timer of one connection.
 *
 * @example
 * ```ts ignore
 * const keepalive = new Keepalive(options, writer, statusHub, {
 *   connected: () => isConnected,
 *   dropSocket: () => transport.close(),
 * });
 * keepalive.start(); // handshake done
 * keepalive.pong(); // on every PONG
 * keepalive.stop(); // socket lost, or closing
 * ```
 */
export class Keepalive {
  readonly #options: Pick<ResolvedOptions, "pingInterval" | "maxPingOut">;
  readonly #writer: Writer;
  readonly #status: StatusHub;
  readonly #link: KeepaliveLink;
  /** PINGs sent by keepalive and not answered yet. */
  #out = 0;
  #timer: ReturnType<typeof setInterval> | undefined;

  /** Creates the timer (stopped); PINGs go through `writer`, events to `status`. */
  constructor(
    options: Pick<ResolvedOptions, "pingInterval" | "maxPingOut">,
    writer: Writer,
    status: StatusHub,
    link: KeepaliveLink,
  ) {
    this.#options = options;
    this.#writer = writer;
    this.#status = status;
    this.#link = link;
  }

  /** (Re)starts the timer with no PING outstanding. */
  start(): void {
    this.stop();
    this.#out = 0;
    this.#timer = setInterval(() => this.#tick(), this.#options.pingInterval);
  }

  /** Stops the timer. */
  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** A PONG arrived: the server is alive. */
  pong(): void {
    this.#out = 0;
  }

  #tick(): void {
    if (!this.#link.connected()) return;
    if (this.#out >= this.#options.maxPingOut) {
      this.#status.emit({ type: "staleConnection" });
      this.#link.dropSocket();
      return;
    }
    this.#out++;
    this.#status.emit({ type: "ping", pendingPings: this.#out });
    this.#writer.ping(() => {});
  }
}
