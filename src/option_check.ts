/**
 * Checks option objects before anything is dialed or sent: every key must be known, every value of
 * the right type and in range, and an explicit `undefined` means "the default" (it never replaces
 * one). Each API describes its options once as a {@link OptionRules} table.
 *
 * @example
 * ```ts
 * import { checkOptions, int, ms, withDefaults } from "./option_check.ts";
 * const rules = { timeout: ms(), max: int(1) };
 * const opts = checkOptions("request", { timeout: undefined, max: 3 }, rules);
 * const resolved = withDefaults({ timeout: 1000, max: 1 }, opts);
 * if (resolved.timeout !== 1000 || resolved.max !== 3) throw new Error("defaults not kept");
 * ```
 *
 * @module
 */
import { InvalidArgumentError } from "./errors.ts";
import { subjectProblem } from "./validate.ts";

/** The longest delay a timer can take (setTimeout's limit): 2³¹−1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Checks one option value (never `undefined`); throws {@link InvalidArgumentError} with `label` in the message. */
export type OptionRule = (value: unknown, label: string) => void;

/** The rules of an option object: one per known key. */
export type OptionRules = Readonly<Record<string, OptionRule>>;

/** Names a value for an error message without echoing its contents (it may be a secret). */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number") return Number.isNaN(value) ? "NaN" : String(value);
  if (typeof value === "boolean") return String(value);
  if (typeof value === "string") return "a string";
  if (typeof value === "object") return (value as object).constructor?.name ?? "an object";
  return `a ${typeof value}`;
}

function fail(label: string, want: string, value: unknown): never {
  throw new InvalidArgumentError(`${label} must be ${want}, got ${describeValue(value)}`);
}

/** A boolean. */
export const bool: OptionRule = (v, label) => {
  if (typeof v !== "boolean") fail(label, "a boolean", v);
};

/** A string (non-empty unless `allowEmpty`). */
export function str(allowEmpty = false): OptionRule {
  return (v, label) => {
    if (typeof v !== "string") fail(label, "a string", v);
    if (!allowEmpty && v.length === 0) fail(label, "a non-empty string", v);
  };
}

/** A function. */
export const fn: OptionRule = (v, label) => {
  if (typeof v !== "function") fail(label, "a function", v);
};

/** A plain object (not null, not an array). */
export const obj: OptionRule = (v, label) => {
  if (typeof v !== "object" || v === null || Array.isArray(v)) fail(label, "an object", v);
};

/** An integer in `[min, max]`. */
export function int(min = 0, max: number = Number.MAX_SAFE_INTEGER): OptionRule {
  return (v, label) => {
    if (typeof v !== "number" || !Number.isInteger(v)) fail(label, `an integer`, v);
    if (v < min || v > max) fail(label, `between ${min} and ${max}`, v);
  };
}

/** A finite number in `[min, max]`. */
export function num(min = 0, max: number = Number.MAX_VALUE): OptionRule {
  return (v, label) => {
    if (typeof v !== "number" || !Number.isFinite(v)) fail(label, "a finite number", v);
    if (v < min || v > max) fail(label, `between ${min} and ${max}`, v);
  };
}

/** Milliseconds for a timer: a finite number in `[min, 2³¹−1]`. */
export function ms(min = 0): OptionRule {
  return num(min, MAX_TIMER_MS);
}

/** One of the given values. */
export function oneOf(...values: readonly unknown[]): OptionRule {
  return (v, label) => {
    if (!values.includes(v)) fail(label, `one of ${values.map((x) => JSON.stringify(x)).join(", ")}`, v);
  };
}

/** Passes when any of `rules` passes; the error names what each wanted. */
export function either(...rules: readonly OptionRule[]): OptionRule {
  return (v, label) => {
    const wants: string[] = [];
    for (const rule of rules) {
      try {
        rule(v, label);
        return;
      } catch (err) {
        wants.push(String((err as Error).message).replace(`${label} must be `, "").replace(/, got .*$/, ""));
      }
    }
    fail(label, wants.join(" or "), v);
  };
}

/** An array whose every element passes `rule`. */
export function arrayOf(rule: OptionRule): OptionRule {
  return (v, label) => {
    if (!Array.isArray(v)) fail(label, "an array", v);
    v.forEach((e, i) => rule(e, `${label}[${i}]`));
  };
}

/** Accepts anything (for values another layer checks in full). */
export const any: OptionRule = () => {};

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** The known key closest to `key` when it is plausibly a typo of it. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = key.toLowerCase();
  for (const k of known) {
    const d = editDistance(lower, k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/**
 * Checks `opts` against `rules` and returns it typed. `undefined` or no object means no options;
 * keys whose value is `undefined` are skipped (they mean the default). Throws
 * {@link InvalidArgumentError} for a value that is not an object, an unknown key (naming the
 * closest known one) or a value a rule refuses.
 */
export function checkOptions<T extends object>(what: string, opts: T | undefined, rules: OptionRules): T {
  if (opts === undefined) return {} as T;
  if (typeof opts !== "object" || opts === null || Array.isArray(opts)) {
    throw new InvalidArgumentError(`${what} options must be an object, got ${describeValue(opts)}`);
  }
  for (const key in opts) {
    const value = (opts as Record<string, unknown>)[key];
    const rule = Object.hasOwn(rules, key) ? rules[key] : undefined;
    if (rule === undefined) {
      if (value === undefined) continue;
      const near = closestKey(key, Object.keys(rules));
      throw new InvalidArgumentError(`unknown ${what} option '${key}'${near ? ` (did you mean '${near}'?)` : ""}`);
    }
    if (value !== undefined) rule(value, `${what} option '${key}'`);
  }
  return opts;
}

/** `defaults` overlaid with the keys of `opts` that are not `undefined`. */
export function withDefaults<D extends object, O extends object>(defaults: D, opts: O): D & Omit<O, keyof D> {
  const out: Record<string, unknown> = { ...defaults as Record<string, unknown> };
  for (const key in opts) {
    const value = (opts as Record<string, unknown>)[key];
    if (value !== undefined) out[key] = value;
  }
  return out as D & Omit<O, keyof D>;
}

/** An object whose own keys pass `rules` (a nested option object, checked like {@link checkOptions} does). */
export function shape(rules: OptionRules): OptionRule {
  return (v, label) => {
    obj(v, label);
    checkOptions(label, v as object, rules);
  };
}

/** A plain object whose every value passes `rule` (e.g. string metadata). */
export function recordOf(rule: OptionRule): OptionRule {
  return (v, label) => {
    obj(v, label);
    for (const [k, e] of Object.entries(v as object)) rule(e, `${label}['${k}']`);
  };
}

/** A `Date` holding a valid time. */
export const date: OptionRule = (v, label) => {
  if (!(v instanceof Date) || Number.isNaN(v.getTime())) fail(label, "a valid Date", v);
};

/** A subject (wildcards allowed when `wildcards`); the message says what is wrong, not the value. */
export function subject(wildcards: boolean): OptionRule {
  return (v, label) => {
    if (typeof v !== "string") fail(label, "a subject string", v);
    const why = subjectProblem(v, wildcards);
    if (why) throw new InvalidArgumentError(`${label} must be a valid subject: ${why}`);
  };
}

/**
 * A key that another client (nats.js 3.4) has and this one does not implement yet: any value is
 * refused with a message saying so, instead of "unknown option". `hint` (optional) says what to use.
 */
export function unsupported(hint = ""): OptionRule {
  return (_v, label) => {
    throw new InvalidArgumentError(`${label} is a nats.js option natsw does not support yet${hint ? `: ${hint}` : ""}`);
  };
}

/** A value passing `rule`, or an array whose every element passes it (e.g. one server URL or several). */
export function oneOrMany(rule: OptionRule): OptionRule {
  return (v, label) => {
    if (!Array.isArray(v)) return rule(v, label);
    v.forEach((e, i) => rule(e, `${label}[${i}]`));
  };
}

/**
 * A string that may be a secret (password, token, private key): unlike {@link str}, a wrong value
 * is named by its type only, so a number given by mistake is not echoed either.
 */
export function secret(allowEmpty = false): OptionRule {
  return (v, label) => {
    if (typeof v !== "string") {
      const got = typeof v === "object" || typeof v === "function" ? describeValue(v) : `a ${typeof v}`;
      throw new InvalidArgumentError(`${label} must be a string, got ${got}`);
    }
    if (!allowEmpty && v.length === 0) throw new InvalidArgumentError(`${label} must be a non-empty string`);
  };
}
