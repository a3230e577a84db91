/**
 * Fuzz inputs: valid server-to-client streams built frame by frame (with the frames they encode),
 * mutations of them (bytes flipped, inserted, deleted, sizes that lie, cuts), and garbage.
 */
import type { Frame } from "./frame.ts";
import type { Rng } from "./rng.ts";
import { genInfo } from "./info_spec.ts";

const enc = new TextEncoder();

/** A generated valid stream and the frames it encodes. */
export interface ValidStream {
  bytes: Uint8Array;
  frames: Frame[];
}

function cased(r: Rng, word: string): string {
  const mode = r.int(4);
  if (mode === 0) return word.toLowerCase();
  if (mode === 1 || mode === 2) return word;
  return Array.from(word, (c) => (r.chance(0.5) ? c.toLowerCase() : c.toUpperCase())).join("");
}

function blanks(r: Rng, min: number): string {
  let s = "";
  const n = min + (r.chance(0.2) ? r.int(3) : 0);
  for (let i = 0; i < n; i++) s += r.chance(0.8) ? " " : "\t";
  return s;
}

/** Bytes of one argument: any byte but blanks and LF (CR only before more bytes of it). */
function token(r: Rng): Uint8Array {
  if (r.chance(0.7)) {
    const parts: string[] = [];
    for (let i = r.range(1, 4); i > 0; i--) {
      parts.push(r.pick(["foo", "bar", "a", "_INBOX", "x1", "é", "日本", "*", ">"]));
    }
    return enc.encode(parts.join("."));
  }
  const n = r.range(1, 12);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let c = r.u32() & 0xff;
    while (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) c = r.u32() & 0xff;
    out[i] = c;
  }
  return out;
}

function number(r: Rng, v: number): string {
  const s = String(v);
  return r.chance(0.05) && s.length < 10 ? "0" + s : s;
}

function payloadBytes(r: Rng, max: number): Uint8Array {
  const roll = r.int(100);
  let n: number;
  if (roll < 10) n = 0;
  else if (roll < 70) n = r.range(1, 64);
  else if (roll < 97) n = r.range(65, 4096);
  else n = r.range(4097, 300_000);
  n = Math.min(n, max);
  const out = r.bytes(n);
  // now and then payloads full of protocol-looking bytes
  if (r.chance(0.2)) { for (let i = 0; i < n; i++) out[i] = enc.encode("MSG \r\n")[r.int(6)]; }
  return out;
}

function headerBlock(r: Rng): { bytes: Uint8Array; status: number } {
  let line = "NATS/1.0";
  let status = 0;
  if (r.chance(0.4)) {
    status = r.pick([100, 404, 408, 409, 503]);
    line += ` ${status}`;
    if (r.chance(0.5)) line += " " + r.pick(["Idle Heartbeat", "No Messages", "FlowControl Request"]);
  }
  let text = line + "\r\n";
  for (let i = r.int(4); i > 0; i--) {
    text += `${r.pick(["A", "Nats-Msg-Id", "x-y", "K"])}:${blanks(r, 0)}${r.int(1000)}\r\n`;
  }
  text += "\r\n";
  return { bytes: enc.encode(text), status };
}

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const decoder = new TextDecoder();

function message(r: Rng, maxTotal: number, parts: Uint8Array[], frames: Frame[]): void {
  const isH = r.chance(0.35);
  const subject = token(r);
  const sid = r.chance(0.9) ? r.int(1000) : r.int(0x80000000);
  const reply = r.chance(0.4) ? token(r) : undefined;
  const hdr = isH ? headerBlock(r) : { bytes: new Uint8Array(0), status: 0 };
  const payload = payloadBytes(r, Math.max(0, maxTotal - hdr.bytes.length));
  const total = hdr.bytes.length + payload.length;
  let line = `${cased(r, isH ? "HMSG" : "MSG")}${blanks(r, 1)}`;
  parts.push(enc.encode(line), subject);
  line = `${blanks(r, 1)}${number(r, sid)}${blanks(r, 1)}`;
  parts.push(enc.encode(line));
  if (reply) parts.push(reply, enc.encode(blanks(r, 1)));
  line = isH ? `${number(r, hdr.bytes.length)}${blanks(r, 1)}${number(r, total)}` : number(r, total);
  parts.push(enc.encode(`${line}${r.chance(0.1) ? blanks(r, 1) : ""}\r\n`), hdr.bytes, payload, enc.encode("\r\n"));
  frames.push({
    op: "msg",
    subject: decoder.decode(subject),
    sid,
    reply: reply ? decoder.decode(reply) : undefined,
    hdrLen: hdr.bytes.length,
    payload,
    status: hdr.status,
  });
}

/** A valid stream of 1 to `maxFrames` frames whose messages fit in `maxTotal` bytes. */
export function validStream(r: Rng, maxTotal: number, maxFrames = 30): ValidStream {
  const parts: Uint8Array[] = [];
  const frames: Frame[] = [];
  for (let i = r.range(1, maxFrames); i > 0; i--) {
    const roll = r.int(100);
    if (roll < 55) message(r, maxTotal, parts, frames);
    else if (roll < 65) {
      parts.push(enc.encode(cased(r, "PING") + "\r\n"));
      frames.push({ op: "ping" });
    } else if (roll < 75) {
      parts.push(enc.encode(cased(r, "PONG") + "\r\n"));
      frames.push({ op: "pong" });
    } else if (roll < 82) {
      parts.push(enc.encode(cased(r, "+OK") + "\r\n"));
    } else if (roll < 91) {
      const text = r.chance(0.1)
        ? ""
        : `'${r.pick(["Stale Connection", "Authorization Violation", "Unknown"])} ${r.int(99)}'`;
      parts.push(enc.encode(`${cased(r, "-ERR")}${text ? blanks(r, 1) + text + blanks(r, 0) : ""}\r\n`));
      frames.push({ op: "err", text });
    } else {
      const text = genInfo(r).text;
      if (!text.startsWith("{")) continue;
      parts.push(enc.encode(`${cased(r, "INFO")}${blanks(r, 1)}${text}${blanks(r, 0)}\r\n`));
      frames.push({ op: "info", text });
    }
  }
  return { bytes: concat(parts), frames };
}

const SPECIAL = enc.encode("\x00\r\n \t0123456789MSGHPINOKERF+-{}'");

/** Changes `src` in one to three random ways (a copy). */
export function mutate(r: Rng, src: Uint8Array): Uint8Array {
  let b: Uint8Array = src.slice();
  for (let k = r.range(1, 3); k > 0; k--) {
    const at = r.int(b.length + 1);
    switch (r.int(9)) {
      case 0: { // flip bytes
        for (let i = r.range(1, 4); i > 0 && b.length > 0; i--) {
          b[r.int(b.length)] = r.chance(0.5) ? SPECIAL[r.int(SPECIAL.length)] : r.u32() & 0xff;
        }
        break;
      }
      case 1: // insert
        b = concat([
          b.subarray(0, at),
          r.chance(0.5) ? r.bytes(r.range(1, 8)) : SPECIAL.subarray(r.int(8)),
          b.subarray(at),
        ]);
        break;
      case 2: // delete
        b = concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + r.range(1, 16)))]);
        break;
      case 3: { // duplicate a range
        const end = Math.min(b.length, at + r.range(1, 64));
        b = concat([b.subarray(0, end), b.subarray(at, end), b.subarray(end)]);
        break;
      }
      case 4: // cut
        b = b.slice(0, at);
        break;
      case 5: // a size (or sid) that lies
        b = lie(r, b);
        break;
      case 6: // flip one bit
        if (b.length > 0) b[r.int(b.length)] ^= 1 << r.int(8);
        break;
      case 7: // flip the case bit (0x20) of a byte of an op name: letters change case, '+' and '-' become controls
        b = caseFlip(r, b);
        break;
      default: // splice in another valid stream
        b = concat([b.subarray(0, at), validStream(r, 4096, 3).bytes, b.subarray(at)]);
    }
  }
  return b;
}

function caseFlip(r: Rng, b: Uint8Array): Uint8Array {
  const starts = [0];
  for (let i = 0; i < b.length; i++) if (b[i] === 0x0a) starts.push(i + 1);
  const at = r.pick(starts) + r.int(5);
  if (at < b.length) b[at] ^= 0x20;
  return b;
}

/** Replaces one run of digits with another number (off by one, zero, huge, negative, not decimal). */
function lie(r: Rng, b: Uint8Array): Uint8Array {
  const starts: number[] = [];
  for (let i = 0; i < b.length; i++) {
    if (b[i] >= 0x30 && b[i] <= 0x39 && (i === 0 || b[i - 1] === 0x20 || b[i - 1] === 0x09)) starts.push(i);
  }
  if (starts.length === 0) return b;
  const s = r.pick(starts);
  let e = s;
  while (e < b.length && b[e] >= 0x30 && b[e] <= 0x39) e++;
  const v = Number(decoder.decode(b.subarray(s, e)));
  const repl = r.pick([
    String(v + 1),
    String(Math.max(0, v - 1)),
    "0",
    String(v * 2 + 7),
    "2147483647",
    "2147483648",
    "99999999999",
    "-1",
    "1e3",
    "0x10",
    String(v) + "0",
  ]);
  return concat([b.subarray(0, s), enc.encode(repl), b.subarray(e)]);
}

/** Random bytes: uniform, from the protocol's alphabet, or long runs of NUL. */
export function garbage(r: Rng): Uint8Array {
  const n = r.range(1, 600);
  switch (r.int(3)) {
    case 0:
      return r.bytes(n);
    case 1: {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = SPECIAL[r.int(SPECIAL.length)];
      return out;
    }
    default:
      return new Uint8Array(r.pick([1, 16, 4096]));
  }
}

const HEADS = [
  "INFO ",
  "INFO\t",
  "INFO",
  "info  ",
  "-ERR",
  "-ERR ",
  "-err\t",
  "PING",
  "pong",
  "+OK",
  "MSG ",
  "hmsg\t",
  "MSG a ",
];
const BODIES = [
  "{}",
  "[]",
  "5",
  "null",
  '"x"',
  "{",
  "}",
  '{"a":1}',
  "",
  " ",
  "\t{}",
  "'x'",
  "1 2",
  "a 1 2",
  "a 1 r 2 4",
];

/** The start of an operation (valid or nearly) and a short continuation: exercises the op-name and head rules. */
export function opHead(r: Rng): Uint8Array {
  let s = r.pick(HEADS) + r.pick(BODIES);
  if (r.chance(0.5)) s += r.pick(["\r\n", "\r", "\n", "\r\r\n", " \r\n", "\r\nPING\r\n"]);
  const b = enc.encode(s);
  return r.chance(0.3) ? mutate(r, b) : b;
}

/** A control line of about `maxLine` bytes (just under, at, or just over the limit), maybe never ended. */
export function longLine(r: Rng, maxLine: number): Uint8Array {
  const op = r.pick(["MSG ", "INFO {", "-ERR ", "HMSG "]);
  const len = maxLine + r.range(-2, 3) - op.length;
  const body = new Uint8Array(len).fill(r.chance(0.5) ? 0x61 : 0x7b);
  const tail = op === "INFO {" ? "}\r\n" : op === "-ERR " ? "\r\n" : r.chance(0.5) ? " 1 0\r\n\r\n" : "";
  return concat([enc.encode(op), body, enc.encode(tail)]);
}
