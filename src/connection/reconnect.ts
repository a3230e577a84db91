/**
 * The connect and reconnect policy: which server to try next (the pool's round robin), how long to
 * wait before an attempt (what is left of `reconnectTimeWait` since the server's last attempt, plus
 * jitter, or the user's `reconnectDelayHandler`), when to give up on a server
 * (`maxReconnectAttempts` failures in a row) and when to give up for good (no server left, the same
 * authentication error twice in a row). The first connect runs here too, retried only with
 * `waitOnFirstConnect`.
 *
 * @module
 */
import {
  AuthorizationError,
  ConnectionError,
  InvalidArgumentError,
  NatsError,
  UserAuthenticationExpiredError,
} from "../errors.ts";
import { describeValue, MAX_TIMER_MS } from "../option_check.ts";
import type { ResolvedOptions } from "../options.ts";
import type { StatusHub } from "../status.ts";
import { type ServerEntry, type ServerPool, usesTls } from "./servers.ts";

/**
 * The options the policy reads.
 *
 * @example
 * ```ts
 * import { resolveOptions } from "../options.ts";
 * import type { ReconnectOptions } from "./reconnect.ts";
 * const options: ReconnectOptions = resolveOptions({ reconnectTimeWait: 500, maxReconnectAttempts: -1 });
 * ```
 */
export type ReconnectOptions = Pick<
  ResolvedOptions,
  | "waitOnFirstConnect"
  | "maxReconnectAttempts"
  | "reconnectTimeWait"
  | "reconnectJitter"
  | "reconnectJitterTLS"
  | "reconnectDelayHandler"
  | "ignoreAuthErrorAbort"
  | "tls"
>;

/**
 * What the policy needs from the connection.
 *
 * @example
 * ```ts ignore
 * const link: ReconnectLink = {
 *   connect: (server) => dialAndHandshake(server),
 *   lastError: () => lastError,
 *   setLastError: (err) => lastError = err,
 *   close: (err) => conn.close(err),
 * };
 * ```
 */
export interface ReconnectLink {
  /** Dials `server` and completes the handshake; rejects when either fails. */
  connect(server: ServerEntry): Promise<void>;
  /** The error the connection will report when it closes. */
  lastError(): NatsError | undefined;
  /** Replaces that error (`undefined` when an outage starts, then each failed attempt's error). */
  setLastError(err: NatsError | undefined): void;
  /** Closes the connection for good. */
  close(err: NatsError): Promise<void>;
}

/**
 * Runs the first connect and the reconnect loop of one connection.
 *
 * @example
 * ```ts ignore
 * const policy = new Reconnector(options, pool, statusHub, stats, link);
 * await policy.connectFirst(); // rejects (after closing) when no server accepts
 * // … the socket is lost:
 * policy.begin();
 * // … closing:
 * policy.stop();
 * await policy.running;
 * ```
 */
export class Reconnector {
  readonly #options: ReconnectOptions;
  readonly #pool: ServerPool;
  readonly #status: StatusHub;
  readonly #stats: { reconnects: number };
  readonly #link: ReconnectLink;
  #stopped = false;
  #sleep: { timer: ReturnType<typeof setTimeout>; done: () => void } | undefined;
  #running: Promise<void> | undefined;
  #lastAuthError: string | undefined;

  /** Creates the policy; successful reconnects are counted in `stats.reconnects`. */
  constructor(
    options: ReconnectOptions,
    pool: ServerPool,
    status: StatusHub,
    stats: { reconnects: number },
    link: ReconnectLink,
  ) {
    this.#options = options;
    this.#pool = pool;
    this.#status = status;
    this.#stats = stats;
    this.#link = link;
  }

  /** The reconnect loop while it runs. */
  get running(): Promise<void> | undefined {
    return this.#running;
  }

  /**
   * Connects to the first server of the pool that accepts. Without `waitOnFirstConnect` every
   * server is tried once (an authorization error ends it at once); with it, servers are retried
   * with the reconnect delay until one accepts or all are given up on. When none accepts, the
   * connection is closed and the last error thrown.
   */
  async connectFirst(): Promise<void> {
    let lastErr: Error | undefined;
    const tried = new Set<ServerEntry>();
    const retry = this.#options.waitOnFirstConnect;
    while (!this.#stopped) {
      const server = this.#pool.next();
      if (!server) break;
      if (!retry && tried.has(server)) break;
      if (retry && tried.has(server)) {
        await this.#wait(this.#delayFor(server));
        if (this.#stopped) break;
      }
      tried.add(server);
      try {
        await this.#attempt(server);
        return;
      } catch (err) {
        lastErr = err as Error;
        server.reconnects++;
        if (err instanceof AuthorizationError && !retry) break;
        if (retry && this.#exhausted(server)) this.#pool.remove(server);
      }
    }
    const err = lastErr instanceof NatsError
      ? lastErr
      : new ConnectionError(lastErr ? lastErr.message : "no server could be reached", { cause: lastErr });
    await this.#link.close(err);
    throw err;
  }

  /** The socket was lost while connected: starts the reconnect loop. */
  begin(): void {
    this.#running = this.#loop().finally(() => this.#running = undefined);
  }

  /** A handshake with `server` completed: its failure count and the remembered auth error reset. */
  connected(server: ServerEntry): void {
    server.reconnects = 0;
    this.#lastAuthError = undefined;
  }

  /** The connection is closing: no further attempt starts, and a pending delay ends now. */
  stop(): void {
    this.#stopped = true;
    if (this.#sleep) {
      clearTimeout(this.#sleep.timer);
      this.#sleep.done();
    }
  }

  #attempt(server: ServerEntry): Promise<void> {
    server.lastAttempt = Date.now();
    return this.#link.connect(server);
  }

  #exhausted(server: ServerEntry): boolean {
    const max = this.#options.maxReconnectAttempts;
    return max >= 0 && server.reconnects >= max;
  }

  #delayFor(server: ServerEntry): number {
    if (this.#options.reconnectDelayHandler) {
      const ms = this.#options.reconnectDelayHandler();
      if (typeof ms === "number" && ms >= 0 && ms <= MAX_TIMER_MS) return ms;
      // a handler that returns nonsense must not turn the loop into a tight redial
      this.#status.emit({
        type: "error",
        error: new InvalidArgumentError(
          `reconnectDelayHandler returned ${describeValue(ms)}; using reconnectTimeWait instead`,
        ),
      });
      return this.#options.reconnectTimeWait;
    }
    const jitterMax = usesTls(server, this.#options.tls)
      ? this.#options.reconnectJitterTLS
      : this.#options.reconnectJitter;
    const jitter = Math.random() * jitterMax;
    const since = Date.now() - server.lastAttempt;
    return Math.max(0, this.#options.reconnectTimeWait - since) + jitter;
  }

  /** Waits `ms`; `stop()` ends the wait early. */
  #wait(ms: number): Promise<void> {
    if (ms <= 0 || this.#stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.#sleep = undefined;
        resolve();
      };
      this.#sleep = { timer: setTimeout(done, ms), done };
    });
  }

  async #loop(): Promise<void> {
    let attempt = 0;
    this.#link.setLastError(undefined);
    while (!this.#stopped) {
      const server = this.#pool.next();
      if (!server) {
        // not awaited: close() waits for this loop to end
        void this.#link.close(this.#link.lastError() ?? new ConnectionError("no servers left to reconnect to"));
        return;
      }
      await this.#wait(this.#delayFor(server));
      if (this.#stopped) return;
      attempt++;
      this.#status.emit({ type: "reconnecting", server: server.hostport, attempt });
      try {
        await this.#attempt(server);
        this.#stats.reconnects++;
        this.#status.emit({ type: "reconnect", server: server.hostport });
        return;
      } catch (err) {
        server.reconnects++;
        const error = err instanceof NatsError ? err : new ConnectionError(String(err), { cause: err });
        this.#status.emit({ type: "error", error });
        if (error instanceof AuthorizationError || error instanceof UserAuthenticationExpiredError) {
          if (this.#lastAuthError === error.message && !this.#options.ignoreAuthErrorAbort) {
            void this.#link.close(error); // not awaited: close() waits for this loop to end
            return;
          }
          this.#lastAuthError = error.message;
        }
        this.#link.setLastError(error);
        if (this.#exhausted(server)) this.#pool.remove(server);
      }
    }
  }
}
