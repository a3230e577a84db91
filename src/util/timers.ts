/**
 * Timer promises: {@link delay} (a cancellable sleep) and {@link deadline} (a promise with a time
 * limit), plus the {@link Timeout} shape of a cancellable timer that rejects.
 *
 * @module
 */
import { TimeoutError } from "../errors.ts";

/** A sleep that can end early: `cancel()` resolves it at once. */
export interface Delay extends Promise<void> {
  /** Stops the timer and resolves the promise now. */
  cancel: () => void;
}

/** A timer promise that rejects with a `TimeoutError` unless `cancel()` stops it first. */
export interface Timeout<T> extends Promise<T> {
  /** Stops the timer; the promise then never settles. */
  cancel: () => void;
}

/**
 * Resolves after `ms` milliseconds (default 0), or when `cancel()` is called.
 *
 * @example
 * ```ts
 * import { delay } from "./timers.ts";
 * const d = delay(60_000);
 * d.cancel();
 * await d; // resolved at once
 * ```
 */
export function delay(ms = 0): Delay {
  let cancel!: () => void;
  const p = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    cancel = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  return Object.assign(p, { cancel });
}

/**
 * Settles as `p` does, or rejects with a `TimeoutError` when `p` takes longer than `millis`
 * milliseconds (default 1000). The timer is cleared either way.
 *
 * @example
 * ```ts
 * import { deadline, delay } from "./timers.ts";
 * import { TimeoutError } from "../errors.ts";
 * const slow = delay(5_000);
 * try {
 *   await deadline(slow, 10);
 * } catch (err) {
 *   console.log(err instanceof TimeoutError); // true
 * } finally {
 *   slow.cancel();
 * }
 * ```
 */
export async function deadline<T>(p: Promise<T>, millis = 1000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError("deadline", millis)), millis);
  });
  try {
    return await Promise.race([p, expired]);
  } finally {
    clearTimeout(timer);
  }
}
