/**
 * Bucket status and the bucket → stream configuration.
 *
 * @module
 */
import type { StreamConfig, StreamInfo } from "../jetstream/mod.ts";
import { OBJ_STREAM_PREFIX, subjects } from "./codec.ts";
import type { ObjectStoreOptions, ObjectStoreStatus } from "./types.ts";

/**
 * The stream configuration of bucket `bucket` (ADR-20).
 *
 * @example
 * ```ts
 * import { streamConfig } from "./status.ts";
 * console.log(streamConfig("files", {}).subjects); // ["$O.files.C.>", "$O.files.M.>"]
 * ```
 */
export function streamConfig(bucket: string, opts: ObjectStoreOptions): StreamConfig {
  const s = subjects(bucket);
  const cfg: StreamConfig = {
    name: s.stream,
    subjects: [s.allChunks, s.allMeta],
    allow_rollup_hdrs: true,
    allow_direct: true,
    discard: "new",
    max_age: opts.ttl ?? 0,
    max_bytes: opts.max_bytes ?? -1,
    storage: opts.storage ?? "file",
    num_replicas: opts.replicas ?? 1,
  };
  if (opts.description) cfg.description = opts.description;
  if (opts.placement) cfg.placement = opts.placement;
  if (opts.metadata) cfg.metadata = opts.metadata;
  if (opts.compression) cfg.compression = "s2";
  return cfg;
}

/**
 * The status of the bucket whose stream info is `si`.
 *
 * @example
 * ```ts ignore
 * const status = statusOf(await jsm.streams.info("OBJ_files"));
 * ```
 */
export function statusOf(si: StreamInfo): ObjectStoreStatus {
  const c = si.config;
  const status: ObjectStoreStatus = {
    bucket: c.name.slice(OBJ_STREAM_PREFIX.length),
    description: c.description ?? "",
    ttl: c.max_age ?? 0,
    storage: c.storage ?? "file",
    replicas: c.num_replicas ?? 1,
    sealed: c.sealed === true,
    size: si.state.bytes,
    backingStore: "JetStream",
    streamInfo: si,
    compression: c.compression === "s2",
  };
  const md = Object.entries(c.metadata ?? {}).filter(([k]) => !k.startsWith("_nats."));
  if (md.length) status.metadata = Object.fromEntries(md);
  return status;
}
