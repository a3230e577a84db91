/**
 * Turns the frame table of one scan into calls on a handler: messages become `MsgImpl` objects
 * (payloads copied out of WASM memory once per scan, shared by the messages of that scan), or, for
 * a target that copies or drops messages at once, raw frames read straight from WASM memory;
 * everything else is passed on as text.
 */
import type { FrameReader } from "./reader.ts";
import {
  F_DATA,
  F_DATA_LEN,
  F_HDR_LEN,
  F_REPLY,
  F_REPLY_LEN,
  F_SID,
  F_SUBJ,
  F_SUBJ_LEN,
  FRAME_WORDS,
  KIND_ERR,
  KIND_HMSG,
  KIND_INFO,
  KIND_MSG,
  KIND_PING,
  KIND_PONG,
  STATUS_WORDS,
} from "./frames.ts";
import { decodeText } from "../encoding.ts";
import { MsgImpl, type Responder } from "../msg.ts";
import { headerStatusCode } from "./header_scan.ts";

/** Scans spanning more than this copy each payload on its own instead of sharing one copy. */
const SHARED_COPY_LIMIT = 1024 * 1024;

/** Where messages go. */
export interface MsgTarget {
  /** Subscription id. */
  readonly sid: number;
  /** The subscribed subject. */
  readonly subject: string;
  /** Its bytes: a message whose subject has the same bytes reuses `subject` instead of decoding. */
  readonly subjectBytes: Uint8Array;
  /**
   * True when the next message for this target would be copied or dropped at once (never kept as
   * given): it is then handed over as a raw frame (`rawFrame`) instead of a `MsgImpl`.
   */
  readonly copiesNow: boolean;
}

/** The owner of the frames: the connection (or a benchmark). */
export interface FrameHandler<T extends MsgTarget> {
  /** True when the walk must stop (the connection was closed or replaced by a callback). */
  readonly halted: boolean;
  /** The target of a message for `sid`, or undefined to drop it. */
  target(sid: number): T | undefined;
  /** A message for `target`; `size` counts headers and payload. */
  msgFrame(target: T, msg: MsgImpl, size: number): void;
  /**
   * A message for a target that `copiesNow`: `size` bytes (headers, `hlen` of them with status
   * `code`, then payload) of `bytes` at `off`, valid only during the call.
   */
  rawFrame(
    target: T,
    bytes: Uint8Array,
    off: number,
    size: number,
    hlen: number,
    code: number,
    subject: string,
    reply: string | undefined,
  ): void;
  /** The server sent PING. */
  pingFrame(): void;
  /** The server sent PONG. */
  pongFrame(): void;
  /** The server sent INFO (the JSON text). */
  infoFrame(text: string): void;
  /** The server sent -ERR (the text). */
  errFrame(text: string): void;
}

function sameBytes(bytes: Uint8Array, off: number, len: number, expected: Uint8Array): boolean {
  if (len !== expected.length) return false;
  for (let i = 0; i < len; i++) if (bytes[off + i] !== expected[i]) return false;
  return true;
}

/**
 * Scans everything read so far and dispatches every complete frame. Throws the reader's
 * `ProtocolError` after dispatching the frames before the bad bytes.
 */
export function walkFrames<T extends MsgTarget>(reader: FrameReader, h: FrameHandler<T>, responder: Responder): void {
  for (;;) {
    const from = reader.start;
    const n = reader.scan();
    const to = reader.start;
    const table = reader.table;
    const bytes = reader.bytes;
    const base = reader.readBase;
    const shared = to - from <= SHARED_COPY_LIMIT;
    let batch: ArrayBuffer | undefined;
    for (let i = 0, o = STATUS_WORDS; i < n; i++, o += FRAME_WORDS) {
      const kind = table[o];
      if (kind === KIND_MSG || kind === KIND_HMSG) {
        const target = h.target(table[o + F_SID]);
        if (target === undefined) continue;
        const off = base + table[o + F_DATA];
        const len = table[o + F_DATA_LEN];
        // The subject on the wire can differ from the subscribed one (wildcards, and JetStream
        // deliveries to an exact inbox carry the stream subject): reuse the string only on a match.
        const so = base + table[o + F_SUBJ];
        const sl = table[o + F_SUBJ_LEN];
        const subject = sameBytes(bytes, so, sl, target.subjectBytes) ? target.subject : decodeText(bytes, so, sl);
        const rlen = table[o + F_REPLY_LEN];
        const reply = rlen > 0 ? decodeText(bytes, base + table[o + F_REPLY], rlen) : undefined;
        const hlen = kind === KIND_HMSG ? table[o + F_HDR_LEN] : 0;
        const code = hlen > 0 ? headerStatusCode(bytes, off, hlen) : 0;
        if (target.copiesNow) {
          h.rawFrame(target, bytes, off, len, hlen, code, subject, reply);
        } else {
          let buf: ArrayBuffer;
          let bufOff: number;
          if (shared) {
            batch ??= bytes.slice(base + from, base + to).buffer;
            buf = batch;
            bufOff = off - base - from;
          } else {
            buf = bytes.slice(off, off + len).buffer;
            bufOff = 0;
          }
          h.msgFrame(target, new MsgImpl(subject, target.sid, reply, responder, buf, bufOff, len, hlen, code), len);
        }
      } else if (kind === KIND_PING) {
        h.pingFrame();
      } else if (kind === KIND_PONG) {
        h.pongFrame();
      } else if (kind === KIND_INFO) {
        h.infoFrame(decodeText(bytes, base + table[o + F_SUBJ], table[o + F_SUBJ_LEN]));
      } else if (kind === KIND_ERR) {
        h.errFrame(decodeText(bytes, base + table[o + F_SUBJ], table[o + F_SUBJ_LEN]));
      }
      if (h.halted) return;
    }
    if (n < reader.maxFrames) break;
  }
  const err = reader.pendingError();
  if (err) throw err;
}
