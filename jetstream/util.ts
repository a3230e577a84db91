/**
 * Small JetStream helpers: durations (the wire uses nanoseconds), name checks, timestamps.
 *
 * @module
 */
import { InvalidArgumentError } from "../src/core.ts";

/** A duration in nanoseconds, as JetStream sends and expects. */
export type Nanos = number;

/**
 * Milliseconds → nanoseconds (JetStream durations are nanoseconds on the wire).
 *
 * @example
 * ```ts
 * import { nanos } from "./util.ts";
 * console.log(nanos(1500)); // 1500000000
 * ```
 */
export function nanos(millis: number): Nanos {
  return Math.round(millis * 1_000_000);
}

/**
 * Nanoseconds → milliseconds.
 *
 * @example
 * ```ts
 * import { millis } from "./util.ts";
 * console.log(millis(2_000_000_000)); // 2000
 * ```
 */
export function millis(ns: Nanos): number {
  return Math.floor(ns / 1_000_000);
}

/**
 * Throws `InvalidArgumentError` when `name` is not a valid stream or consumer name.
 *
 * @example
 * ```ts
 * import { validateName } from "./util.ts";
 * validateName("stream", "ORDERS");
 * ```
 */
export function validateName(kind: string, name: string | undefined): void {
  if (!name) throw new InvalidArgumentError(`${kind} name is required`);
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    if (
      c === "." || c === "*" || c === ">" || c === " " || c === "\t" || c === "\r" || c === "\n" || c === "/" ||
      c === "\\"
    ) {
      throw new InvalidArgumentError(`invalid ${kind} name '${name}': '${c}' is not allowed`);
    }
  }
}

/**
 * Parses an RFC 3339 timestamp with up to nanosecond precision into nanoseconds since the epoch.
 *
 * @example
 * ```ts
 * import { parseNanos } from "./util.ts";
 * console.log(parseNanos("2024-01-02T03:04:05.123456789Z")); // 1704164645123456789n
 * ```
 */
export function parseNanos(ts: string): bigint {
  const m = /^(.*?T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(ts);
  if (!m) {
    const ms = Date.parse(ts);
    return Number.isNaN(ms) ? 0n : BigInt(ms) * 1_000_000n;
  }
  const secondsMs = Date.parse(`${m[1]}${m[3]}`);
  const frac = (m[2] ?? "").padEnd(9, "0").slice(0, 9);
  return BigInt(secondsMs) * 1_000_000n + BigInt(frac);
}

/** Resolves after `ms` unless `signal` aborts first (then resolves at once). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener("abort", done);
  });
}

/** Milliseconds to wait before retry `attempt` (0-based): doubles from `base` up to `max`. */
export function backoff(attempt: number, base = 250, max = 5000): number {
  return Math.min(max, base * 2 ** attempt);
}
