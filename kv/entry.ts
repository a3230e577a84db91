/**
 * Entries built from stored messages (gets) and consumer messages (watch, history, keys).
 *
 * @module
 */
import type { MsgHdrs, ReviverFn } from "../src/core.ts";
import type { JsMsg, StoredMsg } from "../jetstream/mod.ts";
import { decodeKey } from "./codec.ts";
import type { KvCodecs, KvEntry, KvOperation, KvWatchEntry } from "./types.ts";

/** Header naming the operation of a marker (`DEL` or `PURGE`). */
export const KV_OPERATION = "KV-Operation";

const decoder = new TextDecoder();

/**
 * The operation a message records: `KV-Operation`, else the server's limit-marker reason
 * (ADR-48: `MaxAge`/`Purge` → PURGE, `Remove` → DEL), else PUT.
 *
 * @example
 * ```ts
 * import { headers } from "../src/core.ts";
 * import { operationOf } from "./entry.ts";
 * const h = headers();
 * h.set("Nats-Marker-Reason", "MaxAge");
 * console.log(operationOf(h)); // "PURGE"
 * ```
 */
export function operationOf(h: MsgHdrs | undefined): KvOperation {
  if (!h) return "PUT";
  const op = h.get(KV_OPERATION);
  if (op === "DEL" || op === "PURGE") return op;
  switch (h.get("Nats-Marker-Reason")) {
    case "MaxAge":
    case "Purge":
      return "PURGE";
    case "Remove":
      return "DEL";
  }
  return "PUT";
}

class Entry implements KvWatchEntry {
  readonly bucket: string;
  readonly created: Date;
  readonly revision: number;
  readonly delta: number;
  readonly operation: KvOperation;
  readonly length: number;
  readonly isUpdate: boolean;
  readonly rawKey: string;
  readonly #data: Uint8Array;
  readonly #codecs: KvCodecs | undefined;
  #key: string | undefined;
  #value: Uint8Array | undefined;

  constructor(
    bucket: string,
    rawKey: string,
    data: Uint8Array,
    created: Date,
    revision: number,
    delta: number,
    h: MsgHdrs | undefined,
    isUpdate: boolean,
    codecs: KvCodecs | undefined,
  ) {
    this.bucket = bucket;
    this.rawKey = rawKey;
    this.#data = data;
    this.created = created;
    this.revision = revision;
    this.delta = delta;
    this.operation = operationOf(h);
    const size = h?.get("Nats-Msg-Size");
    this.length = size ? Number(size) : data.length;
    this.isUpdate = isUpdate;
    // markers and metadata-only entries carry no stored value: never hand them to the codec
    this.#codecs = codecs;
    if (this.operation !== "PUT" || size) this.#value = data;
  }

  get key(): string {
    return this.#key ??= this.#codecs ? decodeKey(this.#codecs.key, this.rawKey) : this.rawKey;
  }

  get value(): Uint8Array {
    return this.#value ??= this.#codecs ? this.#codecs.value.decode(this.#data) : this.#data;
  }

  string(): string {
    return decoder.decode(this.value);
  }

  json<T = unknown>(reviver?: ReviverFn): T {
    return JSON.parse(this.string(), reviver) as T;
  }
}

/** Builds an entry from a stored message whose subject is `<prefix>.<key>`, decoded by `codecs`. */
export function entryFromStored(bucket: string, prefixLen: number, sm: StoredMsg, codecs?: KvCodecs): KvEntry {
  return new Entry(bucket, sm.subject.slice(prefixLen), sm.data, sm.time, sm.seq, 0, sm.header, false, codecs);
}

/** Builds a watch entry from a consumer message whose subject is `<prefix>.<key>`, decoded by `codecs`. */
export function entryFromJsMsg(
  bucket: string,
  prefixLen: number,
  m: JsMsg,
  isUpdate: boolean,
  codecs?: KvCodecs,
): KvWatchEntry {
  const i = m.info;
  return new Entry(
    bucket,
    m.subject.slice(prefixLen),
    m.data,
    m.time,
    i.streamSequence,
    i.pending,
    m.headers,
    isUpdate,
    codecs,
  );
}
