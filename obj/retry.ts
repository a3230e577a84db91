/**
 * Retrying a clean-up (a purge) that failed because the connection or JetStream was away: the next
 * attempt waits for the connection's own `reconnect` status while disconnected, or backs off while
 * connected, and stops when the connection closes.
 *
 * @module
 */
import type { NatsConnection, Status } from "../src/core.ts";
import { JetStreamApiError } from "../jetstream/mod.ts";

/** Bounds of {@link retryAcrossReconnects}. */
export interface RetryOptions {
  /** Attempts at most (default 5). */
  attempts?: number;
  /** Milliseconds before the first retry while connected, doubled each time (default 500). */
  backoff?: number;
}

/**
 * True when `err` may go away by itself: anything but a JetStream API error below 500 (such as a
 * sealed or deleted stream, which no retry can fix).
 *
 * @example
 * ```ts
 * import { JetStreamApiError } from "../jetstream/mod.ts";
 * import { isTransient } from "./retry.ts";
 * console.log(isTransient(new JetStreamApiError({ code: 400, err_code: 10109 }))); // false
 * ```
 */
export function isTransient(err: unknown): boolean {
  return !(err instanceof JetStreamApiError) || err.status >= 500;
}

/**
 * Waits before a retry: for the next `reconnect` (or `close`) status while disconnected, else for
 * `ms` milliseconds or a close. Resolves false when the connection closed.
 */
async function pause(nc: NatsConnection, ms: number): Promise<boolean> {
  // listen first, then look at the state: a reconnect in between is not missed
  const events = nc.status()[Symbol.asyncIterator]();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    if (nc.isClosed()) return false;
    const disconnected = nc.getServer() === "";
    const next = (async () => {
      while (true) {
        const r: IteratorResult<Status> = await events.next();
        if (r.done || r.value.type === "close") return;
        if (r.value.type === "reconnect") return;
      }
    })();
    const waits = [next];
    if (!disconnected) waits.push(new Promise<void>((resolve) => timer = setTimeout(resolve, ms)));
    await Promise.race(waits);
    return !nc.isClosed();
  } finally {
    clearTimeout(timer);
    await events.return?.();
  }
}

/**
 * Runs `work` again after a failure that already happened once: up to `attempts` more times, each
 * after {@link pause}. Stops at the first success, at an error that is not transient (see
 * {@link isTransient}) or when the connection closes. Never rejects; resolves true on success.
 *
 * @example
 * ```ts ignore
 * void retryAcrossReconnects(nc, () => jsm.streams.purge("OBJ_files", { filter: "$O.files.C.abc" }));
 * ```
 */
export async function retryAcrossReconnects(
  nc: NatsConnection,
  work: () => Promise<unknown>,
  opts: RetryOptions = {},
): Promise<boolean> {
  const attempts = opts.attempts ?? 5;
  let wait = opts.backoff ?? 500;
  for (let i = 0; i < attempts; i++) {
    if (!await pause(nc, wait)) return false;
    wait *= 2;
    try {
      await work();
      return true;
    } catch (err) {
      if (!isTransient(err)) return false;
    }
  }
  return false;
}
