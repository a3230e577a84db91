/**
 * Feeds a byte stream to the real read path, as the connection does: `FrameReader.readTarget()`,
 * `commit()`, then `walkFrames` with a handler that records every frame. INFO and -ERR texts also
 * go through `parseInfo` and `errorFromServer`; what they do wrong is reported, not thrown.
 */
import { FrameReader } from "../../src/protocol/reader.ts";
import { type FrameHandler, type MsgTarget, walkFrames } from "../../src/protocol/frame_walk.ts";
import { MsgImpl } from "../../src/msg.ts";
import { parseInfo } from "../../src/connection/info.ts";
import { errorFromServer, NatsError, ProtocolError } from "../../src/errors.ts";
import type { Frame } from "./frame.ts";
import { infoProblem } from "./info_spec.ts";

/** The outcome of one {@link drive}. */
export interface DriveResult {
  /** Frames dispatched, in order. */
  frames: Frame[];
  /** The ProtocolError the walk threw, if any. */
  error?: ProtocolError;
  /** Anything else that was thrown or went wrong (a fuzz failure). */
  problem?: string;
  /** Largest WebAssembly memory the reader held. */
  memoryBytes: number;
  /** The reader's documented ceiling for its max payload. */
  ceiling: number;
}

/** Subject the recording targets claim, so the walk's subject reuse is exercised too. */
const TARGET_SUBJECT = "foo";
const TARGET_BYTES = new TextEncoder().encode(TARGET_SUBJECT);
const responder = { publish(): void {} };

class Recorder implements FrameHandler<MsgTarget> {
  readonly halted = false;
  readonly frames: Frame[] = [];
  problem: string | undefined;

  target(sid: number): MsgTarget {
    // odd sids take the raw-frame path (as a subscription whose queue copies messages)
    return { sid, subject: TARGET_SUBJECT, subjectBytes: TARGET_BYTES, copiesNow: sid % 2 === 1 };
  }

  rawFrame(
    target: MsgTarget,
    bytes: Uint8Array,
    off: number,
    size: number,
    hlen: number,
    code: number,
    subject: string,
    reply: string | undefined,
  ): void {
    const copy = bytes.slice(off, off + size).buffer;
    this.msgFrame(target, new MsgImpl(subject, target.sid, reply, responder, copy, 0, size, hlen, code), size);
  }

  msgFrame(_target: MsgTarget, msg: MsgImpl, size: number): void {
    const payload = msg.data.slice();
    const headers = msg.headers;
    if (headers) { for (const _entry of headers) { /* decodes every field */ } }
    this.frames.push({
      op: "msg",
      subject: msg.subject,
      sid: msg.sid,
      reply: msg.reply,
      hdrLen: size - payload.length,
      payload,
      status: msg.statusCode,
    });
  }

  pingFrame(): void {
    this.frames.push({ op: "ping" });
  }

  pongFrame(): void {
    this.frames.push({ op: "pong" });
  }

  infoFrame(text: string): void {
    this.frames.push({ op: "info", text });
    try {
      const problem = infoProblem(parseInfo(text));
      if (problem) this.problem ??= `parseInfo accepted a bad INFO: ${problem}`;
    } catch (err) {
      if (!(err instanceof ProtocolError)) this.problem ??= `parseInfo threw ${describeError(err)}`;
    }
  }

  errFrame(text: string): void {
    this.frames.push({ op: "err", text });
    this.problem ??= errProblem(text);
  }
}

/** What is wrong with `errorFromServer(text)`, or undefined. */
export function errProblem(text: string): string | undefined {
  try {
    const err = errorFromServer(text);
    if (!(err instanceof NatsError)) return `errorFromServer returned ${String(err)}`;
    if (typeof err.message !== "string") return "errorFromServer gave no message";
  } catch (err) {
    return `errorFromServer threw ${describeError(err)}`;
  }
  return undefined;
}

/** Names an unexpected exception. */
export function describeError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/**
 * Feeds `bytes` cut into pieces at the offsets `cuts` (ascending, inside the stream) through a
 * new reader whose `maxPayload` is `maxPayload`, walking the frames after every piece. Stops at
 * the first ProtocolError, as the connection does.
 */
export function drive(bytes: Uint8Array, cuts: number[], maxPayload: number): DriveResult {
  const reader = new FrameReader();
  reader.maxPayload = maxPayload;
  const rec = new Recorder();
  let memoryBytes = reader.memoryBytes;
  const result = (extra: Partial<DriveResult>): DriveResult => ({
    frames: rec.frames,
    memoryBytes,
    ceiling: reader.memoryCeiling,
    problem: rec.problem,
    ...extra,
  });
  let from = 0;
  for (const to of [...cuts, bytes.length]) {
    let off = from;
    while (off < to) {
      try {
        const target = reader.readTarget();
        const n = Math.min(target.length, to - off);
        target.set(bytes.subarray(off, off + n));
        off += n;
        reader.commit(n);
        memoryBytes = Math.max(memoryBytes, reader.memoryBytes);
        walkFrames(reader, rec, responder);
      } catch (err) {
        if (err instanceof ProtocolError) return result({ error: err });
        return result({ problem: `unexpected exception ${describeError(err)}` });
      }
    }
    from = to;
  }
  return result({});
}
