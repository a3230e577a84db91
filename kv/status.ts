/**
 * Bucket status read from the backing stream's info.
 *
 * @module
 */
import type { Placement, Republish, StorageType, StreamInfo, StreamSource } from "../jetstream/mod.ts";
import { millis } from "../jetstream/mod.ts";
import type { KvStatus } from "./types.ts";

/** Prefix of the stream name of every bucket. */
export const KV_STREAM_PREFIX = "KV_";

/**
 * The implementation of {@link KvStatus} over a stream info.
 *
 * @example
 * ```ts ignore
 * for await (const s of kvm.list()) console.log(s.bucket, s.values);
 * ```
 */
export class KvStatusImpl implements KvStatus {
  /** The backing stream's info. */
  readonly streamInfo: StreamInfo;
  readonly #bucket: string | undefined;
  readonly #cluster: string;

  /**
   * Wraps `si`; `bucket` names the bucket when its stream is not `KV_<bucket>` (option
   * `streamName`); `cluster` is the cluster of the server that answered.
   */
  constructor(si: StreamInfo, bucket?: string, cluster = "") {
    this.streamInfo = si;
    this.#bucket = bucket;
    this.#cluster = cluster;
  }

  get bucket(): string {
    if (this.#bucket !== undefined) return this.#bucket;
    const name = this.streamInfo.config.name;
    return name.startsWith(KV_STREAM_PREFIX) ? name.slice(KV_STREAM_PREFIX.length) : name;
  }

  get values(): number {
    return this.streamInfo.state.messages;
  }

  get history(): number {
    return this.streamInfo.config.max_msgs_per_subject ?? 1;
  }

  get ttl(): number {
    return millis(this.streamInfo.config.max_age ?? 0);
  }

  get markerTTL(): number {
    return millis(this.streamInfo.config.subject_delete_marker_ttl ?? 0);
  }

  get bytes(): number {
    return this.streamInfo.state.bytes;
  }

  get size(): number {
    return this.bytes;
  }

  get backingStore(): string {
    return "JetStream";
  }

  get storage(): StorageType {
    return this.streamInfo.config.storage ?? "file";
  }

  get replicas(): number {
    return this.streamInfo.config.num_replicas ?? 1;
  }

  get description(): string {
    return this.streamInfo.config.description ?? "";
  }

  get max_bytes(): number {
    return this.streamInfo.config.max_bytes ?? -1;
  }

  get maxValueSize(): number {
    return this.streamInfo.config.max_msg_size ?? -1;
  }

  /** @deprecated Use {@link max_bytes} (nats.js's older name). */
  get maxBucketSize(): number {
    return this.max_bytes;
  }

  /** @deprecated The cluster of the server that answered, or an empty string (nats.js's older field). */
  get bucket_location(): string {
    return this.#cluster;
  }

  /** @deprecated Use `placement?.cluster` (nats.js's older field; an empty string when unplaced). */
  get placementCluster(): string {
    return this.streamInfo.config.placement?.cluster ?? "";
  }

  get compression(): boolean {
    const c = this.streamInfo.config.compression;
    return c !== undefined && c !== "none";
  }

  get isCompressed(): boolean {
    return this.compression;
  }

  get metadata(): Record<string, string> {
    const md = this.streamInfo.config.metadata ?? {};
    return Object.fromEntries(Object.entries(md).filter(([k]) => !k.startsWith("_nats.")));
  }

  get placement(): Placement | undefined {
    return this.streamInfo.config.placement;
  }

  get republish(): Republish | undefined {
    return this.streamInfo.config.republish;
  }

  get mirror(): StreamSource | undefined {
    return this.streamInfo.config.mirror;
  }

  get sources(): StreamSource[] | undefined {
    return this.streamInfo.config.sources;
  }
}
