/**
 * Naming and encoding rules of ADR-20: stream and subject names, the URL-safe base64 object name
 * encoding, the digest format and the info JSON.
 *
 * @module
 */
import { headers, type MsgHdrs } from "../src/core.ts";
import { InvalidBucketNameError, InvalidObjectNameError } from "./errors.ts";
import type { ObjectInfo, ServerObjectInfo } from "./types.ts";

/** The stream name prefix of object store buckets. */
export const OBJ_STREAM_PREFIX = "OBJ_";
/** The digest algorithm prefix. */
export const DIGEST_PREFIX = "SHA-256=";
/** Default chunk size: 128 KiB. */
export const DEFAULT_CHUNK_SIZE = 128 * 1024;

const BUCKET_RE = /^[-\w]+$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Throws {@link InvalidBucketNameError} unless `bucket` is 1 or more of `A-Z a-z 0-9 _ -`.
 *
 * @example
 * ```ts
 * import { validateBucket } from "./codec.ts";
 * validateBucket("my-files");
 * ```
 */
export function validateBucket(bucket: string): void {
  if (typeof bucket !== "string" || !BUCKET_RE.test(bucket)) throw new InvalidBucketNameError(String(bucket));
}

/**
 * Throws {@link InvalidObjectNameError} when `name` is empty.
 *
 * @example
 * ```ts
 * import { validateObjectName } from "./codec.ts";
 * validateObjectName("reports/2024.pdf");
 * ```
 */
export function validateObjectName(name: string): void {
  if (typeof name !== "string" || name.length === 0) throw new InvalidObjectNameError(String(name ?? ""));
}

/**
 * URL-safe base64 with `=` padding (Go's `base64.URLEncoding`), as used for names and digests.
 *
 * @example
 * ```ts
 * import { base64UrlPadded } from "./codec.ts";
 * console.log(base64UrlPadded(new TextEncoder().encode("a?"))); // "YT8="
 * ```
 */
export function base64UrlPadded(data: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < data.length; i += 0x8000) {
    bin += String.fromCharCode(...data.subarray(i, i + 0x8000));
  }
  return btoa(bin).replaceAll("+", "-").replaceAll("/", "_");
}

/**
 * The `SHA-256=<base64url>` form of a digest.
 *
 * @example
 * ```ts
 * import { formatDigest } from "./codec.ts";
 * console.log(formatDigest(new Uint8Array(32)).startsWith("SHA-256="));
 * ```
 */
export function formatDigest(sha256: Uint8Array): string {
  return DIGEST_PREFIX + base64UrlPadded(sha256);
}

/**
 * The subjects of a bucket.
 *
 * @example
 * ```ts
 * import { subjects } from "./codec.ts";
 * console.log(subjects("files").meta("a")); // "$O.files.M.YQ=="
 * ```
 */
export function subjects(bucket: string): {
  stream: string;
  allChunks: string;
  allMeta: string;
  chunks: (nuid: string) => string;
  meta: (name: string) => string;
} {
  return {
    stream: OBJ_STREAM_PREFIX + bucket,
    allChunks: `$O.${bucket}.C.>`,
    allMeta: `$O.${bucket}.M.>`,
    chunks: (nuid) => `$O.${bucket}.C.${nuid}`,
    meta: (name) => `$O.${bucket}.M.${base64UrlPadded(encoder.encode(name))}`,
  };
}

/**
 * Headers as stored in the info JSON (`{name: [values]}`); undefined when there are none.
 *
 * @example
 * ```ts
 * import { headers } from "../src/core.ts";
 * import { headersToJson } from "./codec.ts";
 * const h = headers();
 * h.append("Content-Type", "text/plain");
 * console.log(headersToJson(h)); // { "Content-Type": ["text/plain"] }
 * ```
 */
export function headersToJson(h: MsgHdrs | undefined): Record<string, string[]> | undefined {
  if (!h) return undefined;
  const out: Record<string, string[]> = {};
  let any = false;
  for (const [k, vs] of h) {
    out[k] = [...vs];
    any = true;
  }
  return any ? out : undefined;
}

/**
 * The wire form of `info` (`mtime` is the time of writing; readers use the store time).
 *
 * @example
 * ```ts ignore
 * await js.publish(subjects("files").meta(info.name), infoToJson(info), { headers: rollup });
 * ```
 */
export function infoToJson(info: ObjectInfo): Uint8Array {
  const wire: ServerObjectInfo = {
    name: info.name,
    description: info.description || undefined,
    headers: headersToJson(info.headers),
    options: info.options,
    metadata: info.metadata && Object.keys(info.metadata).length ? info.metadata : undefined,
    bucket: info.bucket,
    nuid: info.nuid,
    size: info.size,
    chunks: info.chunks,
    digest: info.digest,
    deleted: info.deleted || undefined,
    mtime: info.mtime,
  };
  return encoder.encode(JSON.stringify(wire));
}

/**
 * Builds an {@link ObjectInfo} from an info message's payload, its stream sequence (the revision)
 * and its store time (the mtime).
 *
 * @example
 * ```ts
 * import { parseInfo } from "./codec.ts";
 * const body = new TextEncoder().encode('{"name":"a","bucket":"b","nuid":"n","size":1,"chunks":1}');
 * console.log(parseInfo(body, 7, "2024-01-01T00:00:00Z").revision); // 7
 * ```
 */
export function parseInfo(data: Uint8Array, seq: number, mtime: string): ObjectInfo {
  const w = JSON.parse(decoder.decode(data)) as ServerObjectInfo;
  const info: ObjectInfo = {
    name: w.name,
    bucket: w.bucket,
    nuid: w.nuid,
    size: w.size ?? 0,
    chunks: w.chunks ?? 0,
    digest: w.digest ?? "",
    deleted: w.deleted === true,
    mtime,
    revision: seq,
  };
  if (w.description) info.description = w.description;
  if (w.options && (w.options.link || w.options.max_chunk_size)) info.options = w.options;
  if (w.metadata) info.metadata = w.metadata;
  if (w.headers) {
    const h = headers();
    for (const [k, vs] of Object.entries(w.headers)) for (const v of vs) h.append(k, v);
    info.headers = h;
  }
  return info;
}
