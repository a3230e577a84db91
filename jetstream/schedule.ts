/**
 * Message schedules (ADR-51): a message published with a schedule is held by the stream, which
 * publishes its body (or the last message of a source subject) to a target subject in the same
 * stream at a time (`@at`, nats-server 2.12) or repeatedly (`@every`, cron, predefined, 2.14).
 * This module turns the publish options into the `Nats-Schedule*` headers, checking locally what
 * is cheap to check.
 *
 * @module
 */
import { InvalidArgumentError, type MsgHdrs } from "../src/core.ts";
import { subjectProblem } from "../src/validate.ts";
import { Feature, type ServerFeatures } from "./features.ts";
import { goDurationMs } from "./util.ts";
import { any, type OptionRules, str } from "../src/option_check.ts";
import { ttlRule } from "./option_rules.ts";

/**
 * A named cron schedule (nats-server 2.14+): `@yearly`/`@annually` (midnight, 1 January),
 * `@monthly` (midnight, first of the month), `@weekly` (midnight between Saturday and Sunday),
 * `@daily`/`@midnight`, `@hourly`. Times are UTC unless a `timezone` is given.
 *
 * @example
 * ```ts ignore
 * const when: PredefinedSchedule = "@hourly";
 * await js.publish("schedules.report", "run", { schedule: { specification: { predefined: when }, target: "jobs.report" } });
 * ```
 */
export type PredefinedSchedule = "@yearly" | "@annually" | "@monthly" | "@weekly" | "@daily" | "@midnight" | "@hourly";

/**
 * When a schedule fires, in typed form.
 * - `at`: once, at that instant (a `Date`, or an RFC 3339 string); nats-server 2.12+.
 * - `every`: repeatedly, every Go duration (`"30s"`, `"1h30m"`, at least `1s`); 2.14+.
 * - `cron`: a 6-field cron expression, `sec min hour day-of-month month day-of-week`; 2.14+.
 * - `predefined`: a {@link PredefinedSchedule}; 2.14+.
 *
 * @example
 * ```ts
 * import type { ScheduleSpec } from "./schedule.ts";
 * const specs: ScheduleSpec[] = [
 *   { at: new Date(Date.now() + 60_000) },
 *   { every: "5m" },
 *   { cron: "0 30 8 * * mon-fri" },
 *   { predefined: "@daily" },
 * ];
 * console.log(specs.length);
 * ```
 */
export type ScheduleSpec =
  | { at: Date | string }
  | { every: string }
  | { cron: string }
  | { predefined: PredefinedSchedule };

/**
 * The `schedule` option of `js.publish()`: the published message becomes the schedule, stored on
 * its own subject (one schedule per subject; publishing again replaces it). The stream needs
 * `allow_msg_schedules: true` and must also store the `target` (and `source`) subjects.
 *
 * @example
 * ```ts ignore
 * await js.publish("schedules.orders.42", JSON.stringify({ id: 42 }), {
 *   schedule: { specification: new Date(Date.now() + 5_000), target: "orders.due", ttl: "5m" },
 * });
 * ```
 */
export interface ScheduleOptions {
  /**
   * When to fire: a {@link ScheduleSpec}, a `Date` (sent as `@at <RFC 3339 UTC>`), or the raw
   * `Nats-Schedule` value (`"@at 2030-01-01T00:00:00Z"`, `"@every 10s"`, `"0 0 5 * * *"`,
   * `"@hourly"`).
   */
  specification: string | Date | ScheduleSpec;
  /** The subject the produced messages are published to (same stream, no wildcards, not the schedule's own subject). */
  target: string;
  /**
   * Publish the last message of this subject instead of the schedule's body (subject sampling;
   * when the subject is empty the schedule's own body and headers are sent). No wildcards. 2.14+.
   */
  source?: string;
  /**
   * TTL of each produced message (the stream needs `allow_msg_ttl`): a Go duration string
   * (`"5m"`, at least 1 s), `"never"`, or milliseconds. Sent as `Nats-Schedule-TTL`.
   */
  ttl?: string | number;
  /**
   * IANA time zone for cron and predefined schedules (`"Europe/Amsterdam"`); UTC when absent.
   * Not allowed with `@at` or `@every`. 2.14+.
   */
  timezone?: string;
  /** Produced messages replace earlier ones on the target subject (`Nats-Rollup: sub`). 2.14+. */
  rollup?: "sub";
}

/**
 * The `cancelSchedule` option of `js.publish()` (nats-server 2.14+): the published message is
 * stored on its own subject and, in the same operation, the schedule on `scheduleSubject` is
 * removed. The publish subject must differ from `scheduleSubject`. Combine with
 * `expect.lastSubjectSequence` + `expect.lastSubjectSequenceSubject` to cancel only a schedule
 * still at a known sequence.
 *
 * @example
 * ```ts ignore
 * await js.publish("orders.cancelled", "42", { cancelSchedule: { scheduleSubject: "schedules.orders.42" } });
 * ```
 */
export interface ScheduleCancellation {
  /** Subject of the schedule to remove (sent as `Nats-Scheduler`, with `Nats-Schedule-Next: purge`). */
  scheduleSubject: string;
}

/** The rules of {@link ScheduleOptions} (the specification and subjects are checked in full when the headers are made). */
export const scheduleRules: OptionRules = {
  specification: any,
  target: str(),
  source: str(),
  ttl: ttlRule,
  timezone: str(true),
  rollup: any,
};

/** The rules of {@link ScheduleCancellation}. */
export const cancelScheduleRules: OptionRules = { scheduleSubject: str() };

const PREDEFINED: ReadonlySet<string> = new Set([
  "@yearly",
  "@annually",
  "@monthly",
  "@weekly",
  "@daily",
  "@midnight",
  "@hourly",
]);

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const CRON_FIELD = /^[0-9A-Za-z*?,/-]+$/;
type SpecKind = "at" | "every" | "cron" | "predefined";

function atValue(at: Date | string): string {
  if (at instanceof Date) {
    if (Number.isNaN(at.getTime())) throw new InvalidArgumentError("schedule: invalid Date");
    return `@at ${at.toISOString()}`;
  }
  if (!RFC3339.test(at) || Number.isNaN(Date.parse(at))) {
    throw new InvalidArgumentError(`schedule: '${at}' is not an RFC 3339 time (2030-01-02T15:04:05Z)`);
  }
  return `@at ${at}`;
}

function everyValue(every: string): string {
  const ms = goDurationMs(every);
  if (ms === undefined) throw new InvalidArgumentError(`schedule: '${every}' is not a duration (e.g. "30s", "1h30m")`);
  if (ms < 1000) throw new InvalidArgumentError(`schedule: @every ${every} is below the 1s minimum`);
  return `@every ${every}`;
}

function cronValue(cron: string): string {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 6 || !fields.every((f) => CRON_FIELD.test(f))) {
    throw new InvalidArgumentError(`schedule: '${cron}' is not a 6-field cron expression (sec min hour dom month dow)`);
  }
  return cron;
}

function predefinedValue(name: string): string {
  if (!PREDEFINED.has(name)) {
    throw new InvalidArgumentError(`schedule: unknown predefined schedule '${name}' (${[...PREDEFINED].join(", ")})`);
  }
  return name;
}

/** The `Nats-Schedule` value for `spec` and its kind; throws `InvalidArgumentError` on a bad shape. */
function specValue(spec: string | Date | ScheduleSpec): [string, SpecKind] {
  if (spec instanceof Date) return [atValue(spec), "at"];
  if (typeof spec === "string") {
    if (spec.startsWith("@at ")) return [atValue(spec.slice(4)), "at"];
    if (spec.startsWith("@every ")) return [everyValue(spec.slice(7)), "every"];
    if (spec.startsWith("@")) return [predefinedValue(spec), "predefined"];
    return [cronValue(spec), "cron"];
  }
  if (spec && typeof spec === "object") {
    if ("at" in spec) return [atValue(spec.at), "at"];
    if ("every" in spec) return [everyValue(spec.every), "every"];
    if ("cron" in spec) return [cronValue(spec.cron), "cron"];
    if ("predefined" in spec) return [predefinedValue(spec.predefined), "predefined"];
  }
  throw new InvalidArgumentError(
    "schedule: specification must be a Date, a string or { at | every | cron | predefined }",
  );
}

function checkSubject(what: string, subject: string | undefined): string {
  const why = subjectProblem(subject as string, false);
  if (why) throw new InvalidArgumentError(`${what}: invalid subject '${subject}': ${why}`);
  return subject as string;
}

/**
 * Converts a schedule specification to its `Nats-Schedule` header value: a `Date` or `{ at }`
 * becomes `@at <RFC 3339>` (a `Date` in UTC), `{ every }` becomes `@every <duration>`, cron and
 * predefined values pass through. Throws `InvalidArgumentError` when the shape is wrong.
 *
 * @example
 * ```ts
 * import { scheduleHeaderValue } from "./schedule.ts";
 * console.log(scheduleHeaderValue(new Date(Date.UTC(2030, 0, 1)))); // "@at 2030-01-01T00:00:00.000Z"
 * console.log(scheduleHeaderValue({ every: "10s" })); // "@every 10s"
 * ```
 */
export function scheduleHeaderValue(spec: string | Date | ScheduleSpec): string {
  return specValue(spec)[0];
}

/**
 * Adds the `Nats-Schedule*` headers for publishing `opts` on `subject`, after checking the
 * options (`InvalidArgumentError`) and that the server supports them (`FeatureNotSupportedError`).
 *
 * @example
 * ```ts ignore
 * const h = headers();
 * setScheduleHeaders(h, "schedules.a", { specification: { every: "1m" }, target: "a" }, js.api.features);
 * ```
 */
export function setScheduleHeaders(h: MsgHdrs, subject: string, opts: ScheduleOptions, f: ServerFeatures): void {
  const [value, kind] = specValue(opts.specification);
  const target = checkSubject("schedule target", opts.target);
  if (target === subject) {
    throw new InvalidArgumentError(`schedule target '${target}' must differ from the schedule subject`);
  }
  if (opts.source !== undefined) {
    const source = checkSubject("schedule source", opts.source);
    if (source === target || source === subject) {
      throw new InvalidArgumentError(
        `schedule source '${source}' must differ from the target and the schedule subject`,
      );
    }
  }
  if (opts.timezone !== undefined) {
    if (kind !== "cron" && kind !== "predefined") {
      throw new InvalidArgumentError("schedule timezone applies to cron and predefined schedules only");
    }
    if (!opts.timezone.trim()) throw new InvalidArgumentError("schedule timezone is empty (omit it for UTC)");
  }
  if (opts.rollup !== undefined && opts.rollup !== "sub") {
    throw new InvalidArgumentError(`schedule rollup must be "sub", got '${opts.rollup}'`);
  }
  const basic = kind === "at" && opts.source === undefined && opts.timezone === undefined &&
    opts.rollup === undefined;
  f.require(basic ? Feature.ScheduleAt : Feature.ScheduleRepeating);
  h.set("Nats-Schedule", value);
  h.set("Nats-Schedule-Target", target);
  if (opts.source !== undefined) h.set("Nats-Schedule-Source", opts.source);
  if (opts.ttl !== undefined) {
    h.set("Nats-Schedule-TTL", typeof opts.ttl === "number" ? `${Math.ceil(opts.ttl)}ms` : opts.ttl);
  }
  if (opts.timezone !== undefined) h.set("Nats-Schedule-Time-Zone", opts.timezone);
  if (opts.rollup !== undefined) h.set("Nats-Schedule-Rollup", opts.rollup);
}

/**
 * Adds the headers that cancel the schedule on `c.scheduleSubject` when a message is stored on
 * `subject` (`Nats-Scheduler`, `Nats-Schedule-Next: purge`; nats-server 2.14+).
 *
 * @example
 * ```ts ignore
 * const h = headers();
 * setCancelScheduleHeaders(h, "orders.cancelled", { scheduleSubject: "schedules.orders.42" }, js.api.features);
 * ```
 */
export function setCancelScheduleHeaders(
  h: MsgHdrs,
  subject: string,
  c: ScheduleCancellation,
  f: ServerFeatures,
): void {
  const scheduler = checkSubject("cancelSchedule", c?.scheduleSubject);
  if (scheduler === subject) {
    throw new InvalidArgumentError(`cancelSchedule: publish to a subject other than the schedule '${scheduler}'`);
  }
  f.require(Feature.ScheduleCancel);
  h.set("Nats-Scheduler", scheduler);
  h.set("Nats-Schedule-Next", "purge");
}
