/**
 * Option rules shared by the JetStream, KV and object store option tables: stream and consumer
 * names, header sets and per-message TTLs (see `src/option_check.ts` for the generic ones).
 *
 * @module
 */
import { InvalidArgumentError } from "../src/core.ts";
import { describeValue, type OptionRule } from "../src/option_check.ts";
import { goDurationMs, validateName } from "./util.ts";

/**
 * A stream or consumer name (`kind` names it): a non-empty string without `.`, `*`, `>`, `/`, `\`
 * or whitespace.
 *
 * @example
 * ```ts
 * import { nameRule } from "./option_rules.ts";
 * nameRule("stream")("ORDERS", "option 'stream'");
 * ```
 */
export function nameRule(kind: string): OptionRule {
  return (v) => validateName(kind, v as string);
}

/**
 * A header set (what `headers()` makes; its names and values are checked when it is encoded).
 *
 * @example
 * ```ts
 * import { headers } from "../src/core.ts";
 * import { headersRule } from "./option_rules.ts";
 * headersRule(headers(), "option 'headers'");
 * ```
 */
export const headersRule: OptionRule = (v, label) => {
  const h = v as { [Symbol.iterator]?: unknown; get?: unknown };
  if (typeof v !== "object" || v === null || typeof h[Symbol.iterator] !== "function" || typeof h.get !== "function") {
    throw new InvalidArgumentError(`${label} must be headers made by headers(), got ${describeValue(v)}`);
  }
};

function isTtlString(v: unknown): boolean {
  return typeof v === "string" && (v.toLowerCase() === "never" || /^\d+$/.test(v) || (goDurationMs(v) ?? -1) >= 0);
}

/**
 * A per-message TTL: positive milliseconds, or a string as the server reads `Nats-TTL` (`"never"`,
 * a Go duration such as `"90s"`, or whole seconds such as `"3600"`). The server enforces its
 * minimum (1 s).
 *
 * @example
 * ```ts
 * import { ttlRule } from "./option_rules.ts";
 * ttlRule("10s", "option 'ttl'");
 * ttlRule(5000, "option 'ttl'");
 * ```
 */
export const ttlRule: OptionRule = (v, label) => {
  if (typeof v === "number" ? Number.isFinite(v) && v > 0 : isTtlString(v)) return;
  throw new InvalidArgumentError(
    `${label} must be positive milliseconds, "never", a duration ("10s", "1h") or whole seconds, got ${
      describeValue(v)
    }`,
  );
};
