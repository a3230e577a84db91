/**
 * Server capability checks: the version from INFO (and the JetStream API level when the server
 * reports it) decides which features may be used.
 *
 * @module
 */
import { FeatureNotSupportedError } from "./errors.ts";

/**
 * Features that need a minimum server version.
 *
 * @example
 * ```ts
 * import { Feature } from "./features.ts";
 * console.log(Feature.ConsumerPause.version); // "2.11.0"
 * ```
 */
export const Feature = {
  /** `CONSUMER.CREATE.<s>.<c>` subjects. */
  ConsumerCreateSubject: { name: "consumer create with name", version: "2.9.0" },
  /** Direct get. */
  DirectGet: { name: "direct get", version: "2.9.0" },
  /** `action` on consumer create, multiple filters, metadata, compression, first_seq. */
  Consumer210: { name: "consumer create action / multiple filters / metadata", version: "2.10.0" },
  /** Stream features of 2.10. */
  Stream210: { name: "stream compression / first_seq / subject_transform / metadata", version: "2.10.0" },
  /** Consumer pause. */
  ConsumerPause: { name: "consumer pause", version: "2.11.0" },
  /** Priority groups. */
  PriorityGroups: { name: "consumer priority groups", version: "2.11.0" },
  /** Per-message TTL. */
  MessageTTL: { name: "per-message TTL", version: "2.11.0" },
  /** Direct get batch / multi_last / start_time. */
  DirectBatch: { name: "direct get batch", version: "2.11.0" },
  /** Term with a reason. */
  TermReason: { name: "term reason", version: "2.11.0" },
  /** Counters, atomic batches, schedules, async persist. */
  Stream212: { name: "counters / atomic batch / schedules / async persist", version: "2.12.0" },
  /** Message schedules firing once (`@at`, ADR-51). */
  ScheduleAt: { name: "message schedules (@at)", version: "2.12.0" },
  /** Repeating schedules (`@every`, cron, predefined) and schedule time zone, source and rollup. */
  ScheduleRepeating: { name: "@every / cron / predefined schedules, time zone, source, rollup", version: "2.14.0" },
  /** Cancelling a schedule atomically with a publish (`Nats-Scheduler`). */
  ScheduleCancel: { name: "cancelling a message schedule (Nats-Scheduler)", version: "2.14.0" },
  /** Atomic batch publish (ADR-50, API level 2). */
  AtomicBatch: { name: "atomic batch publish", version: "2.12.0" },
  /** `Nats-Msg-Id` deduplication inside an atomic batch. */
  AtomicBatchMsgID: { name: "atomic batch message ids", version: "2.12.1" },
  /** Committing an atomic batch with an end-of-batch marker (`Nats-Batch-Commit: eob`). */
  AtomicBatchEOB: { name: "atomic batch end-of-batch commit", version: "2.14.0" },
  /** Fast ingest batching. */
  FastBatch: { name: "fast-ingest batching", version: "2.14.0" },
  /** Resetting a consumer to a new starting sequence (`CONSUMER.RESET`, ADR-60). */
  ConsumerReset: { name: "consumer reset", version: "2.14.0" },
} as const;
/** One entry of {@link Feature}. */
export type FeatureEntry = typeof Feature[keyof typeof Feature];

/** A parsed `major.minor.patch`. */
export type SemVer = [number, number, number];

/**
 * Parses a server version (`v2.11.0-RC.1` → `[2, 11, 0]`).
 *
 * @example
 * ```ts
 * import { parseSemVer } from "./features.ts";
 * console.log(parseSemVer("2.10.3")); // [2, 10, 3]
 * ```
 */
export function parseSemVer(v: string | undefined): SemVer {
  const m = /(\d+)\.(\d+)\.(\d+)/.exec(v ?? "");
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
}

function cmp(a: SemVer, b: SemVer): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** The features of one connected server. */
export class ServerFeatures {
  /** The server version string. */
  readonly version: string;
  /** The JetStream API level from INFO `api_lvl` (2.12+), else derived from the version. */
  readonly apiLevel: number;
  readonly #ver: SemVer;

  /** Creates the view from the INFO version and `api_lvl`. */
  constructor(version: string | undefined, apiLevel?: number) {
    this.version = version ?? "unknown";
    this.#ver = parseSemVer(version);
    this.apiLevel = apiLevel ?? (this.atLeast("2.11.0") ? 1 : 0);
  }

  /** True when the server is at least `version`. */
  atLeast(version: string): boolean {
    return cmp(this.#ver, parseSemVer(version)) >= 0;
  }

  /** True when `feature` is available. */
  supports(feature: FeatureEntry): boolean {
    return this.atLeast(feature.version);
  }

  /** Throws {@link FeatureNotSupportedError} when `feature` is not available. */
  require(feature: FeatureEntry): void {
    if (!this.supports(feature)) throw new FeatureNotSupportedError(feature.name, feature.version, this.version);
  }
}
