/**
 * A bucket handle: reads and writes of keys, watches, history, key listing and status.
 *
 * @module
 */
import { headers, InvalidArgumentError, type Payload } from "../src/core.ts";
import { payloadBytes } from "../src/encoding.ts";
import {
  DirectStreamAPI,
  type JetStreamClient,
  type JetStreamPublishOptions,
  type JsApi,
  type PurgeResponse,
  type StoredMsg,
  StreamAPI,
} from "../jetstream/mod.ts";
import { decodeKey, encodeChecked, encodeKey, encodeValue, NoopKvCodecs } from "./codec.ts";
import type { BucketBinding } from "./config.ts";
import { entryFromJsMsg, entryFromStored, KV_OPERATION, operationOf } from "./entry.ts";
import { KeyExistsError, MarkersNotEnabledError } from "./errors.ts";
import { mapPublishError, mapStreamError } from "./map_errors.ts";
import { CaughtUpReader, ReadIterator } from "./reader.ts";
import type { QueuedIterator } from "../src/api_shapes.ts";
import { KvStatusImpl } from "./status.ts";
import {
  type KvCodecs,
  type KvDeleteOptions,
  kvDeleteRules,
  type KvEntry,
  type KvGetOptions,
  kvGetRules,
  type KvHistoryOptions,
  kvHistoryRules,
  type KvPurgeOptions,
  kvPurgeRules,
  type KvPutOptions,
  kvPutRules,
  type KvStatus,
  type KvWatchEntry,
  type KvWatchOptions,
  kvWatchRules,
} from "./types.ts";
import { checkOptions, num } from "../src/option_check.ts";
import { ttlRule } from "../jetstream/option_rules.ts";
import { hasWildcards, validateKey, validateKeyOrFilter, validateSearchKey } from "./validate.ts";
import { KvWatcher } from "./watch.ts";

const THIRTY_MINUTES = 30 * 60_000;

/**
 * A Key-Value bucket. Get one from `Kvm.create()` or `Kvm.open()`. Keys and values pass through
 * the handle's codecs (option `codec`): keys are validated in their encoded form.
 *
 * @example
 * ```ts ignore
 * const kv = await new Kvm(nc).create("config", { history: 5 });
 * const rev = await kv.put("color", "blue");
 * await kv.update("color", "red", rev);
 * console.log((await kv.get("color"))?.string()); // "red"
 * ```
 */
export class Bucket {
  /** The bucket name. */
  readonly bucket: string;
  /** The JetStream client used. */
  readonly js: JetStreamClient;
  /** The key and value codecs (no-op unless given). */
  readonly codec: KvCodecs;
  readonly #b: BucketBinding;
  readonly #watchers = new Set<KvWatcher>();
  readonly #readers = new Set<CaughtUpReader>();
  readonly #consumerApi: JsApi;

  /** Creates the handle (use `Kvm`). */
  constructor(js: JetStreamClient, bucket: string, binding: BucketBinding, codec: KvCodecs = NoopKvCodecs()) {
    this.js = js;
    this.bucket = bucket;
    this.codec = codec;
    this.#b = binding;
    this.#consumerApi = js.api;
  }

  /** The backing stream's name. */
  get stream(): string {
    return this.#b.stream;
  }

  /** True when gets use direct get (the stream has `allow_direct`). */
  get direct(): boolean {
    return this.#b.direct;
  }

  /** The subject of `key` for reads (`$KV.<bucket>.<key>`, the key encoded by the key codec). */
  subjectForKey(key: string): string {
    return this.#subject(encodeKey(this.codec.key, key));
  }

  #subject(ek: string): string {
    return `${this.#b.readPrefix}.${ek}`;
  }

  /** Key filters (one or several) encoded and checked. */
  #filters(key: string | string[]): string[] {
    return [key].flat().map((k) => encodeChecked(this.codec.key, k, validateSearchKey));
  }

  /**
   * `value` as the bytes to store, through the value codec. Throws `InvalidArgumentError` (before
   * anything is sent) for a value that is not a string or binary data, or a codec that returns neither.
   */
  #encode(value: Payload): Uint8Array {
    return payloadBytes(encodeValue(this.codec.value, typeof value === "string" ? value : payloadBytes(value)));
  }

  /** Publishes the (already encoded) `payload` to encoded key `ek`. */
  async #publish(ek: string, payload: Uint8Array, opts: JetStreamPublishOptions, expected?: number): Promise<number> {
    try {
      const ack = await this.js.publish(`${this.#b.writePrefix}.${ek}`, payload, opts);
      return ack.seq;
    } catch (err) {
      const key = decodeKey(this.codec.key, ek);
      throw mapPublishError(err, this.bucket, key, expected, payload.length, this.#b.maxValueSize);
    }
  }

  /**
   * Stores `value` under `key`; returns the new revision. `previousSeq` makes it conditional;
   * `timeout` bounds the wait for the acknowledgement.
   */
  async put(key: string, value: Payload, opts: KvPutOptions = {}): Promise<number> {
    checkOptions("put", opts, kvPutRules);
    const ek = encodeChecked(this.codec.key, key, validateKey);
    const po: JetStreamPublishOptions = {};
    if (opts.previousSeq !== undefined) po.expect = { lastSubjectSequence: opts.previousSeq };
    if (opts.timeout !== undefined) po.timeout = opts.timeout;
    const payload = this.#encode(value);
    return await this.#publish(ek, payload, po, opts.previousSeq);
  }

  /**
   * Stores `value` only if `key` has no value (never written, deleted or purged); returns the
   * revision. `ttl` (milliseconds or a Go duration) makes the key expire; the bucket needs
   * `markerTTL`. Rejects with `KeyExistsError` when the key holds a value.
   */
  async create(key: string, value: Payload, ttl?: number | string): Promise<number> {
    const ek = encodeChecked(this.codec.key, key, validateKey);
    if (ttl !== undefined) ttlRule(ttl, "create ttl");
    if (ttl !== undefined && !this.#b.markers) throw new MarkersNotEnabledError(this.bucket);
    const payload = this.#encode(value);
    const opts = (last: number): JetStreamPublishOptions => ({
      expect: { lastSubjectSequence: last },
      ...(ttl === undefined ? {} : { ttl }),
    });
    try {
      return await this.#publish(ek, payload, opts(0), 0);
    } catch (err) {
      if (!(err instanceof KeyExistsError)) throw err;
      // the latest entry may be a delete or purge marker: then write over it
      const last = await this.#read(ek, { last_by_subj: this.#subject(ek) });
      if (!last || last.operation === "PUT") throw err;
      return await this.#publish(ek, payload, opts(last.revision), 0);
    }
  }

  /**
   * Stores `value` only if the latest revision of `key` is `revision` (0: only if the key was never
   * written or was purged); returns the new one. `timeout` bounds the wait for the acknowledgement.
   */
  async update(key: string, value: Payload, revision: number, timeout?: number): Promise<number> {
    if (!Number.isInteger(revision) || revision < 0) {
      throw new InvalidArgumentError(`revision must be a non-negative integer (got ${revision})`);
    }
    return await this.put(
      key,
      value,
      timeout === undefined ? { previousSeq: revision } : { previousSeq: revision, timeout },
    );
  }

  async #read(ek: string, query: { seq: number } | { last_by_subj: string }): Promise<KvEntry | null> {
    let sm: StoredMsg | null;
    try {
      sm = this.#b.direct
        ? await new DirectStreamAPI(this.js.api).getMessage(this.#b.stream, query)
        : await new StreamAPI(this.js.api).getMessage(this.#b.stream, query);
    } catch (err) {
      throw mapStreamError(err, this.bucket);
    }
    if (!sm || sm.subject !== this.#subject(ek)) return null;
    return entryFromStored(this.bucket, this.#b.readPrefix.length + 1, sm, this.codec);
  }

  /**
   * The latest value of `key` (or the entry at `revision`), or null when it has none or its
   * latest entry is a delete or purge.
   */
  async get(key: string, opts: KvGetOptions = {}): Promise<KvEntry | null> {
    checkOptions("get", opts, kvGetRules);
    const ek = encodeChecked(this.codec.key, key, validateKey);
    const rev = opts.revision;
    const e = rev !== undefined && rev > 0
      ? await this.#read(ek, { seq: rev })
      : await this.#read(ek, { last_by_subj: this.#subject(ek) });
    return e && e.operation === "PUT" ? e : null;
  }

  async #marker(ek: string, op: "DEL" | "PURGE", opts: KvPurgeOptions): Promise<void> {
    const h = headers();
    h.set(KV_OPERATION, op);
    if (op === "PURGE") h.set("Nats-Rollup", "sub");
    const po: JetStreamPublishOptions = { headers: h };
    if (opts.previousSeq !== undefined) po.expect = { lastSubjectSequence: opts.previousSeq };
    if (opts.ttl !== undefined) {
      if (!this.#b.markers) throw new MarkersNotEnabledError(this.bucket);
      po.ttl = opts.ttl;
    }
    await this.#publish(ek, new Uint8Array(0), po, opts.previousSeq);
  }

  /** Calls `fn` with encoded `key`, or with every encoded key matching it when it is a filter. */
  async #eachKey(key: string, fn: (ek: string) => Promise<void>): Promise<void> {
    const ek = encodeChecked(this.codec.key, key, validateKeyOrFilter);
    if (!hasWildcards(ek)) return await fn(ek);
    const found: string[] = [];
    for await (const k of await this.#rawKeys([ek], (k) => k)) found.push(k);
    for (const k of found) await fn(k);
  }

  /** Writes a delete marker for `key` (history is kept). A wildcard deletes every matching key. */
  async delete(key: string, opts: KvDeleteOptions = {}): Promise<void> {
    checkOptions("delete", opts, kvDeleteRules);
    await this.#eachKey(key, (k) => this.#marker(k, "DEL", opts));
  }

  /**
   * Removes every value of `key`, leaving one purge marker (which expires after `ttl` when the
   * bucket has limit markers). A wildcard purges every matching key.
   */
  async purge(key: string, opts: KvPurgeOptions = {}): Promise<void> {
    checkOptions("purge", opts, kvPurgeRules);
    await this.#eachKey(key, (k) => this.#marker(k, "PURGE", opts));
  }

  /**
   * Removes delete and purge markers: those older than `olderMillis` (default 30 minutes)
   * entirely, newer ones keep just the marker. A negative value removes all of them.
   */
  async purgeDeletes(olderMillis: number = THIRTY_MINUTES): Promise<PurgeResponse> {
    num(-Number.MAX_VALUE)(olderMillis, "purgeDeletes olderMillis");
    const markers: { subject: string; created: Date }[] = [];
    const r = await this.#reader([">"], { deliver_policy: "last_per_subject", headers_only: true });
    for await (const m of r) {
      if (operationOf(m.headers) !== "PUT") markers.push({ subject: m.subject, created: m.time });
    }
    const limit = Date.now() - olderMillis;
    const streams = new StreamAPI(this.js.api);
    const total: PurgeResponse = { success: true, purged: 0 };
    for (const e of markers) {
      const keep = olderMillis >= 0 && e.created.getTime() > limit ? 1 : 0;
      const p = await streams.purge(this.#b.stream, { filter: e.subject, keep });
      total.purged += p.purged;
      total.success &&= p.success;
    }
    return total;
  }

  /** Reads the entries matching encoded `filters` until caught up. */
  async #reader(
    filters: string[],
    opts: { deliver_policy: "all" | "last_per_subject"; headers_only?: boolean },
  ): Promise<CaughtUpReader> {
    let r: CaughtUpReader;
    try {
      r = await CaughtUpReader.open(this.#consumerApi, this.#b.stream, {
        ...opts,
        filter_subjects: filters.map((k) => this.#subject(k)),
      });
    } catch (err) {
      throw mapStreamError(err, this.bucket);
    }
    this.#readers.add(r);
    return r;
  }

  /**
   * Every stored entry of `key` (a filter or several; default every key), oldest first, deletes
   * and purges included; ends once caught up. `delta` counts the entries after each one. Entries
   * are read from the server as the loop asks for them; `stop()` (or leaving the loop) ends it.
   */
  async history(opts: KvHistoryOptions = {}): Promise<QueuedIterator<KvWatchEntry>> {
    checkOptions("history", opts, kvHistoryRules);
    const filters = this.#filters(opts.key ?? ">");
    const r = await this.#reader(filters, { deliver_policy: "all", headers_only: opts.headers_only });
    const plen = this.#b.readPrefix.length + 1;
    return new ReadIterator(r, (m) => entryFromJsMsg(this.bucket, plen, m, false, this.codec), () => {
      this.#readers.delete(r);
    });
  }

  /**
   * The keys holding a value, matching `filter` (one or several; default every key), read from
   * the server as the loop asks for them; `stop()` (or leaving the loop) ends it.
   */
  async keys(filter: string | string[] = ">"): Promise<QueuedIterator<string>> {
    return await this.#rawKeys(this.#filters(filter), (k) => decodeKey(this.codec.key, k));
  }

  /** The keys holding a value that match encoded `filters`, each encoded key passed through `decode`. */
  async #rawKeys(filters: string[], decode: (ek: string) => string): Promise<ReadIterator<string>> {
    const r = await this.#reader(filters, { deliver_policy: "last_per_subject", headers_only: true });
    const plen = this.#b.readPrefix.length + 1;
    return new ReadIterator(
      r,
      (m) => operationOf(m.headers) === "PUT" ? decode(m.subject.slice(plen)) : undefined,
      () => {
        this.#readers.delete(r);
      },
    );
  }

  /** Watches keys: initial entries per `include`, the end of them signalled, then live updates. */
  async watch(opts: KvWatchOptions = {}): Promise<KvWatcher> {
    checkOptions("watch", opts, kvWatchRules);
    const key = this.#filters(opts.key ?? ">");
    let w: KvWatcher;
    try {
      w = await KvWatcher.start(
        {
          api: this.#consumerApi,
          stream: this.#b.stream,
          bucket: this.bucket,
          prefix: this.#b.readPrefix,
          codecs: this.codec,
        },
        { ...opts, key },
      );
    } catch (err) {
      throw mapStreamError(err, this.bucket);
    }
    this.#watchers.add(w);
    w.closed.then(() => this.#watchers.delete(w));
    return w;
  }

  /** The bucket's status (values, history, TTLs, bytes, the stream info). */
  async status(): Promise<KvStatus> {
    try {
      const si = await new StreamAPI(this.js.api).info(this.#b.stream);
      return new KvStatusImpl(si, this.bucket, this.js.nc.info?.cluster);
    } catch (err) {
      throw mapStreamError(err, this.bucket);
    }
  }

  /** Deletes the bucket and every value in it. */
  async destroy(): Promise<boolean> {
    await this.close();
    try {
      return await new StreamAPI(this.js.api).delete(this.#b.stream);
    } catch (err) {
      throw mapStreamError(err, this.bucket);
    }
  }

  /** Stops every watcher and reader of this handle. */
  async close(): Promise<void> {
    const ws = [...this.#watchers];
    const rs = [...this.#readers];
    this.#watchers.clear();
    this.#readers.clear();
    ws.forEach((w) => w.stop());
    await Promise.all([...ws.map((w) => w.closed), ...rs.map((r) => r.close())]);
  }

  /** Same as {@link close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** Alias of {@link Bucket} under the nats.js name. */
export type KV = Bucket;
