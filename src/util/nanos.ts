/**
 * Nanosecond durations, as the JetStream API expresses them, and conversions from and to the
 * milliseconds the client's options use.
 *
 * @module
 */

/** A duration in nanoseconds (use {@link nanos} to convert milliseconds). */
export type Nanos = number;

/**
 * Converts milliseconds to nanoseconds, rounded to a whole number (the server parses integers).
 *
 * @example
 * ```ts
 * import { nanos } from "./nanos.ts";
 * console.log(nanos(1500)); // 1500000000
 * ```
 */
export function nanos(millis: number): Nanos {
  return Math.round(millis * 1_000_000);
}

/**
 * Converts nanoseconds to whole milliseconds (rounded down).
 *
 * @example
 * ```ts
 * import { millis } from "./nanos.ts";
 * console.log(millis(2_500_000)); // 2
 * ```
 */
export function millis(ns: Nanos): number {
  return Math.floor(ns / 1_000_000);
}
