/**
 * Retry intervals: {@link backoff} picks the wait for an attempt from a policy and jitters it.
 *
 * @module
 */

/** Computes how long to wait before an attempt. */
export interface Backoff {
  /** Milliseconds to wait before attempt `attempt` (0 for the first). */
  backoff(attempt: number): number;
}

/** nats.js's default policy, in milliseconds. */
const DEFAULT_POLICY = [0, 250, 250, 500, 500, 3000, 5000];

/**
 * A {@link Backoff} over `policy` (milliseconds per attempt; attempts past the end use the last
 * entry; default `[0, 250, 250, 500, 500, 3000, 5000]`). Each wait is jittered to a whole number
 * between half and one and a half times the policy value, as nats.js does.
 *
 * @example
 * ```ts
 * import { backoff } from "./backoff.ts";
 * const b = backoff([100, 1000]);
 * const wait = b.backoff(5); // between 500 and 1500
 * console.log(wait >= 500 && wait < 1500);
 * ```
 */
export function backoff(policy: number[] = DEFAULT_POLICY): Backoff {
  const steps = Array.isArray(policy) && policy.length > 0 ? [...policy] : DEFAULT_POLICY;
  const last = steps.length - 1;
  return {
    backoff(attempt: number): number {
      const n = steps[attempt > last ? last : Math.max(0, attempt)];
      return n === 0 ? 0 : Math.floor(n / 2 + Math.random() * n);
    },
  };
}
