/**
 * Entries built from stored messages (gets) and consumer messages (watch, history, keys).
 *
 * @module
 */
import type { MsgHdrs } from "../src/core.ts";
import type { JsMsg, StoredMsg } from "../jetstream/mod.ts";
import type { KvEntry, KvOperation, KvWatchEntry } from "./types.ts";

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
  readonly key: string;
  readonly value: Uint8Array;
  readonly created: Date;
  readonly revision: number;
  readonly delta: number;
  readonly operation: KvOperation;
  readonly length: number;
  readonly isUpdate: boolean;

  constructor(
    bucket: string,
    key: string,
    value: Uint8Array,
    created: Date,
    revision: number,
    delta: number,
    h: MsgHdrs | undefined,
    isUpdate: boolean,
  ) {
    this.bucket = bucket;
    this.key = key;
    this.value = value;
    this.created = created;
    this.revision = revision;
    this.delta = delta;
    this.operation = operationOf(h);
    const size = h?.get("Nats-Msg-Size");
    this.length = size ? Number(size) : value.length;
    this.isUpdate = isUpdate;
  }

  string(): string {
    return decoder.decode(this.value);
  }

  json<T = unknown>(): T {
    return JSON.parse(this.string()) as T;
  }
}

/** Builds an entry from a stored message whose subject is `<prefix>.<key>`. */
export function entryFromStored(bucket: string, prefixLen: number, sm: StoredMsg): KvEntry {
  return new Entry(bucket, sm.subject.slice(prefixLen), sm.data, sm.time, sm.seq, 0, sm.header, false);
}

/** Builds a watch entry from a consumer message whose subject is `<prefix>.<key>`. */
export function entryFromJsMsg(bucket: string, prefixLen: number, m: JsMsg, isUpdate: boolean): KvWatchEntry {
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
  );
}
