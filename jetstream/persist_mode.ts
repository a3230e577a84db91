/**
 * {@link PersistMode}: when a stream syncs writes to disk (`StreamConfig.persist_mode`, 2.12+).
 *
 * @module
 */

/**
 * The values of `StreamConfig.persist_mode`.
 *
 * @example
 * ```ts
 * import { PersistMode } from "./persist_mode.ts";
 * const cfg = { name: "EVENTS", subjects: ["events.>"], persist_mode: PersistMode.Async };
 * console.log(cfg.persist_mode); // "async"
 * ```
 */
export const PersistMode = {
  /** Writes are synced to disk before the publish is acknowledged (the default). */
  Default: "default",
  /** Writes are acknowledged before the disk sync completes: faster, less durable on a crash. */
  Async: "async",
} as const;
/** One of the {@link PersistMode} values. */
export type PersistMode = typeof PersistMode[keyof typeof PersistMode];
