/**
 * {@link defaultBucketOpts}: nats.js's starting point for bucket options.
 *
 * @module
 */
import { StorageType } from "../jetstream/mod.ts";
import { NoopKvCodecs } from "./codec.ts";
import type { KvOptions } from "./types.ts";

/**
 * The options nats.js fills in for a new bucket: one replica, one value per key, no size limits,
 * file storage, no codecs, and a 2 s timeout. A fresh object each call, to spread and override.
 *
 * @example
 * ```ts ignore
 * import { defaultBucketOpts, Kvm } from "@natsw/natsw/kv";
 * const kv = await new Kvm(nc).create("config", { ...defaultBucketOpts(), history: 5 });
 * ```
 */
export function defaultBucketOpts(): Partial<KvOptions> {
  return {
    replicas: 1,
    history: 1,
    timeout: 2000,
    max_bytes: -1,
    maxValueSize: -1,
    codec: NoopKvCodecs(),
    storage: StorageType.File,
  };
}
