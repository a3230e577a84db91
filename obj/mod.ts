/**
 * Object store for natsw (ADR-20): large objects stored in chunks in a JetStream stream, sharing
 * buckets with every other NATS client. Names follow the official `@nats-io/obj` package.
 *
 * @example
 * ```ts ignore
 * import { connect } from "@natsw/natsw";
 * import { Objm } from "@natsw/natsw/obj";
 *
 * const nc = await connect({ servers: "127.0.0.1:4222" });
 * const os = await new Objm(nc).create("files");
 * const file = await Deno.open("big.iso");
 * const info = await os.put({ name: "big.iso" }, file.readable);
 * console.log(info.size, info.chunks, info.digest);
 *
 * const r = await os.get("big.iso");
 * if (r) {
 *   await r.data.pipeTo((await Deno.create("copy.iso")).writable);
 *   if (await r.error) throw await r.error; // digest checked at the end
 * }
 * await nc.close();
 * ```
 *
 * @module
 */
export { Objm } from "./objm.ts";
export { type ObjectInfoOptions, ObjectStore } from "./store.ts";
export { ObjectWatcher, type ObjectWatchOptions } from "./watch.ts";
export type { CollectOrphansOptions, OrphanedChunks } from "./orphans.ts";
export { base64UrlPadded, DEFAULT_CHUNK_SIZE, DIGEST_PREFIX, OBJ_STREAM_PREFIX, validateBucket } from "./codec.ts";
export {
  BucketNotFoundError,
  DigestMismatchError,
  InvalidBucketNameError,
  InvalidObjectNameError,
  ObjectExistsError,
  ObjectNotFoundError,
  ObjectSizeMismatchError,
  ObjectStoreSealedError,
} from "./errors.ts";
export type {
  ObjectInfo,
  ObjectResult,
  ObjectStoreLink,
  ObjectStoreMeta,
  ObjectStoreMetaOptions,
  ObjectStoreOptions,
  ObjectStorePutOpts,
  ObjectStoreStatus,
  ObjectWatchInfo,
  ServerObjectInfo,
} from "./types.ts";
export { Sha256 } from "../wasm/sha256.ts";
export { createSha256, type IncrementalHash, type Sha256Implementation, sha256Implementation } from "./hash.ts";
export { getSha256Backend, setSha256Backend, type Sha256Backend } from "./sha256_backend.ts";
export { Base64Codec, Base64UrlCodec, Base64UrlPaddedCodec } from "./base64.ts";
export { type Placement, StorageType } from "../jetstream/mod.ts";
