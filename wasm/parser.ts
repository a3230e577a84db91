/**
 * Loads the WebAssembly frame scanner compiled from `parser-as/`.
 *
 * The module bytes are embedded (base64) so loading needs no file or network permission. The
 * module is compiled once per process, on first use; every caller gets its own instance and so
 * its own memory.
 *
 * @module
 */
import { PARSER_WASM_BASE64 } from "./parser_wasm.ts";
import { decodeBase64 } from "./base64.ts";

/** The exports of one parser instance. */
export interface ParserExports {
  /** The instance's linear memory (read region, frame table, header table). */
  readonly memory: WebAssembly.Memory;
  /** Byte offset of the status words followed by the frame table. */
  tableBase(): number;
  /** Byte offset of the header table. */
  hdrBase(): number;
  /** Byte offset of the read region. */
  readBase(): number;
  /** Frames one `parse` call can report. */
  maxFrames(): number;
  /** Header fields one `scanHeaders` call can report. */
  maxHeaderFields(): number;
  /**
   * Scans `[start, end)` of the read region into the frame table; returns the frame count.
   * `resume`: status word 4 of the previous call when `start` is still at the same unfinished
   * control line (its bytes are not checked again), else 0.
   */
  parse(start: number, end: number, maxPayload: number, maxLine: number, resume: number): number;
  /** Scans a header block in the read region into the header table; returns the field count or -1. */
  scanHeaders(off: number, len: number): number;
}

let compiled: WebAssembly.Module | undefined;

/**
 * Creates a new parser instance with its own memory (the module is compiled on the first call).
 *
 * @example
 * ```ts
 * import { instantiateParser } from "./parser.ts";
 * const parser = instantiateParser();
 * console.log(parser.readBase() > 0);
 * ```
 */
export function instantiateParser(): ParserExports {
  compiled ??= new WebAssembly.Module(decodeBase64(PARSER_WASM_BASE64));
  return new WebAssembly.Instance(compiled, {}).exports as unknown as ParserExports;
}
