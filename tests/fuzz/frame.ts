/** The frames a stream encodes, as the fuzzer compares them (the reference model and the real parser). */

/** One frame. `+OK` is left out: the real walk does not report it. */
export type Frame =
  | {
    op: "msg";
    subject: string;
    sid: number;
    reply: string | undefined;
    /** Bytes of the header block (0 for MSG). */
    hdrLen: number;
    /** The payload after the header block. */
    payload: Uint8Array;
    /** `NATS/1.0 ddd` status code of the header block, 0 when none. */
    status: number;
  }
  | { op: "ping" }
  | { op: "pong" }
  | { op: "info"; text: string }
  | { op: "err"; text: string };

/** Hex of `bytes` (at most `max` bytes, then "…"). */
export function hex(bytes: Uint8Array, max = Infinity): string {
  let s = "";
  const n = Math.min(bytes.length, max);
  for (let i = 0; i < n; i++) s += bytes[i].toString(16).padStart(2, "0");
  return n < bytes.length ? `${s}…(${bytes.length} bytes)` : s;
}

/** A short text that is equal for equal frames. */
export function frameKey(f: Frame): string {
  switch (f.op) {
    case "msg":
      return `msg sid=${f.sid} subj=${JSON.stringify(f.subject)} reply=${JSON.stringify(f.reply)} ` +
        `hdr=${f.hdrLen} status=${f.status} payload=${hex(f.payload, 64)}`;
    case "info":
    case "err":
      return `${f.op} ${JSON.stringify(f.text.length > 200 ? f.text.slice(0, 200) + "…" : f.text)} (${f.text.length})`;
    default:
      return f.op;
  }
}

/** The first difference between two frame lists, or undefined when they are equal. */
export function diffFrames(got: Frame[], want: Frame[]): string | undefined {
  const n = Math.max(got.length, want.length);
  for (let i = 0; i < n; i++) {
    const g = got[i] ? frameKey(got[i]) : "(none)";
    const w = want[i] ? frameKey(want[i]) : "(none)";
    if (g !== w || (got[i]?.op === "msg" && !samePayload(got[i], want[i]))) {
      return `frame ${i} of ${got.length} (expected ${want.length}): got ${g}, expected ${w}`;
    }
  }
  return undefined;
}

function samePayload(a: Frame, b: Frame): boolean {
  if (a.op !== "msg" || b.op !== "msg" || a.payload.length !== b.payload.length) return false;
  for (let i = 0; i < a.payload.length; i++) if (a.payload[i] !== b.payload[i]) return false;
  return true;
}
