/**
 * The `debug` option: a transport wrapper that reports every protocol line read (`<`) and
 * written (`>`), as nats.js's `debug: true` does. Lines are reassembled across reads and writes,
 * cut at {@link TRACE_LINE_MAX} characters, and the credentials of CONNECT (`pass`,
 * `auth_token`, `sig`, `jwt`) are replaced by `***`. Costs nothing when the option is off: the
 * transport is only wrapped when it is on.
 *
 * @module
 */
import type { DialTarget, Transport } from "../transport/transport.ts";

/** Receives one protocol line: `<` read from the server, `>` written to it. */
export type ProtocolTraceSink = (direction: "<" | ">", line: string) => void;

/** Longest line reported; longer ones (payloads) are cut and marked with `…`. */
export const TRACE_LINE_MAX = 1024;

/** The sink for a `debug` option value: `true` prints with `console.info`, a function receives the lines. */
export function traceSink(debug: boolean | ProtocolTraceSink | undefined): ProtocolTraceSink | undefined {
  if (typeof debug === "function") return debug;
  return debug ? (direction, line) => console.info(`${direction} ${line}`) : undefined;
}

/**
 * `line` with the values of CONNECT's credential fields replaced by `***`.
 *
 * @example
 * ```ts
 * import { redactConnect } from "./protocol_trace.ts";
 * const line = redactConnect('CONNECT {"user":"a","pass":"hunter2","verbose":false}');
 * if (line.includes("hunter2")) throw new Error("not redacted");
 * ```
 */
export function redactConnect(line: string): string {
  if (!/^connect /i.test(line)) return line;
  return line.replace(/"(pass|auth_token|sig|jwt)"\s*:\s*"(?:[^"\\]|\\.)*"/g, '"$1":"***"');
}

/** Splits a byte stream into lines for one direction. */
class LineSplitter {
  #partial = "";
  readonly #decoder = new TextDecoder();
  constructor(readonly direction: "<" | ">", readonly sink: ProtocolTraceSink) {}

  push(bytes: Uint8Array): void {
    let text = this.#partial + this.#decoder.decode(bytes, { stream: true });
    let eol: number;
    while ((eol = text.indexOf("\r\n")) >= 0) {
      this.#emit(text.slice(0, eol));
      text = text.slice(eol + 2);
    }
    // a partial line is kept only up to the cut, so a huge payload costs no memory here
    this.#partial = text.length > TRACE_LINE_MAX ? text.slice(0, TRACE_LINE_MAX + 1) : text;
  }

  #emit(line: string): void {
    const shown = line.length > TRACE_LINE_MAX ? `${line.slice(0, TRACE_LINE_MAX)}…` : line;
    try {
      this.sink(this.direction, redactConnect(shown));
    } catch {
      // a failing sink must not break the connection
    }
  }
}

class TracedTransport implements Transport {
  readonly #inner: Transport;
  readonly #sink: ProtocolTraceSink;
  readonly #in: LineSplitter;
  readonly #out: LineSplitter;

  constructor(inner: Transport, sink: ProtocolTraceSink) {
    this.#inner = inner;
    this.#sink = sink;
    this.#in = new LineSplitter("<", sink);
    this.#out = new LineSplitter(">", sink);
    if (inner.startTls) this.startTls = (target) => this.#startTls(target);
  }

  get encrypted(): boolean {
    return this.#inner.encrypted;
  }

  async read(into: Uint8Array): Promise<number | null> {
    const n = await this.#inner.read(into);
    if (n !== null && n > 0) this.#in.push(into.subarray(0, n));
    return n;
  }

  write(bytes: Uint8Array): Promise<void> {
    this.#out.push(bytes);
    return this.#inner.write(bytes);
  }

  close(): void {
    this.#inner.close();
  }

  startTls?: (target: DialTarget) => Promise<Transport>;

  async #startTls(target: DialTarget): Promise<Transport> {
    return tracedTransport(await this.#inner.startTls!(target), this.#sink);
  }
}

/** `t`, reporting every protocol line it reads and writes to `sink`. */
export function tracedTransport(t: Transport, sink: ProtocolTraceSink): Transport {
  return new TracedTransport(t, sink);
}
