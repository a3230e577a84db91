/**
 * The Key-Value manager: creates, opens, updates and lists buckets.
 *
 * @module
 */
import type { NatsConnection } from "../src/core.ts";
import { PermissionViolationError } from "../src/core.ts";
import {
  jetstream,
  JetStreamApiError,
  JetStreamClient,
  JetStreamNotEnabledError,
  type JetStreamOptions,
  JsApiCodes,
  Lister,
  StreamAPI,
  type StreamInfo,
} from "../jetstream/mod.ts";
import { Bucket } from "./bucket.ts";
import { bindingOf, type BucketBinding, kvPrefixes, kvStreamConfig } from "./config.ts";
import { mapStreamError } from "./map_errors.ts";
import { KV_STREAM_PREFIX, KvStatusImpl } from "./status.ts";
import { type KvOpenOptions, kvOpenRules, type KvOptions, type KvStatus } from "./types.ts";
import { checkOptions } from "../src/option_check.ts";
import { validateBucket } from "./validate.ts";

const isStreamNotFound = (err: unknown): boolean =>
  err instanceof JetStreamApiError && err.is(JsApiCodes.StreamNotFound);

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

  /** The client a handle uses: this manager's, or one with the handle's own `timeout`. */
  #clientFor(opts: { timeout?: number }): JetStreamClient {
    return opts.timeout === undefined
      ? this.js
      : jetstream(this.js.nc, { ...this.js.getOptions(), timeout: opts.timeout });
  }

  /** A handle on the stream `si` describes: direct gets when the stream allows them and `allow_direct` is not false. */
  #handle(name: string, si: StreamInfo, opts: KvOpenOptions): Bucket {
    const b = bindingOf(name, si, this.js.apiPrefix);
    if (opts.allow_direct === false) b.direct = false;
    return new Bucket(this.#clientFor(opts), name, b, opts.codec);
  }

  /** A handle on stream `KV_<name>` (or `opts.streamName`) bound without a lookup. */
  #bind(name: string, opts: KvOpenOptions): Bucket {
    const stream = opts.streamName ?? `${KV_STREAM_PREFIX}${name}`;
    const p = kvPrefixes(name, { name: stream }, this.js.apiPrefix);
    const b: BucketBinding = {
      stream,
      direct: opts.allow_direct === true,
      markers: true,
      maxValueSize: -1,
      readPrefix: p.read,
      writePrefix: p.write,
    };
    return new Bucket(this.#clientFor(opts), name, b, opts.codec);
  }

  /**
   * Creates bucket `name` (stream `KV_<name>`, or `opts.streamName`) and returns a handle using
   * `opts.codec`. When the bucket exists, it is opened as it is: its settings are not changed
   * (as nats.js; change them with {@link update}). With `bindOnly`, nothing is created: the
   * handle is bound as {@link open} binds it.
   */
  async create(name: string, opts: KvOptions = {}): Promise<Bucket> {
    validateBucket(name);
    const sc = kvStreamConfig(name, opts);
    if (opts.bindOnly) return this.#bind(name, opts);
    const streams = this.#streams();
    let si: StreamInfo;
    try {
      si = await streams.info(sc.name);
    } catch (err) {
      if (!isStreamNotFound(err)) throw err;
      try {
        si = await streams.add(sc);
      } catch (err) {
        // another client created it in between
        if (!(err instanceof JetStreamApiError && err.is(JsApiCodes.StreamNameExist))) throw err;
        si = await streams.info(sc.name);
      }
    }
    return this.#handle(name, si, opts);
  }

  /**
   * Opens bucket `name` (stream `KV_<name>`, or `opts.streamName`) with `opts.codec`. It looks
   * the stream up to bind to what it is (a mirror, direct gets, limit markers, the largest value).
   * Like nats.js it resolves even when the bucket does not exist (yet), the lookup is not
   * permitted or JetStream does not answer: the handle is then bound as with `bindOnly` (reads,
   * watches and `status()` of a bucket still missing reject with `BucketNotFoundError`, writes
   * with the publish error). When the JetStream client was made with `checkAPI: true`, a missing
   * JetStream rejects with `JetStreamNotEnabledError` instead. With `bindOnly` nothing is sent.
   */
  async open(name: string, opts: KvOpenOptions = {}): Promise<Bucket> {
    validateBucket(name);
    checkOptions("bucket open", opts, kvOpenRules);
    if (opts.bindOnly) return this.#bind(name, opts);
    try {
      return this.#handle(name, await this.#streams().info(opts.streamName ?? `${KV_STREAM_PREFIX}${name}`), opts);
    } catch (err) {
      if (
        isStreamNotFound(err) || err instanceof PermissionViolationError ||
        (err instanceof JetStreamNotEnabledError && this.js.getOptions().checkAPI !== true)
      ) return this.#bind(name, opts);
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

  /**
   * The status of every bucket (mirrors included; buckets with a custom `streamName` are not
   * seen): iterate it, or call `next()` for one page at a time (an empty page at the end).
   */
  list(): Lister<KvStatus> {
    type Page = { streams?: StreamInfo[] };
    return new Lister<KvStatus>(
      this.js.api,
      "STREAM.LIST",
      {},
      (r) =>
        ((r as Page).streams ?? []).filter((si) => si.config.name.startsWith(KV_STREAM_PREFIX))
          .map((si) => new KvStatusImpl(si, undefined, this.js.nc.info?.cluster)),
      (r) => (r as Page).streams?.length ?? 0,
    );
  }

  /** The name of every bucket (of `KV_` streams). */
  async *names(): AsyncIterable<string> {
    for await (const n of this.#streams().names()) {
      if (n.startsWith(KV_STREAM_PREFIX)) yield n.slice(KV_STREAM_PREFIX.length);
    }
  }
}
