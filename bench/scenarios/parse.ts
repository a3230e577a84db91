/**
 * The parser alone, on a byte stream recorded from the bench server (MSG or HMSG frames, sid 1),
 * fed in 64 KiB chunks as socket reads would deliver it.
 *
 * - ours: `FrameReader` (WASM scanner). Each chunk is copied into `readTarget()` (the socket read
 *   does that copy in real life), committed, then handed to `walkFrames` (src/protocol/frame_walk.ts),
 *   the same walk `Connection` uses, with a handler that looks the sid up in a map and counts:
 *   subject/reply decode, one payload copy per scan, `MsgImpl`, header scan for HMSG.
 * - official: nats.js `Parser` from `@nats-io/nats-core/internal`. Each chunk is copied into a fresh
 *   buffer first (its transports hand the parser a new buffer per read), and its dispatcher does what
 *   `ProtocolHandler.processMsg` does for a callback subscription: lookup, then `new MsgImpl`.
 * Both count messages and sum payload lengths so no work can be optimised away.
 */
import { FrameReader } from "../../src/protocol/reader.ts";
import { type FrameHandler, type MsgTarget, walkFrames } from "../../src/protocol/frame_walk.ts";
import type { MsgImpl } from "../../src/msg.ts";
import { Kind, MsgImpl as OfficialMsg, Parser, type ParserEvent } from "@nats-io/nats-core/internal";
import type { Publisher } from "@nats-io/nats-core/internal";
import { RawConn } from "../raw.ts";
import { type BenchContext, type ClientKind, metric, type RunResult, type Scenario } from "../types.ts";
import { payload } from "../util.ts";

const CHUNK = 64 * 1024;
/** Largest stream recorded; longer runs replay it. */
const RECORD_BYTES = 16 * 1024 * 1024;
const HEADERS = new TextEncoder().encode("NATS/1.0\r\nX-Bench: 1\r\nContent-Type: text/plain\r\n\r\n");

export interface Recording {
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
      // Closing the socket makes a stuck recording fail instead of hanging the whole run.
      const guard = setTimeout(() => raw.close(), 120_000);
      try {
        const bytes = await raw.record(subject, payload(size), frames, headers ? HEADERS : undefined);
        return { bytes, frames };
      } finally {
        clearTimeout(guard);
        raw.close();
      }
    })();
    recordings.set(key, r);
  }
  return r;
}

/** Stands in for the connection when a parsed message is built. */
const responder = { publish(): void {} };

interface BenchSub extends MsgTarget {
  received: number;
}

/** The connection's side of `walkFrames`, reduced to a subscription table and counters. */
class CountingHandler implements FrameHandler<BenchSub> {
  readonly halted = false;
  readonly subs = new Map<number, BenchSub>([
    [1, {
      sid: 1,
      subject: "bench.parse.stream",
      subjectBytes: new TextEncoder().encode("bench.parse.stream"),
      // measured as for a callback subscriber: messages share one copy per scan
      copiesNow: false,
      received: 0,
    }],
  ]);
  msgs = 0;
  bytes = 0;

  target(sid: number): BenchSub | undefined {
    return this.subs.get(sid);
  }

  msgFrame(target: BenchSub, msg: MsgImpl): void {
    this.msgs++;
    target.received++;
    this.bytes += msg.data.length;
  }

  rawFrame(target: BenchSub, _bytes: Uint8Array, _off: number, size: number, hlen: number): void {
    this.msgs++;
    target.received++;
    this.bytes += size - hlen;
  }

  pingFrame(): void {}
  pongFrame(): void {}
  infoFrame(): void {}
  errFrame(): void {}
}

/** Feeds the recording `replays` times through a `FrameReader` + `walkFrames`, as the connection does. */
export function parseOurs(rec: Recording, replays: number): { msgs: number; bytes: number } {
  const reader = new FrameReader();
  reader.maxPayload = 1024 * 1024;
  const handler = new CountingHandler();
  const stream = rec.bytes;
  for (let r = 0; r < replays; r++) {
    for (let off = 0; off < stream.length; off += CHUNK) {
      const chunk = stream.subarray(off, Math.min(off + CHUNK, stream.length));
      let p = 0;
      while (p < chunk.length) {
        // As a socket read would: fill what readTarget() offers, commit, walk the frames.
        const target = reader.readTarget();
        const k = Math.min(target.length, chunk.length - p);
        target.set(chunk.subarray(p, p + k));
        reader.commit(k);
        p += k;
        walkFrames(reader, handler, responder);
      }
    }
  }
  return { msgs: handler.msgs, bytes: handler.bytes };
}

/** Feeds the recording `replays` times through nats.js's `Parser` (a fresh buffer per chunk). */
export function parseOfficial(rec: Recording, replays: number): { msgs: number; bytes: number } {
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
