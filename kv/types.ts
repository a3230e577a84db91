/**
 * Key-Value types: entries, bucket options and status, operation options. Durations are
 * milliseconds (the stream holds nanoseconds).
 *
 * @module
 */
import type { ReviverFn } from "../src/core.ts";
import type { Placement, Republish, StorageType, StreamInfo, StreamSource } from "../jetstream/mod.ts";
import { nameRule, ttlRule } from "../jetstream/option_rules.ts";
import {
  arrayOf,
  bool,
  either,
  fn,
  int,
  ms,
  obj,
  oneOf,
  type OptionRule,
  type OptionRules,
  recordOf,
  shape,
  str,
} from "../src/option_check.ts";
import { InvalidArgumentError } from "../src/core.ts";

/** What an entry records: a value, a delete or a purge. */
export type KvOperation = "PUT" | "DEL" | "PURGE";

/**
 * One value (or delete/purge marker) of a key.
 *
 * @example
 * ```ts ignore
 * const e = await kv.get("color");
 * if (e) console.log(e.key, e.revision, e.string());
 * ```
 */
export interface KvEntry {
  /** The bucket it was read from. */
  readonly bucket: string;
  /** The key (decoded by the key codec). */
  readonly key: string;
  /** The key as stored, in the entry's subject (encoded by the key codec). */
  readonly rawKey: string;
  /** The value, decoded by the value codec (empty for DEL/PURGE and for metadata-only reads). */
  readonly value: Uint8Array;
  /** When the server stored it. */
  readonly created: Date;
  /** Its revision (the stream sequence). */
  readonly revision: number;
  /** Distance from the latest value: messages still pending after this one (0 = latest). */
  readonly delta: number;
  /** What it records. */
  readonly operation: KvOperation;
  /** Size of the stored value in bytes, as encoded by the value codec (known even for metadata-only reads). */
  readonly length: number;
  /** The value as UTF-8. */
  string(): string;
  /** The value parsed as JSON. */
  json<T = unknown>(reviver?: ReviverFn): T;
}

/** An entry delivered by a watcher or history: `isUpdate` is true after the initial values. */
export interface KvWatchEntry extends KvEntry {
  /** False while the initial values are delivered, true for live updates. */
  readonly isUpdate: boolean;
}

/**
 * Transforms keys before they reach the server and back. A bucket applies it to each token of a
 * key (the parts between dots) and leaves the wildcard tokens `*` and `>` as they are, so filters
 * keep working. The encoded key must be a valid key (`[-/_=.a-zA-Z0-9]`).
 *
 * @example
 * ```ts
 * import type { KvKeyCodec } from "./types.ts";
 * const upper: KvKeyCodec = { encode: (t) => t.toUpperCase(), decode: (t) => t.toLowerCase() };
 * console.log(upper.encode("users")); // "USERS"
 * ```
 */
export interface KvKeyCodec {
  /** Encodes a key token for the wire. */
  encode(k: string): string;
  /** Decodes a key token read from the wire. */
  decode(k: string): string;
}

/**
 * Transforms values before they are stored and after they are read (compression, encryption…).
 * Delete and purge markers carry no value and are never passed to it.
 *
 * @example
 * ```ts
 * import type { KvPayloadCodec } from "./types.ts";
 * const flip = (d: Uint8Array) => d.map((b) => b ^ 0xff);
 * const xor: KvPayloadCodec = {
 *   encode: (v) => flip(typeof v === "string" ? new TextEncoder().encode(v) : v),
 *   decode: flip,
 * };
 * console.log(xor.decode(xor.encode("hi"))); // Uint8Array [ 104, 105 ]
 * ```
 */
export interface KvPayloadCodec {
  /** Encodes a value for storage (binary values other than `Uint8Array` arrive as a `Uint8Array` of their bytes). */
  encode(v: string | Uint8Array): Uint8Array;
  /** Decodes a stored value. */
  decode(d: Uint8Array): Uint8Array;
}

/**
 * The key and value codecs of a bucket handle (option `codec` of `Kvm.create()`/`open()`).
 *
 * @example
 * ```ts ignore
 * import { Base64KeyCodec, Kvm, NoopKvCodecs } from "@natsw/natsw/kv";
 * const kv = await new Kvm(nc).create("files", { codec: { key: Base64KeyCodec(), value: NoopKvCodecs().value } });
 * await kv.put("docs/read me.txt", "hello");
 * ```
 */
export interface KvCodecs {
  /** Codec of keys. */
  key: KvKeyCodec;
  /** Codec of values. */
  value: KvPayloadCodec;
}

/** Most values a bucket keeps per key. */
export const MAX_HISTORY = 64;

/** A key or value codec: an object with `encode` and `decode` functions (and anything else it needs). */
const codecRule: OptionRule = (v, label) => {
  obj(v, label);
  const c = v as { encode?: unknown; decode?: unknown };
  if (typeof c.encode !== "function" || typeof c.decode !== "function") {
    throw new InvalidArgumentError(`${label} needs 'encode' and 'decode' functions`);
  }
};

/** A {@link KvCodecs}: both a key and a value codec. */
const codecsRule: OptionRule = (v, label) => {
  shape({ key: codecRule, value: codecRule })(v, label);
  const c = v as { key?: unknown; value?: unknown };
  if (c.key === undefined || c.value === undefined) throw new InvalidArgumentError(`${label} needs 'key' and 'value'`);
};

/** Limits and placement of a bucket. */
export interface KvLimits {
  /** Description. */
  description?: string;
  /** Replicas (default 1). */
  replicas?: number;
  /** Values kept per key, 1–64 (default 1). */
  history?: number;
  /** Most bytes the bucket may hold (default unlimited). */
  max_bytes?: number;
  /** Alias of `max_bytes`. */
  maxBytes?: number;
  /** Largest value in bytes (default unlimited). */
  maxValueSize?: number;
  /** Milliseconds a value lives (default forever). */
  ttl?: number;
  /**
   * Limit markers (2.11+): milliseconds (≥ 1000) that the markers written when a key expires
   * stay; also enables per-key TTLs on `create()` and `purge()`. Can be enabled later, never
   * disabled.
   */
  markerTTL?: number;
  /** Storage (default file). */
  storage?: StorageType;
  /** Placement in a super-cluster. */
  placement?: Placement;
  /** Republish stored values. */
  republish?: Republish;
  /** Mirror another bucket (read-only replica; writes and keys use the origin's names). */
  mirror?: StreamSource;
  /** Aggregate other buckets: KV sources get a subject transform to this bucket's names. */
  sources?: StreamSource[];
  /** S2 compression on disk (2.10+). */
  compression?: boolean;
}

/** Options of `Kvm.create()` and `Kvm.open()`. */
export interface KvOptions extends KvLimits {
  /** Metadata stored with the bucket (2.10+). */
  metadata?: Record<string, string>;
  /**
   * Answer gets with direct get (default true; false gives read-after-write gets). A handle uses
   * direct gets when the stream allows them and this is not false; a handle bound without a
   * lookup (`bindOnly`) only when this is true.
   */
  allow_direct?: boolean;
  /** Bind to the bucket without looking it up or creating it (gets use direct get only with `allow_direct`). */
  bindOnly?: boolean;
  /** Milliseconds the handle waits for each answer of the server (default: the JetStream client's timeout). */
  timeout?: number;
  /**
   * Key and value codecs used by the returned handle (default none). Every client reading the
   * bucket must use the same ones.
   */
  codec?: KvCodecs;
  /**
   * Name of the backing stream (default `KV_<bucket>`). Keys keep their `$KV.<bucket>.` subjects;
   * `Kvm.list()` and `names()` only see `KV_` streams.
   */
  streamName?: string;
}

/** The rules of {@link KvOptions} (`Kvm.create()` and `Kvm.update()`). */
export const kvOptionsRules: OptionRules = {
  description: str(true),
  replicas: int(1, 5),
  history: int(1, MAX_HISTORY),
  max_bytes: int(-1),
  maxBytes: int(-1),
  maxValueSize: int(-1, 2 ** 31 - 1),
  ttl: int(0),
  markerTTL: int(1000),
  storage: oneOf("file", "memory"),
  placement: obj,
  republish: obj,
  mirror: obj,
  sources: arrayOf(obj),
  compression: bool,
  metadata: recordOf(str(true)),
  allow_direct: bool,
  bindOnly: bool,
  timeout: ms(1),
  codec: codecsRule,
  streamName: nameRule("stream"),
};

/** What `Kvm.open()` takes: the options of a handle, none of those that shape a new bucket. */
export type KvOpenOptions = Pick<KvOptions, "allow_direct" | "bindOnly" | "codec" | "streamName" | "timeout">;

/** The rules of {@link KvOpenOptions}. */
export const kvOpenRules: OptionRules = {
  allow_direct: kvOptionsRules.allow_direct,
  bindOnly: kvOptionsRules.bindOnly,
  codec: kvOptionsRules.codec,
  streamName: kvOptionsRules.streamName,
  timeout: kvOptionsRules.timeout,
};

/**
 * The state of a bucket.
 *
 * @example
 * ```ts ignore
 * const s = await kv.status();
 * console.log(s.bucket, s.values, s.history, s.bytes);
 * ```
 */
export interface KvStatus {
  /** Bucket name. */
  readonly bucket: string;
  /** Entries stored, history and markers included. */
  readonly values: number;
  /** Values kept per key. */
  readonly history: number;
  /** Milliseconds values live (0 = forever). */
  readonly ttl: number;
  /** Milliseconds limit markers live (0 = no markers). */
  readonly markerTTL: number;
  /** Bytes stored. */
  readonly bytes: number;
  /** Alias of `bytes` (nats.js name). */
  readonly size: number;
  /** Always `"JetStream"`. */
  readonly backingStore: string;
  /** Storage type. */
  readonly storage: StorageType;
  /** Replicas. */
  readonly replicas: number;
  /** Description. */
  readonly description: string;
  /** Most bytes (-1 = unlimited). */
  readonly max_bytes: number;
  /** Largest value (-1 = unlimited). */
  readonly maxValueSize: number;
  /** True when stored with S2 compression. */
  readonly compression: boolean;
  /** Alias of `compression`. */
  readonly isCompressed: boolean;
  /** Metadata set by the user (server-reserved `_nats.*` keys removed). */
  readonly metadata: Record<string, string>;
  /** Placement, if any. */
  readonly placement: Placement | undefined;
  /** Republish, if any. */
  readonly republish: Republish | undefined;
  /** Mirror origin, if any. */
  readonly mirror: StreamSource | undefined;
  /** Sources, if any. */
  readonly sources: StreamSource[] | undefined;
  /** The backing stream's info. */
  readonly streamInfo: StreamInfo;
}

/** Options of `put()`. */
export interface KvPutOptions {
  /** Store only if the key's latest revision is this (0 = key never written or purged). */
  previousSeq?: number;
  /** Milliseconds to wait for the server's acknowledgement (default: the handle's timeout). */
  timeout?: number;
}

/** The rules of {@link KvPutOptions}. */
export const kvPutRules: OptionRules = { previousSeq: int(0), timeout: ms(1) };

/** Options of `get()`. */
export interface KvGetOptions {
  /** Read this revision instead of the latest value (0 or absent: the latest). */
  revision?: number;
}

/** The rules of {@link KvGetOptions}. */
export const kvGetRules: OptionRules = { revision: int(0) };

/** Options of `delete()`. */
export interface KvDeleteOptions {
  /** Delete only if the key's latest revision is this. */
  previousSeq?: number;
}

/** The rules of {@link KvDeleteOptions}. */
export const kvDeleteRules: OptionRules = { previousSeq: int(0) };

/** Options of `purge()`. */
export interface KvPurgeOptions extends KvDeleteOptions {
  /** How long the purge marker stays: milliseconds or a Go duration (`"1h"`); needs markerTTL. */
  ttl?: number | string;
}

/** The rules of {@link KvPurgeOptions}. */
export const kvPurgeRules: OptionRules = { ...kvDeleteRules, ttl: ttlRule };

/**
 * What a watcher delivers first.
 *
 * @example
 * ```ts ignore
 * const w = await kv.watch({ include: KvWatchInclude.UpdatesOnly });
 * ```
 */
export const KvWatchInclude = {
  /** The latest entry of each key, then updates (default). */
  LastValue: "",
  /** Every stored entry, then updates. */
  AllHistory: "history",
  /** Only updates made after the watch started. */
  UpdatesOnly: "updates",
} as const;
/** One of the {@link KvWatchInclude} values. */
export type KvWatchInclude = typeof KvWatchInclude[keyof typeof KvWatchInclude];

/** Options of `watch()`. */
export interface KvWatchOptions {
  /** Key or key filters (`*`, `>` allowed; default every key). Several need nats-server 2.10+. */
  key?: string | string[];
  /** What to deliver first (default the latest value of each key). */
  include?: KvWatchInclude;
  /** Skip DEL and PURGE entries. */
  ignoreDeletes?: boolean;
  /** Deliver entries without values (`length` still tells the size). */
  headers_only?: boolean;
  /** Alias of `headers_only` (ADR-8 `MetaOnly`). */
  metaOnly?: boolean;
  /** Start at this revision (instead of `include`). */
  resumeFromRevision?: number;
  /** Called once when the initial values have been received. */
  initializedFn?: () => void;
}

/** Key filters: one string or an array of them (each checked as a key filter when used). */
const keyFilters: OptionRule = either(str(), arrayOf(str()));

/** The rules of {@link KvWatchOptions}. */
export const kvWatchRules: OptionRules = {
  key: keyFilters,
  include: oneOf(...Object.values(KvWatchInclude)),
  ignoreDeletes: bool,
  headers_only: bool,
  metaOnly: bool,
  resumeFromRevision: int(0),
  initializedFn: fn,
};

/** Options of `history()`. */
export interface KvHistoryOptions {
  /** Key or key filters (default every key). */
  key?: string | string[];
  /** Deliver entries without values. */
  headers_only?: boolean;
}

/** The rules of {@link KvHistoryOptions}. */
export const kvHistoryRules: OptionRules = { key: keyFilters, headers_only: bool };
