/**
 * The reference the fuzzer holds the WASM frame parser to: a plain byte-at-a-time state machine of
 * the server-to-client protocol, written from the grammar and not from the parser's code.
 *
 * Grammar (letters of op names in any case, blank = space or tab):
 * - `MSG` blank args CRLF payload CRLF; args: subject sid [reply] size
 * - `HMSG` blank args CRLF headers+payload CRLF; args: subject sid [reply] hdrSize totalSize
 * - `PING` CRLF, `PONG` CRLF, `+OK` CRLF (nothing else on the line)
 * - `-ERR` (CRLF | blank text CRLF)
 * - `INFO` blank blanks `{` … `}` blanks CRLF
 * Arguments are split on runs of blanks; sid and sizes are 1-10 decimal digits of at most 2^31-1;
 * hdrSize <= totalSize <= the payload limit. The control line (before its CRLF) holds at most
 * `maxLine` bytes; a CR inside it is an ordinary byte unless an LF follows.
 *
 * Besides the frames, the model says how many bytes the parser needs to have seen to reject a bad
 * stream: the first byte at which no continuation can make the stream valid, with one rule the
 * parser follows on purpose: a CR that is the last byte seen may be the start of the CRLF, so it is
 * judged only once the next byte arrives.
 */
import type { Frame } from "./frame.ts";

/** What the model makes of a stream. */
export interface ModelResult {
  /** Every complete frame before the end or the error (`+OK` left out). */
  frames: Frame[];
  /**
   * When the stream is invalid: the length of the shortest prefix that proves it (the parser must
   * report an error once it has seen these bytes, and not before).
   */
  errorAt?: number;
}

const CR = 0x0d;
const LF = 0x0a;
const decoder = new TextDecoder();

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

function lower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
}

/** The value of a decimal argument, or -1 when it is not 1-10 digits of at most 2^31-1. */
function decimal(tok: number[]): number {
  if (tok.length === 0 || tok.length > 10) return -1;
  let v = 0;
  for (const c of tok) {
    if (c < 0x30 || c > 0x39) return -1;
    v = v * 10 + (c - 0x30);
  }
  return v > 0x7fffffff ? -1 : v;
}

/** The status code of a header block as the client reads it at once: `NATS/1.0 ddd`, else 0. */
function statusOf(b: Uint8Array, off: number, len: number): number {
  if (len < 14 || b[off + 8] !== 0x20) return 0;
  let code = 0;
  for (let i = 9; i < 12; i++) {
    const d = b[off + i] - 0x30;
    if (d < 0 || d > 9) return 0;
    code = code * 10 + d;
  }
  return code;
}

/** One step of an op: a frame and where the next op starts, an error, or more bytes needed. */
type Step = { frame?: Frame; next: number } | { errorAt: number } | "more";

/** Matches `lit` (lower case) from `p`; returns the index after it, an error step, or "more". */
function literal(b: Uint8Array, p: number, lit: string): number | Step {
  for (let i = 0; i < lit.length; i++) {
    if (p + i >= b.length) return "more";
    if (lower(b[p + i]) !== lit.charCodeAt(i)) return { errorAt: p + i + 1 };
  }
  return p + lit.length;
}

/** MSG / HMSG from `p` (the op name already matched up to `q`, the blank after it). */
function message(b: Uint8Array, p: number, q: number, isH: boolean, maxPayload: number, maxLine: number): Step {
  const maxArgs = isH ? 5 : 4;
  const minArgs = maxArgs - 1;
  const numeric = isH ? [1, 3, 4] : [1, 3];
  const toks: number[][] = [];
  let cur: number[] | undefined;
  let pendingCR = false;
  /** Adds one byte to the current argument; an error position or 0. */
  const add = (c: number, at: number): number => {
    if (!cur) {
      if (toks.length === maxArgs) return at;
      cur = [];
      toks.push(cur);
    }
    cur.push(c);
    if (numeric.includes(toks.length - 1) && decimal(cur) < 0) return at;
    return 0;
  };
  for (let j = q; j < b.length; j++) {
    if (j - p >= maxLine + 2) return { errorAt: j + 1 };
    const c = b[j];
    if (pendingCR) {
      if (c === LF) return messageBody(b, j, toks, isH, minArgs, maxPayload);
      pendingCR = false;
      const bad = add(CR, j + 1);
      if (bad) return { errorAt: bad };
    }
    if (c === LF) return { errorAt: j + 1 };
    if (c === CR) pendingCR = true;
    else if (isBlank(c)) cur = undefined;
    else {
      const bad = add(c, j + 1);
      if (bad) return { errorAt: bad };
    }
  }
  return "more";
}

/** The control line of a message ended at the LF `lf`: checks the arguments, then the payload. */
function messageBody(
  b: Uint8Array,
  lf: number,
  toks: number[][],
  isH: boolean,
  minArgs: number,
  maxPayload: number,
): Step {
  const bad = { errorAt: lf + 1 };
  if (toks.length < minArgs || toks.length > minArgs + 1) return bad;
  const hasReply = toks.length === minArgs + 1;
  const sid = decimal(toks[1]);
  const sizes = toks.slice(hasReply ? 3 : 2).map(decimal);
  const hdr = isH ? sizes[0] : 0;
  const total = isH ? sizes[1] : sizes[0];
  if (sid < 0 || hdr < 0 || total < 0 || hdr > total || total > maxPayload) return bad;
  const d0 = lf + 1;
  for (let k = 0; k < 2; k++) {
    const at = d0 + total + k;
    if (at >= b.length) return "more";
    if (b[at] !== (k === 0 ? CR : LF)) return { errorAt: at + 1 };
  }
  return {
    frame: {
      op: "msg",
      subject: decoder.decode(new Uint8Array(toks[0])),
      sid,
      reply: hasReply ? decoder.decode(new Uint8Array(toks[2])) : undefined,
      hdrLen: hdr,
      payload: b.slice(d0 + hdr, d0 + total),
      status: hdr > 0 ? statusOf(b, d0, hdr) : 0,
    },
    next: d0 + total + 2,
  };
}

/** The text of `-ERR` / `INFO` from `q` to its CRLF; `json`: INFO rules (starts with '{', ends with '}'). */
function textLine(b: Uint8Array, p: number, q: number, json: boolean, maxLine: number): Step {
  let started = !json;
  let pendingCR = false;
  for (let j = q; j < b.length; j++) {
    if (j - p >= maxLine + 2) return { errorAt: j + 1 };
    const c = b[j];
    if (!started) {
      if (isBlank(c)) continue;
      if (c !== 0x7b) return { errorAt: j + 1 };
      started = true;
      continue;
    }
    if (c === LF) {
      if (!pendingCR) return { errorAt: j + 1 };
      let s = q;
      let t = j - 1;
      while (s < t && isBlank(b[s])) s++;
      while (t > s && isBlank(b[t - 1])) t--;
      if (json && b[t - 1] !== 0x7d) return { errorAt: j + 1 };
      const text = decoder.decode(b.subarray(s, t));
      return { frame: json ? { op: "info", text } : { op: "err", text }, next: j + 1 };
    }
    pendingCR = c === CR;
  }
  return "more";
}

/** One op at `p`. */
function step(b: Uint8Array, p: number, maxPayload: number, maxLine: number): Step {
  const c0 = lower(b[p]);
  const c1 = p + 1 < b.length ? lower(b[p + 1]) : -1;
  let lit: string;
  if (c0 === 0x6d) lit = "msg";
  else if (c0 === 0x68) lit = "hmsg";
  else if (c0 === 0x70) lit = c1 === 0x6f ? "pong\r\n" : "ping\r\n";
  else if (c0 === 0x2b) lit = "+ok\r\n";
  else if (c0 === 0x2d) lit = "-err";
  else if (c0 === 0x69) lit = "info";
  else return { errorAt: p + 1 };
  const q = literal(b, p, lit);
  if (typeof q !== "number") return q;
  switch (lit) {
    case "pong\r\n":
      return { frame: { op: "pong" }, next: q };
    case "ping\r\n":
      return { frame: { op: "ping" }, next: q };
    case "+ok\r\n":
      return { next: q };
  }
  if (q >= b.length) return "more";
  const sep = b[q];
  if (lit === "-err" && sep === CR) {
    if (q + 1 >= b.length) return "more";
    return b[q + 1] === LF ? { frame: { op: "err", text: "" }, next: q + 2 } : { errorAt: q + 2 };
  }
  if (!isBlank(sep)) return { errorAt: q + 1 };
  if (lit === "msg" || lit === "hmsg") return message(b, p, q, lit === "hmsg", maxPayload, maxLine);
  return textLine(b, p, q, lit === "info", maxLine);
}

/**
 * Runs the model over `b`: `maxPayload` is the largest total size the parser accepts, `maxLine`
 * the longest control line.
 */
export function model(b: Uint8Array, maxPayload: number, maxLine: number): ModelResult {
  const frames: Frame[] = [];
  let p = 0;
  while (p < b.length) {
    const s = step(b, p, maxPayload, maxLine);
    if (s === "more") break;
    if ("errorAt" in s) return { frames, errorAt: s.errorAt };
    if (s.frame) frames.push(s.frame);
    p = s.next;
  }
  return { frames };
}
