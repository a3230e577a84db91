/**
 * One object store bucket: put, get, info, list, delete, update, links, watch, seal, status.
 *
 * @module
 */
import { headers, InvalidArgumentError, InvalidOperationError, NoRespondersError, nuid } from "../src/core.ts";
import { binaryBytes, typeName } from "../src/encoding.ts";
import {
  JetStreamApiError,
  type JetStreamClient,
  JetStreamManager,
  JetStreamNotEnabledError,
  type JsApi,
  JsApiCodes,
  type PubAck,
  type PurgeResponse,
  type StreamInfoRequestOptions,
} from "../jetstream/mod.ts";
import { DEFAULT_CHUNK_SIZE, infoToJson, parseInfo, subjects, validateBucket, validateObjectName } from "./codec.ts";
import { download } from "./download.ts";
import { collectOrphans, type CollectOrphansOptions, type OrphanedChunks } from "./orphans.ts";
import { isTransient, retryAcrossReconnects } from "./retry.ts";
import {
  BucketNotFoundError,
  ObjectExistsError,
  ObjectNotFoundError,
  ObjectSizeMismatchError,
  ObjectStoreSealedError,
} from "./errors.ts";
import { statusOf } from "./status.ts";
import {
  type ObjectInfo,
  type ObjectResult,
  type ObjectStoreMeta,
  objectStoreMetaRules,
  type ObjectStorePutOpts,
  objectStorePutRules,
  type ObjectStoreStatus,
  objectStoreUpdateRules,
} from "./types.ts";
import { bool, checkOptions, type OptionRules } from "../src/option_check.ts";
import { uploadChunks } from "./upload.ts";
import { ObjectWatcher, type ObjectWatchOptions, readAllInfos } from "./watch.ts";
import { sleep } from "../jetstream/util.ts";

/** Downloads tried again (after 250, 500, 1000 ms) when fewer chunks are there than the info says. */
const MISSING_RETRIES = 3;

/** Options of `info()`. */
export interface ObjectInfoOptions {
  /** Return the info of a deleted object too (default: null for deleted objects). */
  show_deleted?: boolean;
}

/** The rules of {@link ObjectInfoOptions}. */
export const objectInfoRules: OptionRules = { show_deleted: bool };

/**
 * An object store bucket. Get one with `Objm.create()` or `Objm.open()`.
 *
 * @example
 * ```ts ignore
 * const os = await new Objm(nc).create("files");
 * await os.putBlob({ name: "hello.txt" }, new TextEncoder().encode("hello"));
 * const r = await os.get("hello.txt");
 * for await (const chunk of r!.data) console.log(chunk.length);
 * console.log(await r!.error); // null: the digest matched
 * ```
 */
export class ObjectStore {
  /** The bucket name. */
  readonly name: string;
  /** The stream behind the bucket (`OBJ_<bucket>`). */
  readonly stream: string;
  readonly #js: JetStreamClient;
  readonly #jsm: JetStreamManager;
  readonly #s: ReturnType<typeof subjects>;
  readonly #direct: boolean;
  readonly #api: JsApi;

  private constructor(js: JetStreamClient, bucket: string, direct: boolean) {
    this.#js = js;
    this.#jsm = new JetStreamManager(js.api);
    this.#api = js.api;
    this.name = bucket;
    this.#s = subjects(bucket);
    this.stream = this.#s.stream;
    this.#direct = direct;
  }

  /**
   * Binds to `bucket`. With `check` (default) reads the stream info, so a missing bucket rejects
   * with {@link BucketNotFoundError}; without it nothing is sent.
   */
  static async open(js: JetStreamClient, bucket: string, check = true): Promise<ObjectStore> {
    validateBucket(bucket);
    bool(check, "open check");
    if (!check) return new ObjectStore(js, bucket, true);
    const store = new ObjectStore(js, bucket, true);
    const si = await store.status();
    return new ObjectStore(js, bucket, si.streamInfo.config.allow_direct === true);
  }

  #error(err: unknown): unknown {
    // nobody answers for the bucket's stream: a publish reports it as JetStream not enabled
    const unanswered = err instanceof NoRespondersError ||
      (err instanceof JetStreamNotEnabledError && err.cause instanceof NoRespondersError);
    if (unanswered) return new BucketNotFoundError(this.name, { cause: err });
    if (!(err instanceof JetStreamApiError)) return err;
    if (err.is(JsApiCodes.StreamSealed) || /sealed/i.test(err.description)) {
      return new ObjectStoreSealedError(this.name, { cause: err });
    }
    if (err.is(JsApiCodes.StreamNotFound)) return new BucketNotFoundError(this.name, { cause: err });
    return err;
  }

  async #guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw this.#error(err);
    }
  }

  /**
   * The latest info of `name`, deleted or not, or null. Reads use direct get (any replica may
   * answer); writes pass `leader`: the stream leader has the latest info, where a replica that
   * lags could name an object replaced since (whose chunks a put or delete would then miss).
   */
  async #rawInfo(name: string, leader = false): Promise<ObjectInfo | null> {
    validateObjectName(name);
    return await this.#guard(() => this.#readInfo(name, leader));
  }

  /** {@link #rawInfo} with the errors as the API gives them. */
  async #readInfo(name: string, leader: boolean): Promise<ObjectInfo | null> {
    const query = { last_by_subj: this.#s.meta(name) };
    const sm = this.#direct && !leader
      ? await this.#jsm.direct.getMessage(this.stream, query)
      : await this.#jsm.streams.getMessage(this.stream, query);
    return sm ? parseInfo(sm.data, sm.seq, sm.timestamp) : null;
  }

  async #publishInfo(info: ObjectInfo, opts: ObjectStorePutOpts = {}): Promise<PubAck> {
    const h = headers();
    h.set("Nats-Rollup", "sub");
    const ack = await this.#js.publish(this.#s.meta(info.name), infoToJson(info), {
      headers: h,
      timeout: opts.timeout,
      expect: opts.previousRevision === undefined ? undefined : { lastSubjectSequence: opts.previousRevision },
    });
    info.revision = ack.seq;
    return ack;
  }

  #purge(filter: string): Promise<PurgeResponse> {
    return this.#jsm.streams.purge(this.stream, { filter });
  }

  /**
   * Runs a clean-up now; when it fails for a passing reason (disconnected, JetStream away), runs it
   * again after reconnecting or backing off, in the background (see `retryAcrossReconnects`).
   */
  async #nowOrLater(work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (err) {
      if (isTransient(err)) void retryAcrossReconnects(this.#js.nc, work);
    }
  }

  /** Purges `subject`, then fails unless the stream holds nothing on it (chunks sent before may land late). */
  async #purgeAll(subject: string): Promise<void> {
    await this.#purge(subject);
    const si = await this.#jsm.streams.info(this.stream, { subjects_filter: subject });
    const left = si.state.subjects?.[subject] ?? 0;
    if (left > 0) throw new Error(`${left} messages reached ${subject} after its purge`);
  }

  /**
   * The clean-up of a put that failed. Without `info` (the upload failed) its chunks go. With it
   * (storing the info failed) the stream leader says whether the info was stored after all: then
   * the object it replaced goes, else its chunks.
   */
  async #undoPut(chunkSubject: string, info: ObjectInfo | undefined, old: ObjectInfo | null): Promise<void> {
    if (info) {
      if ((await this.#readInfo(info.name, true))?.nuid === info.nuid) {
        if (old && !old.deleted) await this.#purge(this.#s.chunks(old.nuid));
        return;
      }
    }
    await this.#purgeAll(chunkSubject);
  }

  /** The info of `name`, or null when it does not exist or is deleted (unless `show_deleted`). */
  async info(name: string, opts: ObjectInfoOptions = {}): Promise<ObjectInfo | null> {
    checkOptions("info", opts, objectInfoRules);
    const info = await this.#rawInfo(name);
    return info && (!info.deleted || opts.show_deleted) ? info : null;
  }

  /** The infos of all objects that are not deleted. */
  async list(): Promise<ObjectInfo[]> {
    const all = await this.#guard(() => readAllInfos(this.#api, this.stream, this.#s.allMeta));
    return all.filter((i) => !i.deleted);
  }

  /**
   * Stores `rs` (or nothing, for an empty object) as `meta.name`, replacing any object of that
   * name. Chunks are hashed and published as they are read, with a window of acknowledgements in
   * flight; the old content is purged once the new info is stored. Rejects with
   * {@link ObjectStoreSealedError} on a sealed bucket.
   *
   * When the put fails, its chunks are purged; when that purge fails too (the connection dropped),
   * it is retried in the background after the reconnect (a few attempts, until the connection
   * closes). A put that fails while storing the info (its acknowledgement lost) may have stored
   * the object after all: the clean-up then keeps it and purges the content it replaced. Chunks
   * no clean-up could remove are found by {@link collectOrphans}.
   */
  async put(
    meta: ObjectStoreMeta,
    rs: ReadableStream<Uint8Array> | null,
    opts: ObjectStorePutOpts = {},
  ): Promise<ObjectInfo> {
    if (rs !== null && typeof rs?.getReader !== "function") {
      throw new InvalidArgumentError(`put needs a ReadableStream or null (putBlob takes bytes); got ${typeName(rs)}`);
    }
    return await this.#put(meta, rs, opts);
  }

  /**
   * Stores `data` (or nothing, for `null`) as `meta.name`; see {@link put}. `data` is a
   * `Uint8Array`, an `ArrayBuffer` or another `ArrayBufferView` (the bytes it spans); anything
   * else (a string, too) throws `InvalidArgumentError` before anything is sent.
   */
  async putBlob(
    meta: ObjectStoreMeta,
    data: Uint8Array | ArrayBufferView | ArrayBuffer | null,
    opts: ObjectStorePutOpts = {},
  ): Promise<ObjectInfo> {
    return await this.#put(meta, data === null ? null : binaryBytes(data, "object data"), opts);
  }

  async #put(
    meta: ObjectStoreMeta,
    source: Uint8Array | ReadableStream<Uint8Array> | null,
    opts: ObjectStorePutOpts,
  ): Promise<ObjectInfo> {
    if (meta === undefined) throw new InvalidArgumentError("put needs the object's meta ({ name })");
    checkOptions("put meta", meta, objectStoreMetaRules);
    checkOptions("put", opts, objectStorePutRules);
    validateObjectName(meta.name);
    if (meta.options?.link) throw new InvalidArgumentError("put cannot store a link: use link() or linkStore()");
    const wanted = meta.options?.max_chunk_size ?? DEFAULT_CHUNK_SIZE;
    const chunkSize = Math.min(wanted, this.#js.nc.info?.max_payload ?? wanted);
    const old = await this.#rawInfo(meta.name, true);
    const id = nuid.next();
    const chunkSubject = this.#s.chunks(id);
    let info: ObjectInfo | undefined;
    try {
      const r = await uploadChunks(this.#js, chunkSubject, source, chunkSize, opts.timeout);
      const stored: ObjectInfo = {
        name: meta.name,
        bucket: this.name,
        nuid: id,
        size: r.size,
        chunks: r.chunks,
        digest: r.digest,
        deleted: false,
        mtime: new Date().toISOString(),
        revision: 0,
        options: { max_chunk_size: chunkSize },
      };
      if (meta.description) stored.description = meta.description;
      if (meta.headers) stored.headers = meta.headers;
      if (meta.metadata) stored.metadata = meta.metadata;
      info = stored;
      await this.#publishInfo(stored, opts);
    } catch (err) {
      await this.#nowOrLater(() => this.#undoPut(chunkSubject, info, old));
      throw this.#error(err);
    }
    if (old && !old.deleted) await this.#nowOrLater(() => this.#purge(this.#s.chunks(old.nuid)));
    return info;
  }

  /**
   * Reads `name`: null when it does not exist or is deleted. A link to an object is followed (in
   * this or another bucket); a link to a bucket rejects with `InvalidOperationError`. The content
   * streams from an ordered consumer; once read, `error` resolves with null, or the content
   * errors and `error` resolves with a `DigestMismatchError` / `ObjectSizeMismatchError`. When
   * the chunks of the info read are not all there, the info is read again from the stream leader:
   * a replica that lags may have answered with the info of an object replaced since.
   */
  async get(name: string): Promise<ObjectResult | null> {
    const info = await this.info(name);
    return info ? await this.#read(info, true) : null;
  }

  /** The content of `info`, a link followed; with `recheck`, read again from the leader's info when chunks are missing. */
  async #read(info: ObjectInfo, recheck: boolean): Promise<ObjectResult | null> {
    const name = info.name;
    const link = info.options?.link;
    if (link) {
      if (!link.name) {
        throw new InvalidOperationError(`'${name}' is a link to bucket '${link.bucket}', not to an object`);
      }
      const target = link.bucket === this.name ? this : await ObjectStore.open(this.#js, link.bucket);
      return await target.get(link.name);
    }
    const chunks = this.#s.chunks(info.nuid);
    let d = await download(this.#js.api, this.stream, chunks, info);
    if (!d.missing) return d.result;
    if (recheck) {
      const latest = await this.#readInfo(name, true).catch(() => null);
      if (latest && latest.revision !== info.revision) return latest.deleted ? null : await this.#read(latest, false);
    }
    // the consumer may sit on a replica still catching up: a new one a moment later may see them all
    for (let i = 0; d.missing && i < MISSING_RETRIES; i++) {
      await sleep(250 * 2 ** i);
      d = await download(this.#js.api, this.stream, chunks, info);
    }
    return d.result;
  }

  /** Reads `name` into one buffer (null when missing); rejects when the content is corrupt. */
  async getBlob(name: string): Promise<Uint8Array | null> {
    const r = await this.get(name);
    if (!r) return null;
    const out = new Uint8Array(r.info.size);
    let off = 0;
    const reader = r.data.getReader();
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      if (off + value.length > out.length) {
        await reader.cancel();
        const { bucket, name: n, chunks, size } = r.info;
        throw new ObjectSizeMismatchError(bucket, n, { chunks, size }, { chunks, size: off + value.length });
      }
      out.set(value, off);
      off += value.length;
    }
    const err = await r.error;
    if (err) throw err;
    return out;
  }

  /**
   * Deletes `name`: its info is replaced by a deleted marker and its chunks are purged. Resolves
   * `{ success: false, purged: 0 }` when it never existed (as nats.js); a no-op when already deleted.
   */
  async delete(name: string): Promise<PurgeResponse> {
    const info = await this.#rawInfo(name, true);
    if (!info) return { success: false, purged: 0 };
    if (info.deleted) return { success: true, purged: 0 };
    const marker: ObjectInfo = {
      ...info,
      size: 0,
      chunks: 0,
      digest: "",
      deleted: true,
      mtime: new Date().toISOString(),
    };
    return await this.#guard(async () => {
      await this.#publishInfo(marker);
      return await this.#purge(this.#s.chunks(info.nuid));
    });
  }

  /**
   * Changes the name, description, headers or metadata of `name` (fields left out are kept).
   * Renaming onto a live object rejects with {@link ObjectExistsError}.
   */
  async update(name: string, meta: Partial<ObjectStoreMeta> = {}): Promise<PubAck> {
    if (meta?.options !== undefined) throw new InvalidArgumentError("update cannot change an object's options");
    checkOptions("update meta", meta, objectStoreUpdateRules);
    const info = await this.#rawInfo(name, true);
    if (!info || info.deleted) throw new ObjectNotFoundError(this.name, name);
    const newName = meta.name ?? name;
    validateObjectName(newName);
    const taken = newName === name ? null : await this.#rawInfo(newName, true);
    if (taken && !taken.deleted) throw new ObjectExistsError(this.name, newName);
    const next: ObjectInfo = { ...info, name: newName, mtime: new Date().toISOString() };
    if (meta.description !== undefined) next.description = meta.description;
    if (meta.headers !== undefined) next.headers = meta.headers;
    if (meta.metadata !== undefined) next.metadata = meta.metadata;
    return await this.#guard(async () => {
      const ack = await this.#publishInfo(next);
      if (newName !== name) await this.#purge(this.#s.meta(name));
      return ack;
    });
  }

  async #addLink(name: string, link: { bucket: string; name?: string }): Promise<ObjectInfo> {
    validateObjectName(name);
    const existing = await this.#rawInfo(name, true);
    if (existing && !existing.deleted && !existing.options?.link) throw new ObjectExistsError(this.name, name);
    const info: ObjectInfo = {
      name,
      bucket: this.name,
      nuid: nuid.next(),
      size: 0,
      chunks: 0,
      digest: "",
      deleted: false,
      mtime: new Date().toISOString(),
      revision: 0,
      options: { link },
    };
    await this.#guard(() => this.#publishInfo(info));
    return info;
  }

  /**
   * Stores `name` as a link to the object `target` (in any bucket). The target must not be
   * deleted nor a link; `name` may replace a link or a deleted object, not a live object.
   */
  async link(name: string, target: ObjectInfo): Promise<ObjectInfo> {
    if (typeof target !== "object" || target === null || typeof target.name !== "string") {
      throw new InvalidArgumentError("link target must be an object's info (from info() or put())");
    }
    validateBucket(target.bucket);
    if (target.deleted) throw new InvalidOperationError(`cannot link to deleted object '${target.name}'`);
    if (target.options?.link) throw new InvalidOperationError(`cannot link to link '${target.name}'`);
    return await this.#addLink(name, { bucket: target.bucket, name: target.name });
  }

  /** Stores `name` as a link to the bucket `store`. */
  async linkStore(name: string, store: ObjectStore): Promise<ObjectInfo> {
    if (!(store instanceof ObjectStore)) throw new InvalidArgumentError("linkStore needs an ObjectStore");
    return await this.#addLink(name, { bucket: store.name });
  }

  /**
   * Finds and purges orphaned chunks: chunk subjects (`$O.<bucket>.C.<nuid>`) that no live info
   * points at, as left by a put or a delete whose clean-up could not run (e.g. the client was
   * killed). Subjects whose newest chunk is younger than `minAge` ms (default one minute) are left
   * alone, as they may belong to a put still uploading. Resolves with what was purged. Neither
   * nats.js nor nats.go has this operation.
   *
   * @example
   * ```ts ignore
   * for (const o of await os.collectOrphans()) console.log(o.subject, o.purged);
   * ```
   */
  async collectOrphans(opts: CollectOrphansOptions = {}): Promise<OrphanedChunks[]> {
    return await this.#guard(() => collectOrphans(this.#api, this.#jsm, this.stream, this.#s, opts));
  }

  /** Watches the bucket's infos: current ones first, then changes. */
  async watch(opts: ObjectWatchOptions = {}): Promise<ObjectWatcher> {
    return await this.#guard(() => ObjectWatcher.start(this.#api, this.stream, this.#s.allMeta, opts));
  }

  /** Seals the bucket (read-only from now on) and returns its status. */
  async seal(): Promise<ObjectStoreStatus> {
    const si = await this.#guard(() => this.#jsm.streams.update(this.stream, { sealed: true }));
    return statusOf(si);
  }

  /**
   * The bucket's status; {@link BucketNotFoundError} when it is gone. `opts` asks the stream info
   * for more (e.g. `subjects_filter`, `deleted_details`), found in `streamInfo`.
   */
  async status(opts?: StreamInfoRequestOptions): Promise<ObjectStoreStatus> {
    return statusOf(await this.#guard(() => this.#jsm.streams.info(this.stream, opts)));
  }

  /** Deletes the bucket and everything in it. */
  async destroy(): Promise<boolean> {
    return await this.#guard(() => this.#jsm.streams.delete(this.stream));
  }
}
