/**
 * The read side of one connection: a WASM parser instance whose memory holds the read region.
 * Socket reads land straight in that memory; `scan()` fills the frame table with offsets.
 */
import { instantiateParser, type ParserExports } from "../../wasm/parser.ts";
import { ProtocolError } from "../errors.ts";
import { PARSE_ERRORS, S_ERROR, S_ERROR_AT, S_NEEDED, S_RESUME, S_START, STATUS_WORDS } from "./frames.ts";

const PAGE = 65536;
/** Bytes kept free after the read region so a 16-byte vector load never leaves memory. */
const SLACK = 16;
/** Read at least this much per socket read; compact first when less is free. */
const MIN_READ = 32 * 1024;
/** Longest control line accepted (the server sends long INFO lines in large clusters). */
export const MAX_CONTROL_LINE = 1024 * 1024;
/** Extra room over max_payload for headers a server adds to stored messages (direct get, sourcing). */
export const PAYLOAD_SLACK = 64 * 1024;
/**
 * Memory (bytes) above which a reader that grew for large frames gives it back, once
 * {@link SHRINK_AFTER} reads in a row found the region empty and used little of it.
 */
export const SHRINK_ABOVE = 4 * 1024 * 1024;
/** Consecutive small reads before an oversized reader shrinks. */
export const SHRINK_AFTER = 256;

/** The read region plus the frame table of one parser instance. */
export class FrameReader {
  #wasm: ParserExports;
  #readBase: number;
  #tableBase: number;
  #maxFrames: number;
  /** Reads in a row that started with an empty region and filled little of it. */
  #smallReads = 0;
  /** Bytes of the whole memory (re-derived after growth). */
  bytes!: Uint8Array;
  /** Status words followed by the frame table. */
  table!: Int32Array;
  /** Offset (from the read base) of the first unparsed byte. */
  start = 0;
  /** Offset (from the read base) just past the last byte read. */
  end = 0;
  /** Largest payload (headers + body) accepted in one frame. */
  maxPayload: number = PAYLOAD_SLACK;

  /** Creates a reader with its own parser instance. */
  constructor() {
    this.#wasm = instantiateParser();
    this.#readBase = this.#wasm.readBase();
    this.#tableBase = this.#wasm.tableBase();
    this.#maxFrames = this.#wasm.maxFrames();
    this.#views();
  }

  /** Offset of the read region inside `bytes`. */
  get readBase(): number {
    return this.#readBase;
  }

  /** Frames one scan reports at most. */
  get maxFrames(): number {
    return this.#maxFrames;
  }

  /** Bytes the read region holds now. */
  get capacity(): number {
    return this.bytes.length - this.#readBase - SLACK;
  }

  #views(): void {
    const buf = this.#wasm.memory.buffer;
    this.bytes = new Uint8Array(buf);
    this.table = new Int32Array(buf, this.#tableBase, STATUS_WORDS + this.#maxFrames * 9);
  }

  /** Forgets every byte read (a new socket). */
  reset(): void {
    this.start = 0;
    this.end = 0;
    this.table[S_NEEDED] = 0;
    this.table[S_RESUME] = 0;
  }

  /**
   * The view the next socket read should fill. Compacts the region, and grows it when the frame
   * being assembled needs more room than there is.
   */
  readTarget(): Uint8Array {
    if (this.start === this.end) {
      this.start = this.end = 0;
      this.#maybeShrink();
    } else this.#smallReads = 0;
    const needed = this.table[S_NEEDED];
    const cap = this.capacity;
    const free = cap - this.end;
    if (free < MIN_READ || (needed > 0 && this.start + needed > cap)) {
      if (this.start > 0) {
        const base = this.#readBase;
        this.bytes.copyWithin(base, base + this.start, base + this.end);
        this.end -= this.start;
        this.start = 0;
      }
      const want = Math.max(needed, this.end + MIN_READ);
      if (want > this.capacity) this.#grow(want);
    }
    const base = this.#readBase;
    return this.bytes.subarray(base + this.end, base + this.capacity);
  }

  /**
   * The most WebAssembly memory this reader grows to for the current `maxPayload`: the read base,
   * the largest frame (a control line of MAX_CONTROL_LINE + CRLF, a payload of maxPayload +
   * PAYLOAD_SLACK + CRLF), one more read of MIN_READ, the slack, rounded up to a page. A region
   * never needs more: the parser rejects a longer line or a larger payload before it is buffered.
   */
  get memoryCeiling(): number {
    const bytes = this.#readBase + MAX_CONTROL_LINE + 2 + this.maxPayload + PAYLOAD_SLACK + 2 + MIN_READ + SLACK;
    return Math.ceil(bytes / PAGE) * PAGE;
  }

  #grow(want: number): void {
    const have = this.#wasm.memory.buffer.byteLength;
    const target = this.#readBase + want + SLACK;
    const size = Math.max(target, Math.min(have * 2, this.memoryCeiling));
    try {
      this.#wasm.memory.grow(Math.ceil((size - have) / PAGE));
    } catch (err) {
      throw new ProtocolError(`cannot grow the read buffer to ${size} bytes`, { cause: err });
    }
    this.#views();
  }

  /**
   * WebAssembly memory only grows: a reader that once held a large frame would keep that memory
   * for the life of the connection. When it is oversized and has stayed nearly idle for a while
   * (the region is empty, and recent reads were small), it moves to a fresh parser instance.
   */
  #maybeShrink(): void {
    const size = this.#wasm.memory.buffer.byteLength;
    if (size <= SHRINK_ABOVE || this.table[S_NEEDED] > 0) return;
    if (++this.#smallReads < SHRINK_AFTER) return;
    this.#smallReads = 0;
    this.#wasm = instantiateParser();
    this.#readBase = this.#wasm.readBase();
    this.#tableBase = this.#wasm.tableBase();
    this.#maxFrames = this.#wasm.maxFrames();
    this.#views();
  }

  /** Bytes of WebAssembly memory this reader holds. */
  get memoryBytes(): number {
    return this.#wasm.memory.buffer.byteLength;
  }

  /** Records `n` bytes read into the view from `readTarget()`. */
  commit(n: number): void {
    this.end += n;
    // a large read is not "nearly idle"
    if (n > MIN_READ) this.#smallReads = 0;
  }

  /**
   * Scans everything read so far. Returns the number of complete frames now in the table; the
   * caller handles them, then calls `scan()` again while it returns a full table.
   * Throws {@link ProtocolError} when the bytes break the protocol (after the frames before the
   * bad bytes have been handled: call `pendingError()` after handling them).
   *
   * Each byte is examined a bounded number of times however the stream is cut: a message whose
   * payload is still arriving is not parsed again until its CRLF can be there, and an unfinished
   * control line is checked from where the previous scan stopped.
   */
  scan(): number {
    const t = this.table;
    const needed = t[S_NEEDED];
    if (needed > 0 && this.end - this.start < needed - 1) return 0;
    const n = this.#wasm.parse(this.start, this.end, this.maxPayload + PAYLOAD_SLACK, MAX_CONTROL_LINE, t[S_RESUME]);
    this.start = t[S_START];
    return n;
  }

  /** The error that stopped the last scan, if any. */
  pendingError(): ProtocolError | undefined {
    const code = this.table[S_ERROR];
    if (code === 0) return undefined;
    const at = this.table[S_ERROR_AT];
    const base = this.#readBase;
    // at most 16 bytes of the offending line, never past its end: enough to see the bad op, too
    // little to carry a message payload into an error
    const snippet = this.bytes.subarray(base + at, base + Math.min(at + 16, this.end));
    const eol = snippet.findIndex((b) => b === 0x0d || b === 0x0a);
    const shown = eol >= 0 ? snippet.subarray(0, eol) : snippet;
    const text = Array.from(shown, (b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : ".")).join("");
    return new ProtocolError(`${PARSE_ERRORS[code] ?? `parser error ${code}`} near '${text}'`);
  }
}
