/**
 * Header blocks scanned on demand: one shared WASM parser instance scans a block copied into its
 * read region. Messages keep their header bytes and only pay for the scan when `headers` is read;
 * the status code (needed at once for no-responders, heartbeats, flow control) is read here in JS.
 */
import { instantiateParser, type ParserExports } from "../../wasm/parser.ts";

const PAGE = 65536;
const SLACK = 16;
let scanner: ParserExports | undefined;

/**
 * Scans a `NATS/1.0…` block. Returns [code, descOff, descLen, 0, then nameOff, nameLen, valOff,
 * valLen per field] (offsets into `block`), or undefined when it is not a header block.
 */
export function scanHeaderBlock(block: Uint8Array): Int32Array | undefined {
  scanner ??= instantiateParser();
  const base = scanner.readBase();
  const need = base + block.length + SLACK;
  const have = scanner.memory.buffer.byteLength;
  if (need > have) scanner.memory.grow(Math.ceil((need - have) / PAGE));
  new Uint8Array(scanner.memory.buffer).set(block, base);
  const n = scanner.scanHeaders(0, block.length);
  if (n < 0) return undefined;
  return new Int32Array(scanner.memory.buffer, scanner.hdrBase(), 4 + n * 4).slice();
}

/** The status code of the header block at `off` (`NATS/1.0 503…` → 503), 0 when it has none. */
export function headerStatusCode(bytes: Uint8Array, off: number, len: number): number {
  // "NATS/1.0 " is 9 bytes; a code is the next three digits.
  if (len < 14 || bytes[off + 8] !== 0x20) return 0;
  const a = bytes[off + 9] - 0x30;
  const b = bytes[off + 10] - 0x30;
  const c = bytes[off + 11] - 0x30;
  if (a < 0 || a > 9 || b < 0 || b > 9 || c < 0 || c > 9) return 0;
  return a * 100 + b * 10 + c;
}
