// NATS protocol frame scanner and header scanner (AssemblyScript, compiled to WebAssembly).
//
// Memory layout (one instance per connection, so one memory per connection):
//   [tableBase]  status words (4 x i32) then the frame table (MAX_FRAMES x FRAME_WORDS x i32)
//   [hdrBase]    header table: code, description offset/length, reserved, then 4 x i32 per field
//   [readBase]   the read region: socket reads land here; it runs to the end of memory minus 16
//                bytes of slack (so a 16-byte vector load past the last byte read stays in bounds).
// Every offset written to a table is relative to readBase (frames) or to the header block (headers).

/** Frame kinds written into the first word of each frame record. */
const KIND_MSG: i32 = 1;
const KIND_HMSG: i32 = 2;
const KIND_PING: i32 = 3;
const KIND_PONG: i32 = 4;
const KIND_OK: i32 = 5;
const KIND_ERR: i32 = 6;
const KIND_INFO: i32 = 7;

/** Error codes written into status word 2. */
const ERR_UNKNOWN_OP: i32 = 1;
const ERR_BAD_ARGS: i32 = 2;
const ERR_BAD_NUMBER: i32 = 3;
const ERR_TOO_LARGE: i32 = 4;
const ERR_MISSING_CRLF: i32 = 5;
const ERR_LINE_TOO_LONG: i32 = 6;
const ERR_BAD_INFO: i32 = 7;

// The bytes each operation starts with, packed little-endian (letters in lower case, matched in
// either case): MSG and HMSG continue with a blank, PING, PONG and +OK with the LF of their CRLF.
const LIT_MSG: u64 = 0x67736d; // "msg"
const LIT_HMSG: u64 = 0x67736d68; // "hmsg"
const LIT_PING: u64 = 0x0d676e6970; // "ping\r"
const LIT_PONG: u64 = 0x0d676e6f70; // "pong\r"
const LIT_OK: u64 = 0x0d6b6f2b; // "+ok\r"
const LIT_ERR: u64 = 0x7272652d; // "-err"
const LIT_INFO: u64 = 0x6f666e69; // "info"

const MAX_FRAMES: i32 = 2048;
const FRAME_WORDS: i32 = 9;
const STATUS_BYTES: usize = 32;
const TABLE_BYTES: usize = STATUS_BYTES + <usize> (MAX_FRAMES * FRAME_WORDS * 4);
const MAX_HEADER_FIELDS: i32 = 4096;
const HDR_BYTES: usize = 16 + <usize> (MAX_HEADER_FIELDS * 16);

const CR: u32 = 0x0d;
const LF: u32 = 0x0a;

/** Start of the status words and the frame table. */
export function tableBase(): usize {
  return (__heap_base + 15) & ~(<usize> 15);
}

/** Start of the header table. */
export function hdrBase(): usize {
  return tableBase() + TABLE_BYTES;
}

/** Start of the read region (64 KiB aligned). */
export function readBase(): usize {
  return (hdrBase() + HDR_BYTES + 0xffff) & ~(<usize> 0xffff);
}

/** Capacity of the frame table (frames per parse call). */
export function maxFrames(): i32 {
  return MAX_FRAMES;
}

/** Capacity of the header table (fields per scan). */
export function maxHeaderFields(): i32 {
  return MAX_HEADER_FIELDS;
}

// Argument positions found by nextArg.
let argStart: usize = 0;
let argEnd: usize = 0;

@inline function isBlank(c: u32): bool {
  return c == 0x20 || c == 0x09;
}

/** Index of the first LF in [p, end), or end when there is none. */
function findLF(p: usize, end: usize): usize {
  const lf = i8x16.splat(0x0a);
  while (p + 16 <= end) {
    const m = i8x16.bitmask(i8x16.eq(v128.load(p), lf));
    if (m != 0) return p + <usize> ctz<i32>(m);
    p += 16;
  }
  if (p < end) {
    const keep = (1 << <i32> (end - p)) - 1;
    const m = i8x16.bitmask(i8x16.eq(v128.load(p), lf)) & keep;
    if (m != 0) return p + <usize> ctz<i32>(m);
  }
  return end;
}

/** Finds the next blank-separated argument in [p, end); sets argStart/argEnd; false when none. */
function nextArg(p: usize, end: usize): bool {
  while (p < end && isBlank(load<u8>(p))) p++;
  if (p >= end) return false;
  argStart = p;
  while (p < end && !isBlank(load<u8>(p))) p++;
  argEnd = p;
  return true;
}

/** Parses a decimal in [s, e); -1 when it is not 1..10 digits or exceeds i32. */
function parseNumber(s: usize, e: usize): i64 {
  const len = e - s;
  if (len == 0 || len > 10) return -1;
  let v: i64 = 0;
  for (let p = s; p < e; p++) {
    const d = <u32> load<u8>(p) - 0x30;
    if (d > 9) return -1;
    v = v * 10 + <i64> d;
  }
  return v > 0x7fffffff ? -1 : v;
}

/** True when the bytes at p spell the lower-case ASCII word w (letters compared case-insensitively). */
@inline function word3(p: usize, a: u32, b: u32, c: u32): bool {
  return (<u32> load<u8>(p) | 0x20) == a && (<u32> load<u8>(p + 1) | 0x20) == b &&
    (<u32> load<u8>(p + 2) | 0x20) == c;
}

let status: usize = 0;

/** True when [p, e) differs from the first `n` bytes of the packed literal `lit` (those that arrived). */
function diverges(p: usize, e: usize, lit: u64, n: i32): bool {
  const m = min<usize>(e - p, <usize> n);
  for (let i: usize = 0; i < m; i++) {
    const want = <u32> ((lit >> (<u64> i << 3)) & 0xff);
    let c = <u32> load<u8>(p + i);
    if (want - 0x61 < 26) c |= 0x20;
    if (c != want) return true;
  }
  return false;
}

// What partialError knows about the unfinished control line between two parse calls, so that a
// line arriving in many small reads is checked once per byte, not once per read. Offsets are from
// the line start (which moves when the reader compacts its region).
/** Bytes of the line already checked (reported in status word 4, passed back as `resume`). */
let lineChecked: usize = 0;
/** MSG/HMSG: arguments started so far. */
let lineArgs: i32 = 0;
/** MSG/HMSG: offset of the argument being read, 0 between arguments. */
let lineArg: usize = 0;
/** INFO: the '{' that opens its JSON has been seen. */
let lineOpen: bool = false;

/** True for the arguments that can only be numbers: the sid, and the sizes after the optional reply. */
@inline function numericArg(i: i32): bool {
  return i == 1 || i == 3 || i == 4;
}

/**
 * Checks the arguments of a MSG/HMSG line that has not ended: no more than 4 (MSG) or 5 (HMSG),
 * and those that can only be numbers still decimal and within i32. Continues from `from` (bytes
 * of the line checked before); a CR as the last byte may start the CRLF, so it waits for the next
 * read. Returns an error code or 0.
 */
function argsError(p: usize, from: usize, e: usize, isH: bool): i32 {
  if (<u32> load<u8>(e - 1) == CR) e--;
  const maxArgs = isH ? 5 : 4;
  let q = p + from;
  while (q < e) {
    if (isBlank(load<u8>(q))) {
      if (lineArg != 0) {
        if (numericArg(lineArgs - 1) && parseNumber(p + lineArg, q) < 0) return ERR_BAD_NUMBER;
        lineArg = 0;
      }
    } else if (lineArg == 0) {
      if (lineArgs == maxArgs) return ERR_BAD_ARGS;
      lineArgs++;
      lineArg = q - p;
    }
    q++;
  }
  if (lineArg != 0 && numericArg(lineArgs - 1) && parseNumber(p + lineArg, e) < 0) return ERR_BAD_NUMBER;
  lineChecked = e - p;
  return 0;
}

/**
 * Checks the start of a control line whose LF has not arrived ([p, e) holds no LF), continuing
 * from `from` bytes checked by an earlier call (0: a new line). Returns 0 when more bytes can
 * still make it a valid line, else the error code: a byte that starts no operation, an op name
 * that diverges from every valid one (PING, PONG and +OK are followed by nothing but their CRLF),
 * a bad MSG/HMSG argument, an INFO that does not start with '{'.
 */
function partialError(p: usize, e: usize, from: usize): i32 {
  if (from == 0) {
    lineArgs = 0;
    lineArg = 0;
    lineOpen = false;
  }
  lineChecked = e - p;
  const b0 = <u32> load<u8>(p);
  const c0 = b0 | 0x20;
  const avail = e - p;
  if (c0 == 0x6d || c0 == 0x68) { // MSG, HMSG
    const isH = c0 == 0x68;
    const opLen: usize = isH ? 4 : 3;
    if (diverges(p, e, isH ? LIT_HMSG : LIT_MSG, <i32> opLen)) return ERR_UNKNOWN_OP;
    if (avail <= opLen) return 0;
    if (!isBlank(load<u8>(p + opLen))) return ERR_UNKNOWN_OP;
    return argsError(p, max<usize>(from, opLen), e, isH);
  }
  if (c0 == 0x70) { // PING, PONG
    const pong = avail > 1 && (<u32> load<u8>(p + 1) | 0x20) == 0x6f;
    return diverges(p, e, pong ? LIT_PONG : LIT_PING, 5) || avail > 5 ? ERR_UNKNOWN_OP : 0;
  }
  if (b0 == 0x2b) { // +OK
    return diverges(p, e, LIT_OK, 4) || avail > 4 ? ERR_UNKNOWN_OP : 0;
  }
  if (b0 == 0x2d) { // -ERR then a blank and any text, or its CRLF
    if (diverges(p, e, LIT_ERR, 4)) return ERR_UNKNOWN_OP;
    if (avail <= 4) return 0;
    const c = <u32> load<u8>(p + 4);
    return (c == CR ? avail > 5 : !isBlank(c)) ? ERR_UNKNOWN_OP : 0;
  }
  if (c0 == 0x69) { // INFO then blanks and a JSON object
    if (diverges(p, e, LIT_INFO, 4)) return ERR_UNKNOWN_OP;
    if (avail <= 4) return 0;
    if (!isBlank(load<u8>(p + 4))) return ERR_UNKNOWN_OP;
    if (lineOpen) return 0;
    let s = p + max<usize>(from, 5);
    while (s < e && isBlank(load<u8>(s))) s++;
    if (s == e) return 0;
    lineOpen = true;
    return <u32> load<u8>(s) == 0x7b ? 0 : ERR_BAD_INFO;
  }
  return ERR_UNKNOWN_OP;
}

function fail(code: i32, at: usize): void {
  store<i32>(status, code, 8);
  store<i32>(status, <i32> (at - readBase()), 12);
}

@inline function record(
  rec: usize,
  kind: i32,
  sid: i32,
  s0: usize,
  s1: usize,
  r0: usize,
  r1: usize,
  hdr: i32,
  d0: usize,
  dlen: i32,
  base: usize,
): void {
  store<i32>(rec, kind, 0);
  store<i32>(rec, sid, 4);
  store<i32>(rec, <i32> (s0 - base), 8);
  store<i32>(rec, <i32> (s1 - s0), 12);
  store<i32>(rec, <i32> (r0 - base), 16);
  store<i32>(rec, <i32> (r1 - r0), 20);
  store<i32>(rec, hdr, 24);
  store<i32>(rec, <i32> (d0 - base), 28);
  store<i32>(rec, dlen, 32);
}

/**
 * Scans the read region from `start` to `end` (offsets from readBase) and writes one record per
 * complete frame into the frame table. Returns the number of frames written. Status words:
 * [0] offset just past the last complete frame, [1] total bytes the next frame needs when known
 * (a message whose payload has not fully arrived), [2] error code (0 = none), [3] error offset,
 * [4] bytes of an unfinished control line at [0] already checked: pass it back as `resume` in the
 * next call over the same line (it may have moved), else 0; [5]-[7] unused.
 * Frames before an error are reported; parsing stops at the first bad byte.
 *
 * A stream is rejected as soon as the bytes that have arrived prove it invalid, never only once a
 * control line fills up: a byte that starts no operation (MSG, HMSG, PING, PONG, +OK, -ERR, INFO,
 * letters in any case), an op name that diverges from every valid one, a MSG/HMSG argument count
 * or a sid/size that is not decimal or overflows i32, an INFO whose text does not start with '{'
 * (or, once its line ends, does not end with '}'), a header size above the total size, a size
 * above `maxPayload`, a payload not followed by CRLF, a control line longer than `maxLine`.
 */
export function parse(start: u32, end: u32, maxPayload: u32, maxLine: u32, resume: u32): i32 {
  const base = readBase();
  status = tableBase();
  store<i32>(status, 0, 4);
  store<i32>(status, 0, 8);
  store<i32>(status, 0, 12);
  store<i32>(status, 0, 16);
  let from: usize = <usize> resume; // bytes of the first control line checked by the previous call
  let p: usize = base + <usize> start;
  const e: usize = base + <usize> end;
  let rec: usize = status + STATUS_BYTES;
  let n: i32 = 0;
  while (p < e && n < MAX_FRAMES) {
    const bound = min<usize>(e, p + <usize> maxLine + 2);
    const lf = findLF(p + from, bound);
    if (lf == bound) {
      // No whole control line yet: stop now when what has arrived can start no valid one.
      const code = partialError(p, bound, from);
      if (code != 0) fail(code, p);
      else if (bound < e) fail(ERR_LINE_TOO_LONG, p);
      else store<i32>(status, <i32> lineChecked, 16);
      break;
    }
    if (lf == p || <u32> load<u8>(lf - 1) != CR) {
      const code = partialError(p, lf, from);
      if (code != 0) fail(code, p);
      else fail(ERR_MISSING_CRLF, lf);
      break;
    }
    from = 0;
    const le = lf - 1; // end of the control line (exclusive)
    const b0 = <u32> load<u8>(p);
    const c0 = b0 | 0x20;
    const len = le - p;
    if (c0 == 0x6d || c0 == 0x68) { // 'm' MSG, 'h' HMSG
      const isH = c0 == 0x68;
      const opLen: usize = isH ? 4 : 3;
      const okOp = isH ? len > 4 && word3(p + 1, 0x6d, 0x73, 0x67) : len > 3 && word3(p, 0x6d, 0x73, 0x67);
      if (!okOp || !isBlank(load<u8>(p + opLen))) {
        fail(ERR_UNKNOWN_OP, p);
        break;
      }
      // Up to 5 arguments: subject sid [reply] [hdrlen] total
      let q = p + opLen;
      let a0s: usize = 0, a0e: usize = 0, a1s: usize = 0, a1e: usize = 0, a2s: usize = 0, a2e: usize = 0;
      let a3s: usize = 0, a3e: usize = 0, a4s: usize = 0, a4e: usize = 0;
      let argc = 0;
      while (argc < 6 && nextArg(q, le)) {
        if (argc == 0) {
          a0s = argStart;
          a0e = argEnd;
        } else if (argc == 1) {
          a1s = argStart;
          a1e = argEnd;
        } else if (argc == 2) {
          a2s = argStart;
          a2e = argEnd;
        } else if (argc == 3) {
          a3s = argStart;
          a3e = argEnd;
        } else if (argc == 4) {
          a4s = argStart;
          a4e = argEnd;
        }
        argc++;
        q = argEnd;
      }
      const minArgs = isH ? 4 : 3;
      if (argc < minArgs || argc > minArgs + 1) {
        fail(ERR_BAD_ARGS, p);
        break;
      }
      const hasReply = argc == minArgs + 1;
      const sid = parseNumber(a1s, a1e);
      let hdr: i64 = 0;
      let total: i64 = 0;
      if (isH) {
        hdr = hasReply ? parseNumber(a3s, a3e) : parseNumber(a2s, a2e);
        total = hasReply ? parseNumber(a4s, a4e) : parseNumber(a3s, a3e);
      } else {
        total = hasReply ? parseNumber(a3s, a3e) : parseNumber(a2s, a2e);
      }
      if (sid < 0 || hdr < 0 || total < 0 || hdr > total) {
        fail(ERR_BAD_NUMBER, p);
        break;
      }
      if (total > <i64> maxPayload) {
        fail(ERR_TOO_LARGE, p);
        break;
      }
      const d0 = lf + 1;
      const fe = d0 + <usize> total + 2;
      if (fe > e) {
        // all of the payload is here, and the byte after it is not the CR of its CRLF
        if (fe - 2 < e && <u32> load<u8>(fe - 2) != CR) {
          fail(ERR_MISSING_CRLF, fe - 2);
          break;
        }
        store<i32>(status, <i32> (fe - p), 4);
        break;
      }
      if (<u32> load<u8>(fe - 2) != CR || <u32> load<u8>(fe - 1) != LF) {
        fail(ERR_MISSING_CRLF, fe - 2);
        break;
      }
      record(
        rec,
        isH ? KIND_HMSG : KIND_MSG,
        <i32> sid,
        a0s,
        a0e,
        hasReply ? a2s : d0,
        hasReply ? a2e : d0,
        <i32> hdr,
        d0,
        <i32> total,
        base,
      );
      p = fe;
    } else if (c0 == 0x70) { // 'p' PING / PONG
      const c1 = <u32> load<u8>(p + 1) | 0x20;
      if (
        len != 4 || (c1 != 0x69 && c1 != 0x6f) || (<u32> load<u8>(p + 2) | 0x20) != 0x6e ||
        (<u32> load<u8>(p + 3) | 0x20) != 0x67
      ) {
        fail(ERR_UNKNOWN_OP, p);
        break;
      }
      const kind = c1 == 0x69 ? KIND_PING : KIND_PONG;
      record(rec, kind, 0, p, p, p, p, 0, p, 0, base);
      p = lf + 1;
    } else if (b0 == 0x2b) { // '+OK'
      if (len != 3 || (<u32> load<u8>(p + 1) | 0x20) != 0x6f || (<u32> load<u8>(p + 2) | 0x20) != 0x6b) {
        fail(ERR_UNKNOWN_OP, p);
        break;
      }
      record(rec, KIND_OK, 0, p, p, p, p, 0, p, 0, base);
      p = lf + 1;
    } else if (b0 == 0x2d || c0 == 0x69) { // '-ERR <text>' or 'INFO <json object>'
      const isErr = b0 == 0x2d;
      const okOp = len >= 4 && (isErr ? word3(p + 1, 0x65, 0x72, 0x72) : word3(p + 1, 0x6e, 0x66, 0x6f)) &&
        (len == 4 || isBlank(load<u8>(p + 4)));
      if (!okOp) {
        fail(ERR_UNKNOWN_OP, p);
        break;
      }
      let s = p + 4;
      while (s < le && isBlank(load<u8>(s))) s++;
      let t = le;
      while (t > s && isBlank(load<u8>(t - 1))) t--;
      if (!isErr && (t == s || <u32> load<u8>(s) != 0x7b || <u32> load<u8>(t - 1) != 0x7d)) {
        fail(ERR_BAD_INFO, p);
        break;
      }
      record(rec, isErr ? KIND_ERR : KIND_INFO, 0, s, t, s, s, 0, s, 0, base);
      p = lf + 1;
    } else {
      fail(ERR_UNKNOWN_OP, p);
      break;
    }
    rec += <usize> (FRAME_WORDS * 4);
    n++;
  }
  store<i32>(status, <i32> (p - base), 0);
  return n;
}

/**
 * Scans a header block at `off` (from readBase) of `len` bytes: `NATS/1.0[ code[ description]]`
 * then `Name: value` lines and an empty line. Header table: [0] status code (0 = none),
 * [1] description offset, [2] description length, then per field name offset, name length,
 * value offset, value length (all relative to the block; values trimmed). Lines without a colon
 * are skipped. Returns the number of fields (at most maxHeaderFields()), or -1 when the block
 * does not start with a NATS/1.0 line.
 */
export function scanHeaders(off: u32, len: u32): i32 {
  const b = readBase() + <usize> off;
  const e = b + <usize> len;
  const t = hdrBase();
  store<i32>(t, 0, 0);
  store<i32>(t, 0, 4);
  store<i32>(t, 0, 8);
  if (len < 10 || load<u32>(b) != 0x5354414e || load<u32>(b + 4) != 0x302e312f) return -1; // "NATS" "/1.0"
  let lf = findLF(b + 8, e);
  if (lf == e) return -1;
  let le = lf > b && <u32> load<u8>(lf - 1) == CR ? lf - 1 : lf;
  let p = b + 8;
  while (p < le && isBlank(load<u8>(p))) p++;
  if (p < le) {
    let code: i32 = 0;
    let q = p;
    while (q < le && <u32> load<u8>(q) - 0x30 <= 9 && q - p < 3) {
      code = code * 10 + <i32> (<u32> load<u8>(q) - 0x30);
      q++;
    }
    store<i32>(t, code, 0);
    while (q < le && isBlank(load<u8>(q))) q++;
    let r = le;
    while (r > q && isBlank(load<u8>(r - 1))) r--;
    store<i32>(t, <i32> (q - b), 4);
    store<i32>(t, <i32> (r - q), 8);
  }
  let n: i32 = 0;
  let rec = t + 16;
  p = lf + 1;
  while (p < e && n < MAX_HEADER_FIELDS) {
    lf = findLF(p, e);
    le = lf > p && <u32> load<u8>(lf - 1) == CR ? lf - 1 : lf;
    if (le == p) break; // the empty line ends the block
    let c = p;
    while (c < le && <u32> load<u8>(c) != 0x3a) c++;
    if (c < le && c > p) {
      let v = c + 1;
      while (v < le && isBlank(load<u8>(v))) v++;
      let ve = le;
      while (ve > v && isBlank(load<u8>(ve - 1))) ve--;
      store<i32>(rec, <i32> (p - b), 0);
      store<i32>(rec, <i32> (c - p), 4);
      store<i32>(rec, <i32> (v - b), 8);
      store<i32>(rec, <i32> (ve - v), 12);
      rec += 16;
      n++;
    }
    if (lf == e) break;
    p = lf + 1;
  }
  return n;
}
