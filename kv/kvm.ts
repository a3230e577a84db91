/**
 * The Key-Value manager: creates, opens, updates and lists buckets.
 *
 * @module
 */
import type { NatsConnection } from "../src/core.ts";
import {
  jetstream,
  JetStreamApiError,
  JetStreamClient,
  type JetStreamOptions,
  JsApiCodes,
  StreamAPI,
  type StreamConfig,
} from "../jetstream/mod.ts";
import { Bucket } from "./bucket.ts";
import { bindingOf, kvPrefixes, kvStreamConfig } from "./config.ts";
import { BucketExistsError } from "./errors.ts";
import { mapStreamError } from "./map_errors.ts";
import { KV_STREAM_PREFIX, KvStatusImpl } from "./status.ts";
import { kvOpenRules, type KvOptions, type KvStatus } from "./types.ts";
import { checkOptions } from "../src/option_check.ts";
import { validateBucket } from "./validate.ts";

const KV_SETTINGS = [
  "max_msgs_per_subject",
  "max_age",
  "max_bytes",
  "max_msg_size",
  "storage",
  "num_replicas",
  "description",
  "compression",
  "subject_delete_marker_ttl",
] as const;

function sameKvSettings(want: StreamConfig, have: StreamConfig): boolean {
  const norm = (v: unknown) => v === "none" || v === "" || v === 0 ? undefined : v;
  return KV_SETTINGS.every((k) => norm(want[k]) === norm(have[k])) &&
    JSON.stringify(want.mirror?.name) === JSON.stringify(have.mirror?.name);
}

/**
 * Manages Key-Value buckets.
 *
 * @example
 * ```ts ignore
 * import { Kvm } from "@natsw/natsw/kv";
 * const kvm = new Kvm(nc);
 * const kv = await kvm.create("config", { history: 5, ttl: 3_600_000 });
 * for await (const s of kvm.list()) console.log(s.bucket, s.values);
 * ```
 */
export class Kvm {
  /** The JetStream client used. */
  readonly js: JetStreamClient;

  /** Creates the manager over a connection (with JetStream options) or a JetStream client. */
  constructor(nc: NatsConnection | JetStreamClient, opts: JetStreamOptions = {}) {
    this.js = nc instanceof JetStreamClient ? nc : jetstream(nc, opts);
  }

  #streams(): StreamAPI {
    return new StreamAPI(this.js.api);
  }

  /**
   * Creates bucket `name` (stream `KV_<name>`, or `opts.streamName`). Succeeds when it exists with
   * the same settings (history, TTLs, sizes, storage, replicas, description, compression, mirror);
   * rejects with `BucketExistsError` when they differ. The handle uses `opts.codec`.
   */
  async create(name: string, opts: KvOptions = {}): Promise<Bucket> {
    validateBucket(name);
    const sc = kvStreamConfig(name, opts);
    try {
      const si = await this.#streams().add(sc);
      return new Bucket(this.js, name, bindingOf(name, si, this.js.apiPrefix), opts.codec);
    } catch (err) {
      if (!(err instanceof JetStreamApiError && err.is(JsApiCodes.StreamNameExist))) throw err;
      // another client may have made the same bucket with small stream differences
      // (nats.js leaves deny_delete off): accept it when the KV settings agree
      const si = await this.#streams().info(sc.name);
      if (!sameKvSettings(sc, si.config)) throw new BucketExistsError(name, { cause: err });
      return new Bucket(this.js, name, bindingOf(name, si, this.js.apiPrefix), opts.codec);
    }
  }

  /**
   * Opens existing bucket `name` (stream `KV_<name>`, or `opts.streamName`) with `opts.codec`;
   * rejects with `BucketNotFoundError` when there is none.
   */
  async open(name: string, opts: Pick<KvOptions, "bindOnly" | "codec" | "streamName"> = {}): Promise<Bucket> {
    validateBucket(name);
    checkOptions("bucket open", opts, kvOpenRules);
    const stream = opts.streamName ?? `${KV_STREAM_PREFIX}${name}`;
    if (opts.bindOnly) {
      const p = kvPrefixes(name, { name: stream }, this.js.apiPrefix);
      return new Bucket(this.js, name, {
        stream,
        direct: true,
        markers: true,
        maxValueSize: -1,
        readPrefix: p.read,
        writePrefix: p.write,
      }, opts.codec);
    }
    try {
      const si = await this.#streams().info(stream);
      return new Bucket(this.js, name, bindingOf(name, si, this.js.apiPrefix), opts.codec);
    } catch (err) {
      throw mapStreamError(err, name);
    }
  }

  /**
   * Changes bucket `name` (stream `KV_<name>`, or `opts.streamName`): history, ttl, sizes,
   * replicas, description, metadata, placement, republish, compression, sources and `markerTTL`
   * (which can be enabled, never disabled). The handle uses `opts.codec`.
   */
  async update(name: string, opts: KvOptions = {}): Promise<Bucket> {
    validateBucket(name);
    const { name: stream, subjects: _s, mirror: _m, storage: _st, allow_direct: _d, ...changes } = kvStreamConfig(
      name,
      opts,
    );
    try {
      const si = await this.#streams().update(stream, changes);
      return new Bucket(this.js, name, bindingOf(name, si, this.js.apiPrefix), opts.codec);
    } catch (err) {
      throw mapStreamError(err, name);
    }
  }

  /** The status of every bucket (mirrors included; buckets with a custom `streamName` are not seen). */
  async *list(): AsyncIterable<KvStatus> {
    for await (const si of this.#streams().list()) {
      if (si.config.name.startsWith(KV_STREAM_PREFIX)) yield new KvStatusImpl(si);
    }
  }

  /** The name of every bucket (of `KV_` streams). */
  async *names(): AsyncIterable<string> {
    for await (const n of this.#streams().names()) {
      if (n.startsWith(KV_STREAM_PREFIX)) yield n.slice(KV_STREAM_PREFIX.length);
    }
  }
}
