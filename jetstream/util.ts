/**
 * Small JetStream helpers: durations (the wire uses nanoseconds), name checks, timestamps.
 *
 * @module
 */
import { InvalidArgumentError } from "../src/core.ts";
import { describeValue } from "../src/option_check.ts";

export { millis, type Nanos, nanos } from "../src/util/nanos.ts";

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
  if (name === undefined || name === "") throw new InvalidArgumentError(`${kind} name is required`);
  if (typeof name !== "string") {
    throw new InvalidArgumentError(`${kind} name must be a string, got ${describeValue(name)}`);
  }
  const bad = /[.*>/\\\s]/.exec(name);
  if (bad) {
    const c = /\s/.test(bad[0]) ? "whitespace" : `'${bad[0]}'`;
    throw new InvalidArgumentError(`invalid ${kind} name '${name}': ${c} is not allowed`);
  }
}

const DURATION_PART = /^(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;
const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  "µs": 1e-3,
  "μs": 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * Milliseconds of a Go duration string (`"1h30m"`, `"250ms"`, `"-2s"`, `"0"`), or undefined when it
 * is not one.
 *
 * @example
 * ```ts
 * import { goDurationMs } from "./util.ts";
 * console.log(goDurationMs("1m30s"), goDurationMs("soon")); // 90000 undefined
 * ```
 */
export function goDurationMs(text: string): number | undefined {
  let rest = text;
  let sign = 1;
  if (rest[0] === "-" || rest[0] === "+") {
    sign = rest[0] === "-" ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === "0") return 0;
  if (rest === "") return undefined;
  let total = 0;
  while (rest) {
    const m = DURATION_PART.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * UNIT_MS[m[2]];
    rest = rest.slice(m[0].length);
  }
  return sign * total;
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
