/**
 * Messages read back from a stream: by the `STREAM.MSG.GET` API (JSON, base64) or by direct get
 * (the stored message itself with `Nats-*` headers).
 *
 * @module
 */
import { headers, type Msg, type MsgHdrs, parseHeaderBlock, type ReviverFn } from "../src/core.ts";
import { parseNanos } from "./util.ts";

/**
 * A message stored in a stream.
 *
 * @example
 * ```ts ignore
 * const sm = await jsm.streams.getMessage("ORDERS", { last_by_subj: "orders.1" });
 * console.log(sm?.seq, sm?.string());
 * ```
 */
export interface StoredMsg {
  /** The subject it was published to. */
  readonly subject: string;
  /** Its stream sequence. */
  readonly seq: number;
  /** Its headers (the `Nats-*` direct-get headers included). */
  readonly header: MsgHdrs;
  /** The payload. */
  readonly data: Uint8Array;
  /** The store time. */
  readonly time: Date;
  /** The store time as an RFC 3339 string. */
  readonly timestamp: string;
  /** The store time in nanoseconds since the epoch. */
  readonly timestampNanos: bigint;
  /** In a direct-get batch: the sequence of the previous message of the batch (else 0). */
  readonly lastSequence: number;
  /** In a direct-get batch: messages still pending after this one (else -1). */
  readonly pending: number;
  /** The payload as UTF-8. */
  string(): string;
  /** The payload parsed as JSON. */
  json<T = unknown>(reviver?: ReviverFn): T;
}

/** The raw `message` of a `STREAM.MSG.GET` answer. */
export interface ApiStoredMessage {
  /** Subject. */
  subject: string;
  /** Sequence. */
  seq: number;
  /** Base64 headers block. */
  hdrs?: string;
  /** Base64 payload. */
  data?: string;
  /** RFC 3339 time. */
  time: string;
}

const decoder = new TextDecoder();

function fromBase64(s: string | undefined): Uint8Array {
  if (!s) return new Uint8Array(0);
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

class StoredMsgImpl implements StoredMsg {
  readonly subject: string;
  readonly seq: number;
  readonly header: MsgHdrs;
  readonly data: Uint8Array;
  readonly timestamp: string;
  readonly lastSequence: number;
  readonly pending: number;

  constructor(
    subject: string,
    seq: number,
    header: MsgHdrs,
    data: Uint8Array,
    timestamp: string,
    lastSequence: number,
    pending: number,
  ) {
    this.subject = subject;
    this.seq = seq;
    this.header = header;
    this.data = data;
    this.timestamp = timestamp;
    this.lastSequence = lastSequence;
    this.pending = pending;
  }

  get time(): Date {
    return new Date(Date.parse(this.timestamp));
  }

  get timestampNanos(): bigint {
    return parseNanos(this.timestamp);
  }

  string(): string {
    return decoder.decode(this.data);
  }

  json<T = unknown>(reviver?: ReviverFn): T {
    return JSON.parse(this.string(), reviver) as T;
  }
}

/** Builds a {@link StoredMsg} from a `STREAM.MSG.GET` answer. */
export function storedFromApi(m: ApiStoredMessage): StoredMsg {
  const h = m.hdrs ? parseHeaderBlock(fromBase64(m.hdrs)) : headers();
  return new StoredMsgImpl(m.subject, m.seq, h, fromBase64(m.data), m.time, 0, -1);
}

/** Builds a {@link StoredMsg} from a direct-get reply (headers `Nats-Stream`, `Nats-Subject`, …). */
export function storedFromDirect(msg: Msg): StoredMsg {
  const h = msg.headers ?? headers();
  const pending = h.get("Nats-Num-Pending");
  return new StoredMsgImpl(
    h.get("Nats-Subject"),
    Number(h.get("Nats-Sequence")),
    h,
    msg.data,
    h.get("Nats-Time-Stamp"),
    Number(h.get("Nats-Last-Sequence") || 0),
    pending === "" ? -1 : Number(pending),
  );
}
