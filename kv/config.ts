/**
 * Bucket options → backing stream configuration (ADR-8, ADR-48 limit markers, mirrors and
 * aggregated sources).
 *
 * @module
 */
import { InvalidArgumentError } from "../src/core.ts";
import { nanos, type StreamConfig, type StreamInfo, type StreamSource } from "../jetstream/mod.ts";
import { checkOptions } from "../src/option_check.ts";
import { KV_STREAM_PREFIX } from "./status.ts";
import { type KvOptions, kvOptionsRules } from "./types.ts";

/** The duplicate window used unless the TTL is shorter (2 minutes). */
const DEFAULT_DUPLICATE_WINDOW_MS = 2 * 60_000;

function kvStreamName(name: string): string {
  return name.startsWith(KV_STREAM_PREFIX) ? name : `${KV_STREAM_PREFIX}${name}`;
}

function bucketOf(streamName: string): string {
  return streamName.startsWith(KV_STREAM_PREFIX) ? streamName.slice(KV_STREAM_PREFIX.length) : streamName;
}

/** A source of another bucket: `KV_` name and a transform of its keys into this bucket's names. */
function kvSource(bucket: string, s: StreamSource): StreamSource {
  if (s.subject_transforms?.length) return { ...s };
  const origin = bucketOf(s.name);
  const out: StreamSource = { ...s, name: kvStreamName(s.name) };
  // the same bucket in another domain or account already has this bucket's subjects
  if ((s.external || s.domain) && origin === bucket) return out;
  const from = `$KV.${origin}.`;
  const src = s.filter_subject ?? `${from}>`;
  if (!src.startsWith(from)) {
    throw new InvalidArgumentError(`source filter '${src}' is not a key filter of bucket '${origin}'`);
  }
  delete out.filter_subject;
  out.subject_transforms = [{ src, dest: `$KV.${bucket}.${src.slice(from.length)}` }];
  return out;
}

/**
 * The stream configuration of bucket `bucket` with options `opts`: stream `KV_<bucket>` (or
 * `opts.streamName`) holding subjects `$KV.<bucket>.>`.
 *
 * @example
 * ```ts
 * import { kvStreamConfig } from "./config.ts";
 * const sc = kvStreamConfig("config", { history: 5, ttl: 60_000 });
 * console.log(sc.name, sc.subjects, sc.max_msgs_per_subject); // KV_config [ "$KV.config.>" ] 5
 * ```
 */
export function kvStreamConfig(bucket: string, opts: KvOptions = {}): StreamConfig {
  checkOptions("bucket", opts, kvOptionsRules);
  if (opts.max_bytes !== undefined && opts.maxBytes !== undefined && opts.max_bytes !== opts.maxBytes) {
    throw new InvalidArgumentError("bucket options 'max_bytes' and 'maxBytes' (its alias) differ");
  }
  const history = opts.history ?? 1;
  const ttl = opts.ttl ?? 0;
  const maxBytes = opts.max_bytes ?? opts.maxBytes ?? -1;
  const maxValueSize = opts.maxValueSize ?? -1;
  const sc: StreamConfig = {
    name: opts.streamName ?? kvStreamName(bucket),
    subjects: [`$KV.${bucket}.>`],
    retention: "limits",
    max_msgs_per_subject: history,
    max_msgs: -1,
    max_bytes: maxBytes,
    max_age: nanos(ttl),
    max_msg_size: maxValueSize,
    max_consumers: -1,
    storage: opts.storage ?? "file",
    num_replicas: opts.replicas ?? 1,
    discard: "new",
    duplicate_window: nanos(ttl > 0 && ttl < DEFAULT_DUPLICATE_WINDOW_MS ? ttl : DEFAULT_DUPLICATE_WINDOW_MS),
    allow_rollup_hdrs: true,
    deny_delete: true,
    deny_purge: false,
    allow_direct: opts.allow_direct ?? true,
  };
  if (opts.description) sc.description = opts.description;
  if (opts.placement) sc.placement = opts.placement;
  if (opts.republish) sc.republish = opts.republish;
  if (opts.metadata) sc.metadata = opts.metadata;
  if (opts.compression) sc.compression = "s2";
  if (opts.markerTTL !== undefined) {
    sc.allow_msg_ttl = true;
    sc.subject_delete_marker_ttl = nanos(opts.markerTTL);
  }
  if (opts.mirror) {
    if (opts.sources?.length) throw new InvalidArgumentError("a bucket cannot have both a mirror and sources");
    if (opts.markerTTL !== undefined) throw new InvalidArgumentError("a mirror bucket cannot have markerTTL");
    delete sc.subjects;
    sc.mirror = { ...opts.mirror, name: kvStreamName(opts.mirror.name) };
    sc.mirror_direct = true;
  } else if (opts.sources?.length) {
    sc.sources = opts.sources.map((s) => kvSource(bucket, s));
  }
  return sc;
}

/**
 * The key subject prefix and the write prefix of a bucket, from its stream configuration and the
 * JetStream API prefix (ADR-8/ADR-19): a mirror reads and writes the origin's subjects (writes go
 * through the origin's external API when it has one); with a custom API prefix or domain, writes
 * are prefixed by it.
 *
 * @example
 * ```ts
 * import { kvPrefixes } from "./config.ts";
 * console.log(kvPrefixes("cfg", { name: "KV_cfg" }, "$JS.hub.API")); // { read: "$KV.cfg", write: "$JS.hub.API.$KV.cfg" }
 * ```
 */
export function kvPrefixes(bucket: string, sc: StreamConfig, apiPrefix: string): { read: string; write: string } {
  const origin = sc.mirror ? bucketOf(sc.mirror.name) : bucket;
  const read = `$KV.${origin}`;
  const ext = sc.mirror?.external?.api;
  if (ext) return { read, write: `${ext.replace(/\.+$/, "")}.${read}` };
  return { read, write: apiPrefix === "$JS.API" ? read : `${apiPrefix}.${read}` };
}

/** What a bucket handle needs to know about its stream (from `STREAM.INFO`, or assumed). */
export interface BucketBinding {
  /** Backing stream. */
  stream: string;
  /** True when gets use direct get. */
  direct: boolean;
  /** True when the stream allows `Nats-TTL` (limit markers). */
  markers: boolean;
  /** Largest value (-1 unlimited or unknown). */
  maxValueSize: number;
  /** Key subject prefix for reads. */
  readPrefix: string;
  /** Key subject prefix for writes. */
  writePrefix: string;
}

/** The binding of `bucket` to the stream described by `si`. */
export function bindingOf(bucket: string, si: StreamInfo, apiPrefix: string): BucketBinding {
  const p = kvPrefixes(bucket, si.config, apiPrefix);
  return {
    stream: si.config.name,
    direct: si.config.allow_direct === true || si.config.mirror_direct === true,
    markers: si.config.allow_msg_ttl === true,
    maxValueSize: si.config.max_msg_size ?? -1,
    readPrefix: p.read,
    writePrefix: p.write,
  };
}
