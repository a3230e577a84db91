/**
 * The parser alone, on a byte stream recorded from the bench server (MSG or HMSG frames, sid 1),
 * fed in 64 KiB chunks as socket reads would deliver it.
 *
 * - ours: `FrameReader` (WASM scanner). Each chunk is copied into `readTarget()` (the socket read
 *   does that copy in real life), committed, then scanned; frames are walked exactly as
 *   `Connection.#processFrames` does: subscription lookup, reply decode, `MsgImpl` with a payload
 *   copy, header scan for HMSG.
 * - official: nats.js `Parser` from `@nats-io/nats-core/internal`. Each chunk is copied into a fresh
 *   buffer first (its transports hand the parser a new buffer per read), and its dispatcher does what
 *   `ProtocolHandler.processMsg` does for a callback subscription: lookup, then `new MsgImpl`.
 * Both count messages and sum payload lengths so no work can be optimised away.
 */
import { FrameReader } from "../../src/protocol/reader.ts";
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
  KIND_HMSG,
  KIND_MSG,
  STATUS_WORDS,
} from "../../src/protocol/frames.ts";
import { MsgImpl as OursMsg } from "../../src/msg.ts";
import { decodeText } from "../../src/encoding.ts";
import { Kind, MsgImpl as OfficialMsg, Parser, type ParserEvent } from "@nats-io/nats-core/internal";
import type { Publisher } from "@nats-io/nats-core/internal";
import { RawConn } from "../raw.ts";
import { type BenchContext, type ClientKind, metric, type RunResult, type Scenario } from "../types.ts";
import { payload } from "../util.ts";

const CHUNK = 64 * 1024;
/** Largest stream recorded; longer runs replay it. */
const RECORD_BYTES = 16 * 1024 * 1024;
const HEADERS = new TextEncoder().encode("NATS/1.0\r\nX-Bench: 1\r\nContent-Type: text/plain\r\n\r\n");

interface Recording {
  bytes: Uint8Array;
  frames: number;
}

const recordings = new Map<string, Promise<Recording>>();

function recording(ctx: BenchContext, key: string, size: number, headers: boolean): Promise<Recording> {
  let r = recordings.get(key);
  if (!r) {
    r = (async () => {
      const subject = "bench.parse.stream";
      const frameLen = `MSG ${subject} 1 ${size}\r\n`.length + size + 2 + (headers ? HEADERS.length + 8 : 0);
      const frames = Math.max(1, Math.floor(RECORD_BYTES / frameLen));
      const raw = await RawConn.open(ctx.url);
      try {
        const bytes = await raw.record(subject, payload(size), frames, headers ? HEADERS : undefined);
        return { bytes, frames };
      } finally {
        raw.close();
      }
    })();
    recordings.set(key, r);
  }
  return r;
}

const responder = { publish(): void {} };
interface SubLike {
  subject: string;
  wildcard: boolean;
  sid: number;
}

function parseOurs(rec: Recording, replays: number): { msgs: number; bytes: number } {
  const reader = new FrameReader();
  reader.maxPayload = 1024 * 1024;
  const subs = new Map<number, SubLike>([[1, { subject: "bench.parse.stream", wildcard: false, sid: 1 }]]);
  let msgs = 0;
  let sum = 0;
  const stream = rec.bytes;
  for (let r = 0; r < replays; r++) {
    for (let off = 0; off < stream.length; off += CHUNK) {
      const chunk = stream.subarray(off, Math.min(off + CHUNK, stream.length));
      let p = 0;
      while (p < chunk.length) {
        const target = reader.readTarget();
        const k = Math.min(target.length, chunk.length - p);
        target.set(chunk.subarray(p, p + k));
        reader.commit(k);
        p += k;
        for (;;) {
          const n = reader.scan();
          const table = reader.table;
          const bytes = reader.bytes;
          const base = reader.readBase;
          for (let i = 0, o = STATUS_WORDS; i < n; i++, o += FRAME_WORDS) {
            const kind = table[o];
            if (kind !== KIND_MSG && kind !== KIND_HMSG) continue;
            msgs++;
            const sub = subs.get(table[o + F_SID]);
            if (sub === undefined) continue;
            const doff = base + table[o + F_DATA];
            const len = table[o + F_DATA_LEN];
            const subject = sub.wildcard ? decodeText(bytes, base + table[o + F_SUBJ], table[o + F_SUBJ_LEN]) : sub.subject;
            const rlen = table[o + F_REPLY_LEN];
            const reply = rlen > 0 ? decodeText(bytes, base + table[o + F_REPLY], rlen) : undefined;
            let msg: OursMsg;
            if (kind === KIND_MSG) {
              msg = new OursMsg(subject, sub.sid, reply, bytes.slice(doff, doff + len), responder);
            } else {
              const hlen = table[o + F_HDR_LEN];
              const all = bytes.slice(doff, doff + len);
              const scanned = reader.scanHeaders(doff, hlen);
              msg = new OursMsg(subject, sub.sid, reply, all.subarray(hlen), responder, all.subarray(0, hlen), scanned);
            }
            sum += msg.data.length;
          }
          if (n < reader.maxFrames) break;
        }
        const err = reader.pendingError();
        if (err) throw err;
      }
    }
  }
  return { msgs, bytes: sum };
}

function parseOfficial(rec: Recording, replays: number): { msgs: number; bytes: number } {
  let msgs = 0;
  let sum = 0;
  const subs = new Map<number, { received: number }>([[1, { received: 0 }]]);
  const publisher = { publish(): void {} } as unknown as Publisher;
  const parser = new Parser({
    push(e: ParserEvent | (() => void)): void {
      if (typeof e === "function" || e.kind !== Kind.MSG) return;
      msgs++;
      const sub = subs.get(e.msg!.sid);
      if (sub === undefined) return;
      sub.received++;
      const m = new OfficialMsg(e.msg!, e.data!, publisher);
      sum += m.data.length;
    },
  });
  const stream = rec.bytes;
  for (let r = 0; r < replays; r++) {
    for (let off = 0; off < stream.length; off += CHUNK) {
      const end = Math.min(off + CHUNK, stream.length);
      const buf = new Uint8Array(end - off);
      buf.set(stream.subarray(off, end));
      parser.parse(buf);
    }
  }
  return { msgs, bytes: sum };
}

function parse(name: string, size: number, headers: boolean, full: number): Scenario {
  return {
    name,
    async run(client: ClientKind, ctx: BenchContext): Promise<RunResult> {
      const rec = await recording(ctx, name, size, headers);
      const want = ctx.n(full);
      const replays = Math.max(1, Math.round(want / rec.frames));
      const fn = client === "ours" ? parseOurs : parseOfficial;
      fn(rec, 1); // warm-up: one pass over the recording
      const start = performance.now();
      const got = fn(rec, replays);
      const ms = performance.now() - start;
      const frames = rec.frames * replays;
      if (got.msgs !== frames) throw new Error(`${client} parsed ${got.msgs} of ${frames} frames`);
      const streamBytes = rec.bytes.length * replays;
      return {
        metrics: [
          metric("msgs/s", (frames * 1000) / ms, "msgs/s", "higher"),
          metric("stream GB/s", streamBytes / 1e6 / ms, "GB/s", "higher"),
        ],
        extra: { frames, streamBytes, payloadBytes: got.bytes, ms },
      };
    },
  };
}

/** parse-16, parse-128, parse-1024, parse-h128 (HMSG with a two-field header block). */
export const scenarios: Scenario[] = [
  parse("parse-16", 16, false, 4_000_000),
  parse("parse-128", 128, false, 4_000_000),
  parse("parse-1024", 1024, false, 1_000_000),
  parse("parse-h128", 128, true, 2_000_000),
];
