/**
 * Key-Value store for natsw (ADR-8 with limit markers from ADR-48): buckets are JetStream
 * streams `KV_<bucket>`, readable and writable by every other NATS client. Names follow the
 * official `@nats-io/kv` package.
 *
 * @example
 * ```ts ignore
 * import { connect } from "@natsw/natsw";
 * import { Base64KeyCodec, Kvm, NoopKvCodecs } from "@natsw/natsw/kv";
 *
 * const nc = await connect({ servers: "127.0.0.1:4222" });
 * const kv = await new Kvm(nc).create("config", { history: 5 });
 * await kv.put("color", "blue");
 * console.log((await kv.get("color"))?.string());
 *
 * const w = await kv.watch({ key: "color" });
 * for await (const e of w) console.log(e.operation, e.revision, e.string());
 *
 * // keys with characters keys cannot hold, stored Base64-encoded (readable by nats.js's codec)
 * const files = await new Kvm(nc).create("files", { codec: { key: Base64KeyCodec(), value: NoopKvCodecs().value } });
 * await files.put("docs/read me.txt", "hello");
 * ```
 *
 * @module
 */
export { Kvm } from "./kvm.ts";
export { Bucket, type KV } from "./bucket.ts";
export { Base64KeyCodec, NoopKvCodecs } from "./codec.ts";
export { defaultBucketOpts } from "./defaults.ts";
export type { KvCodec, RoKV } from "./shapes.ts";
export { KvWatcher } from "./watch.ts";
export { KvStatusImpl } from "./status.ts";
export { kvStreamConfig } from "./config.ts";
export { operationOf } from "./entry.ts";
export { hasWildcards, validateBucket, validateKey, validateSearchKey } from "./validate.ts";
export {
  BucketExistsError,
  BucketNotFoundError,
  InvalidBucketError,
  InvalidKeyError,
  KeyExistsError,
  MarkersNotEnabledError,
  SlowWatcherError,
  ValueTooLargeError,
  WrongRevisionError,
} from "./errors.ts";
export {
  type KvCodecs,
  type KvDeleteOptions,
  type KvEntry,
  type KvGetOptions,
  type KvHistoryOptions,
  type KvKeyCodec,
  type KvLimits,
  type KvOpenOptions,
  type KvOperation,
  type KvOptions,
  type KvPayloadCodec,
  type KvPurgeOptions,
  type KvPutOptions,
  type KvStatus,
  type KvWatchEntry,
  KvWatchInclude,
  type KvWatchOptions,
  MAX_HISTORY,
} from "./types.ts";
