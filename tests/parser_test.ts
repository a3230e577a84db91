import assert from "node:assert/strict";
import { FrameReader, MAX_CONTROL_LINE, PAYLOAD_SLACK } from "../src/protocol/reader.ts";
import { ProtocolError } from "../mod.ts";
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
  S_RESUME,
  STATUS_WORDS,
} from "../src/protocol/frames.ts";

interface Frame {
  kind: number;
  sid: number;
  subject: string;
  reply: string;
  hdr: number;
  data: string;
}

const td = new TextDecoder("latin1");

/** Feeds `chunks` through a reader and returns the frames, or the protocol error. */
function feed(chunks: Uint8Array[], maxPayload = 1 << 20): { frames: Frame[]; error?: ProtocolError } {
  const r = new FrameReader();
  r.maxPayload = maxPayload;
  const frames: Frame[] = [];
  for (const chunk of chunks) {
    let off = 0;
    while (off < chunk.length) {
      const target = r.readTarget();
      const n = Math.min(target.length, chunk.length - off);
      target.set(chunk.subarray(off, off + n));
      off += n;
      r.commit(n);
      for (;;) {
        const count = r.scan();
        const t = r.table;
        const b = r.bytes;
        const base = r.readBase;
        for (let i = 0, o = STATUS_WORDS; i < count; i++, o += FRAME_WORDS) {
          const d = base + t[o + F_DATA];
          frames.push({
            kind: t[o],
            sid: t[o + F_SID],
            subject: td.decode(b.subarray(base + t[o + F_SUBJ], base + t[o + F_SUBJ] + t[o + F_SUBJ_LEN])),
            reply: td.decode(b.subarray(base + t[o + F_REPLY], base + t[o + F_REPLY] + t[o + F_REPLY_LEN])),
            hdr: t[o + F_HDR_LEN],
            data: td.decode(b.subarray(d, d + t[o + F_DATA_LEN])),
          });
        }
        const err = r.pendingError();
        if (err) return { frames, error: err };
        if (count < r.maxFrames) break;
      }
    }
  }
  return { frames };
}

const enc = new TextEncoder();
const RECORDED = enc.encode(
  'INFO {"server_id":"x","max_payload":1048576,"headers":true}\r\n' +
    "PING\r\n" +
    "MSG foo.bar 1 5\r\nhello\r\n" +
    "MSG foo.bar 12 _INBOX.abc.1 0\r\n\r\n" +
    "msg\tlower\t3\t4\r\nab\r\n\r\n" +
    "HMSG h.x 2 26 31\r\nNATS/1.0\r\nA: b\r\nC:  d \r\n\r\nworld\r\n" +
    "HMSG h.y 2 r.y 16 16\r\nNATS/1.0 503\r\n\r\n\r\n" +
    "+OK\r\n" +
    "pong\r\n" +
    "-ERR 'Permissions Violation for Publish to \"x\"'\r\n" +
    "MSG big 7 300\r\n" + "z".repeat(300) + "\r\n" +
    "PONG\r\n",
);

Deno.test("parser - recorded stream yields every frame with offsets", () => {
  const { frames, error } = feed([RECORDED]);
  assert.equal(error, undefined);
  assert.deepEqual(frames.map((f) => f.kind), [7, 3, 1, 1, 1, 2, 2, 5, 4, 6, 1, 4]);
  assert.equal(frames[0].subject, '{"server_id":"x","max_payload":1048576,"headers":true}');
  assert.deepEqual(frames[2], { kind: 1, sid: 1, subject: "foo.bar", reply: "", hdr: 0, data: "hello" });
  assert.deepEqual(frames[3], { kind: 1, sid: 12, subject: "foo.bar", reply: "_INBOX.abc.1", hdr: 0, data: "" });
  assert.equal(frames[4].subject, "lower");
  assert.equal(frames[4].sid, 3);
  assert.equal(frames[4].reply, "");
  assert.equal(frames[4].data, "ab\r\n");
  assert.equal(frames[5].hdr, 26);
  assert.equal(frames[5].data, "NATS/1.0\r\nA: b\r\nC:  d \r\n\r\nworld");
  assert.equal(frames[6].reply, "r.y");
  assert.equal(frames[9].subject, "'Permissions Violation for Publish to \"x\"'");
  assert.equal(frames[10].data.length, 300);
});

Deno.test("parser - every split point of the recorded stream gives the same frames", () => {
  const whole = feed([RECORDED]).frames;
  for (let k = 0; k <= RECORDED.length; k++) {
    const { frames, error } = feed([RECORDED.subarray(0, k), RECORDED.subarray(k)]);
    assert.equal(error, undefined, `split at ${k}`);
    assert.deepEqual(frames, whole, `split at ${k}`);
  }
  // byte by byte
  const bytes = Array.from(RECORDED, (_, i) => RECORDED.subarray(i, i + 1));
  assert.deepEqual(feed(bytes).frames, whole);
});

/** A small seeded PRNG (xorshift32) so failures can be replayed. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

Deno.test("parser - random three-way splits of a long stream (seeded)", () => {
  const parts: string[] = [];
  const rand = rng(42);
  for (let i = 0; i < 400; i++) {
    const n = Math.floor(rand() * 2000);
    parts.push(
      i % 3 === 0
        ? `HMSG s.${i} ${i} 12 ${12 + n}\r\nNATS/1.0\r\n\r\n${"p".repeat(n)}\r\n`
        : `MSG s.${i} ${i} ${n}\r\n${"q".repeat(n)}\r\n`,
    );
  }
  const stream = enc.encode(parts.join(""));
  const whole = feed([stream]).frames;
  assert.equal(whole.length, 400);
  for (let c = 0; c < 300; c++) {
    const a = Math.floor(rand() * stream.length);
    const b = a + Math.floor(rand() * (stream.length - a));
    const { frames, error } = feed([stream.subarray(0, a), stream.subarray(a, b), stream.subarray(b)]);
    assert.equal(error, undefined);
    assert.equal(frames.length, whole.length, `case ${c} (${a}, ${b})`);
    assert.deepEqual(frames, whole, `case ${c} (${a}, ${b})`);
  }
});

Deno.test("parser - bad bytes give a clear protocol error", () => {
  const cases: [string, RegExp, number?][] = [
    ["FOO bar\r\n", /unknown protocol operation/],
    ["MSGX a 1 2\r\n", /unknown protocol operation/],
    ["MSG a x 2\r\nab\r\n", /invalid number/],
    ["MSG a 1 -2\r\nab\r\n", /invalid number/],
    ["MSG a 1 99999999999\r\n", /invalid number/],
    ["MSG a\r\n", /wrong number of arguments/],
    ["MSG a 1 2 3 4\r\n", /wrong number of arguments/],
    ["HMSG a 1 10 5\r\n", /invalid number/],
    ["MSG a 1 3\r\nabcXY", /missing CRLF/],
    ["MSG a 1 3\nabc\r\n", /missing CRLF/],
    ["PINGX\r\n", /unknown protocol operation/],
    ["MSG a 1 200000\r\n", /larger than the allowed payload/, 100],
    // the case bit of '+' and '-' makes control characters, not +OK / -ERR
    ["\x0bOK\r\n", /unknown protocol operation/],
    ["\rERR 'x'\r\n", /unknown protocol operation/],
    ["INFO {}x\r\n", /INFO is not a JSON object/],
    ["INFO\r\n", /INFO is not a JSON object/],
  ];
  for (const [text, re, max] of cases) {
    const { error, frames } = feed([enc.encode("PING\r\n" + text)], max ?? 1 << 20);
    assert.ok(error instanceof ProtocolError, `'${JSON.stringify(text)}' gives a ProtocolError`);
    assert.match(error.message, re, JSON.stringify(text));
    assert.equal(frames.length, 1, "frames before the bad bytes are still reported");
  }
});

Deno.test("parser - a control line that never ends is an error, not unbounded memory", () => {
  const junk = new Uint8Array(4 * 1024 * 1024).fill(0x41); // "AAAA…" with no CRLF
  const { error } = feed([enc.encode("MSG "), junk]);
  assert.ok(error instanceof ProtocolError);
  assert.match(error.message, /control line too long/);
});

Deno.test("parser - seeded random garbage never hangs or crashes and stays bounded", () => {
  const rand = rng(7);
  const alphabet = enc.encode("MSGHPINOKERF+- \t\r\n0123456789abc.*>");
  let errors = 0;
  for (let c = 0; c < 3000; c++) {
    const len = 1 + Math.floor(rand() * 300);
    const buf = new Uint8Array(len);
    for (let i = 0; i < len; i++) {
      buf[i] = rand() < 0.8 ? alphabet[Math.floor(rand() * alphabet.length)] : Math.floor(rand() * 256);
    }
    const cut = Math.floor(rand() * len);
    const r = feed([buf.subarray(0, cut), buf.subarray(cut)], 4096);
    if (r.error) errors++;
    for (const f of r.frames) assert.ok(f.kind >= 1 && f.kind <= 7);
  }
  assert.ok(errors > 2000, `most garbage is rejected (${errors} of 3000)`);
});

Deno.test("parser - a reader that grew for a large frame gives the memory back once reads are small again", () => {
  const r = new FrameReader();
  r.maxPayload = 8 << 20;
  const enc = new TextEncoder();
  const initial = r.memoryBytes;
  /** Writes `bytes` through readTarget/commit and returns the payload lengths of the frames scanned. */
  const pass = (bytes: Uint8Array): number[] => {
    const lens: number[] = [];
    let off = 0;
    while (off < bytes.length) {
      const target = r.readTarget();
      const n = Math.min(target.length, bytes.length - off);
      target.set(bytes.subarray(off, off + n));
      off += n;
      r.commit(n);
      const count = r.scan();
      for (let i = 0, o = STATUS_WORDS; i < count; i++, o += FRAME_WORDS) lens.push(r.table[o + F_DATA_LEN]);
    }
    return lens;
  };
  const big = 6 << 20;
  const frame = new Uint8Array(32 + big);
  const head = enc.encode(`MSG big 1 ${big}\r\n`);
  frame.set(head);
  frame.fill(0x61, head.length, head.length + big);
  frame.set(enc.encode("\r\n"), head.length + big);
  assert.deepEqual(pass(frame.subarray(0, head.length + big + 2)), [big]);
  const grown = r.memoryBytes;
  assert.ok(grown > big, `grew to ${grown}`);
  const small = enc.encode("MSG s 1 5\r\nhello\r\n");
  // idle-ish traffic: the oversized memory is dropped after a run of small reads
  for (let i = 0; i < 300; i++) assert.deepEqual(pass(small), [5]);
  assert.ok(r.memoryBytes < grown, `still ${r.memoryBytes}`);
  assert.equal(r.memoryBytes, initial);
  // and it grows again when needed
  assert.deepEqual(pass(frame.subarray(0, head.length + big + 2)), [big]);
  assert.ok(r.memoryBytes > big);
});

Deno.test("parser - a stream is rejected at the first byte that proves it invalid, before any CRLF", () => {
  const bad: [string, RegExp][] = [
    ["\0", /unknown protocol operation/],
    ["\0".repeat(4096), /unknown protocol operation/],
    ["PUB foo 1", /unknown protocol operation/],
    ["PINGX", /unknown protocol operation/],
    ["PING\r\r", /unknown protocol operation/],
    ["+OKX", /unknown protocol operation/],
    ["-ERRx", /unknown protocol operation/],
    ["-ERR\rx", /unknown protocol operation/],
    ["MSGX", /unknown protocol operation/],
    ["MSG a 1x", /invalid number/],
    ["MSG a 99999999999", /invalid number/],
    ["MSG a 2147483648 ", /invalid number/],
    ["MSG a 1 r 5x", /invalid number/],
    ["MSG a 1 r 5 6", /wrong number of arguments/],
    ["HMSG a 1 r 2 3 4", /wrong number of arguments/],
    ["HMSG a 1 2 x", /invalid number/],
    ["INFO x", /INFO is not a JSON object/],
    ["INFO  [", /INFO is not a JSON object/],
    ["INFOx", /unknown protocol operation/],
    ["MSG a 1 3\r\nabcX", /missing CRLF/],
  ];
  for (const [text, re] of bad) {
    const { error, frames } = feed([enc.encode("PING\r\n" + text)]);
    assert.ok(error instanceof ProtocolError, `${JSON.stringify(text)} is rejected before its line ends`);
    assert.match(error.message, re, JSON.stringify(text));
    assert.equal(frames.length, 1);
  }
  // prefixes of valid lines wait for more bytes
  const waiting = [
    "M",
    "MSG",
    "MSG ",
    "MSG a 1",
    "MSG a 1 r 5",
    "MSG a 1 3\r",
    "MSG a 1 3\r\nabc\r",
    "HMSG a 1 r 2 3",
    "I",
    "INFO",
    "INFO \t ",
    "INFO {",
    "-ERR",
    "-ERR\r",
    "-ERR 'x",
    "PING\r",
    "P",
    "+OK\r",
    "msg a\r 1 2",
  ];
  for (const text of waiting) {
    const { error, frames } = feed([enc.encode("PING\r\n" + text)]);
    assert.equal(error, undefined, `${JSON.stringify(text)} can still become valid`);
    assert.equal(frames.length, 1);
  }
});

Deno.test("parser - a control line arriving in tiny reads is checked once per byte, not once per read", () => {
  const r = new FrameReader();
  r.maxPayload = 1 << 20;
  const subject = "s".repeat(MAX_CONTROL_LINE - 64);
  const stream = enc.encode(`MSG ${subject} 7 5\r\nhello\r\n`);
  const deadline = Date.now() + 60_000;
  let frames = 0;
  for (let off = 0; off < stream.length; off += 16) {
    const piece = stream.subarray(off, Math.min(off + 16, stream.length));
    const target = r.readTarget();
    target.set(piece);
    r.commit(piece.length);
    frames += r.scan();
    assert.equal(r.pendingError(), undefined);
    if (frames === 0 && r.end < `MSG ${subject} 7 5\r\n`.length) {
      // the scan remembers how much of the unfinished line it checked (a trailing CR waits for its LF)
      const checked = stream[r.end - 1] === 0x0d ? r.end - 1 : r.end;
      assert.equal(r.table[S_RESUME], checked, `after ${r.end} bytes`);
    }
    assert.ok(Date.now() < deadline, "bounded time");
  }
  assert.equal(frames, 1);
});

Deno.test("parser - the reader never grows past its documented memory ceiling", () => {
  const r = new FrameReader();
  r.maxPayload = 1 << 20;
  const subject = "s".repeat(MAX_CONTROL_LINE - 32);
  const size = r.maxPayload + PAYLOAD_SLACK;
  const head = enc.encode(`MSG ${subject} 7 ${size}\r\n`);
  const stream = new Uint8Array(head.length + size + 2);
  stream.set(head);
  stream.fill(0x61, head.length, head.length + size);
  stream.set(enc.encode("\r\n"), head.length + size);
  const rand = rng(3);
  let frames = 0;
  let peak = 0;
  for (let off = 0; off < stream.length;) {
    const target = r.readTarget();
    const n = Math.min(target.length, stream.length - off, 1 + Math.floor(rand() * 200_000));
    target.set(stream.subarray(off, off + n));
    off += n;
    r.commit(n);
    peak = Math.max(peak, r.memoryBytes);
    frames += r.scan();
    assert.equal(r.pendingError(), undefined);
  }
  assert.equal(frames, 1);
  assert.ok(peak <= r.memoryCeiling, `peak ${peak} <= ceiling ${r.memoryCeiling}`);
  // one byte more than the limit is refused at the control line, before anything is buffered
  const { error } = feed([enc.encode(`MSG a 1 ${size + 1}\r\n`)], r.maxPayload);
  assert.match(error?.message ?? "", /larger than the allowed payload/);
});
