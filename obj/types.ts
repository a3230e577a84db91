/**
 * Object store types (ADR-20), named as in the official `@nats-io/obj` package.
 *
 * @module
 */
import type { MsgHdrs } from "../src/core.ts";
import type { Nanos, Placement, StorageType, StreamInfo } from "../jetstream/mod.ts";
import { headersRule } from "../jetstream/option_rules.ts";
import { bool, int, ms, obj, oneOf, type OptionRules, recordOf, shape, str } from "../src/option_check.ts";

/** A link to another object (`name` set) or to a whole bucket (`name` unset). */
export interface ObjectStoreLink {
  /** The bucket linked to. */
  bucket: string;
  /** The object linked to; absent for a link to the bucket. */
  name?: string;
}

/** Per-object options stored in the object's info. */
export interface ObjectStoreMetaOptions {
  /** Set on links only (use `link()` / `linkStore()` to create them). */
  link?: ObjectStoreLink;
  /** Chunk size in bytes (default 128 KiB, capped at the server's `max_payload`). */
  max_chunk_size?: number;
}

/** The rules of {@link ObjectStoreMetaOptions}. */
const metaOptionsRules: OptionRules = { link: obj, max_chunk_size: int(1) };

/** What the application says about an object when storing it. */
export interface ObjectStoreMeta {
  /** The object name: any non-empty string. */
  name: string;
  /** A description. */
  description?: string;
  /** Headers kept with the object (stored as `{name: [values]}`). */
  headers?: MsgHdrs;
  /** Options (chunk size). */
  options?: ObjectStoreMetaOptions;
  /** String metadata. */
  metadata?: Record<string, string>;
}

/** The rules of the meta `update()` takes: what {@link ObjectStoreMeta} has but `options`. */
export const objectStoreUpdateRules: OptionRules = {
  name: str(true),
  description: str(true),
  headers: headersRule,
  metadata: recordOf(str(true)),
};

/** The rules of {@link ObjectStoreMeta} (the name is checked in full as an object name). */
export const objectStoreMetaRules: OptionRules = { ...objectStoreUpdateRules, options: shape(metaOptionsRules) };

/** An object's info: its meta plus what the store recorded. */
export interface ObjectInfo extends ObjectStoreMeta {
  /** The bucket. */
  bucket: string;
  /** The object's unique id; its chunks are on `$O.<bucket>.C.<nuid>`. */
  nuid: string;
  /** Size in bytes. */
  size: number;
  /** Number of chunks. */
  chunks: number;
  /** `SHA-256=` + URL-safe base64 of the SHA-256 of the content (empty for deleted objects and links). */
  digest: string;
  /** True once deleted. */
  deleted: boolean;
  /** Modification time (RFC 3339): the store time of the info message. */
  mtime: string;
  /** The stream sequence of the info message. */
  revision: number;
}

/** An info seen by a watcher; `isUpdate` is false for the entries present when the watch began. */
export interface ObjectWatchInfo extends ObjectInfo {
  /** False during the initial values, true for later changes. */
  isUpdate: boolean;
}

/** A bucket's status. */
export interface ObjectStoreStatus {
  /** Bucket name. */
  bucket: string;
  /** Description. */
  description: string;
  /** How long objects live, in nanoseconds (0 = forever). */
  ttl: Nanos;
  /** Storage type. */
  storage: StorageType;
  /** Replicas. */
  replicas: number;
  /** True once sealed (read-only). */
  sealed: boolean;
  /** Bytes stored (data and infos). */
  size: number;
  /** Always `"JetStream"`. */
  backingStore: string;
  /** The stream behind the bucket. */
  streamInfo: StreamInfo;
  /** Bucket metadata (without the server's `_nats.*` entries). */
  metadata?: Record<string, string>;
  /** True when the stream is compressed (s2). */
  compression: boolean;
}

/** Options of `Objm.create()`. */
export interface ObjectStoreOptions {
  /** Description. */
  description?: string;
  /** How long objects live, in nanoseconds (default forever). */
  ttl?: Nanos;
  /** Storage type (default file). */
  storage?: StorageType;
  /** Replicas (default 1). */
  replicas?: number;
  /** Most bytes the bucket holds (default unlimited). */
  max_bytes?: number;
  /** Placement in a cluster. */
  placement?: Placement;
  /** Bucket metadata (nats-server 2.10+). */
  metadata?: Record<string, string>;
  /** Compress with s2 (nats-server 2.10+). */
  compression?: boolean;
}

/** The rules of {@link ObjectStoreOptions}. */
export const objectStoreOptionsRules: OptionRules = {
  description: str(true),
  ttl: int(0),
  storage: oneOf("file", "memory"),
  replicas: int(1, 5),
  max_bytes: int(-1),
  placement: obj,
  metadata: recordOf(str(true)),
  compression: bool,
};

/** A readable object: its info, its content, and the outcome of the integrity check. */
export interface ObjectResult {
  /** The object's info (of the target, for a link). */
  info: ObjectInfo;
  /** The content; it errors (with the same error as `error`) when the content is corrupt. */
  data: ReadableStream<Uint8Array>;
  /** Resolves once the content has been read: null, or the error (e.g. `DigestMismatchError`). */
  error: Promise<Error | null>;
}

/** Options of `put()` / `putBlob()`. */
export interface ObjectStorePutOpts {
  /** Milliseconds to wait for each publish acknowledgement (default: the JetStream timeout). */
  timeout?: number;
  /** Store only if the object's info is at this revision (0: only if the name is unused). */
  previousRevision?: number;
}

/** The rules of {@link ObjectStorePutOpts}. */
export const objectStorePutRules: OptionRules = { timeout: ms(1), previousRevision: int(0) };

/** The info as stored on the wire (headers as a plain map, mtime as written). */
export interface ServerObjectInfo {
  /** Name. */
  name: string;
  /** Description. */
  description?: string;
  /** Headers. */
  headers?: Record<string, string[]>;
  /** Options. */
  options?: ObjectStoreMetaOptions;
  /** Metadata. */
  metadata?: Record<string, string>;
  /** Bucket. */
  bucket: string;
  /** Object id. */
  nuid: string;
  /** Size in bytes. */
  size: number;
  /** Chunk count. */
  chunks: number;
  /** Digest. */
  digest?: string;
  /** Deleted flag. */
  deleted?: boolean;
  /** Write time as recorded by the writer (not authoritative). */
  mtime?: string;
}
