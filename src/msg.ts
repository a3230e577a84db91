/**
 * Received messages.
 *
 * @module
 */
import type { MsgHdrs } from "./headers.ts";
import { parseHeaderBlock } from "./headers.ts";
import { type Payload, utf8Decoder } from "./encoding.ts";

/** Options for {@link Msg.respond}. */
export interface RespondOptions {
  /** Headers to send with the response. */
  headers?: MsgHdrs;
  /** A reply subject for the response itself. */
  reply?: string;
}

/**
 * A message delivered to a subscription.
 *
 * @example
 * ```ts ignore
 * for await (const m of nc.subscribe("greet.*")) {
 *   console.log(m.subject, m.string());
 *   m.respond("hello");
 * }
 * ```
 */
export interface Msg {
  /** The subject the message was published to. */
  readonly subject: string;
  /** The id of the subscription that received it. */
  readonly sid: number;
  /** The reply subject, when the publisher expects an answer. */
  readonly reply: string | undefined;
  /** The payload (a copy the message owns). */
  readonly data: Uint8Array;
  /** The headers, or undefined when the message has none. */
  readonly headers: MsgHdrs | undefined;
  /** Publishes `payload` to the reply subject; false when the message has no reply subject. */
  respond(payload?: Payload, options?: RespondOptions): boolean;
  /** The payload decoded as UTF-8. */
  string(): string;
  /** The payload parsed as JSON. */
  json<T = unknown>(reviver?: ReviverFn): T;
}

/** Transforms parsed JSON values, as the `reviver` of `JSON.parse`. */
// deno-lint-ignore no-explicit-any
export type ReviverFn = (key: string, value: any) => any;

/** Publishes responses for {@link MsgImpl.respond}. */
export interface Responder {
  /** Publishes like `NatsConnection.publish`. */
  publish(subject: string, payload?: Payload, options?: RespondOptions): void;
}

/**
 * The implementation of {@link Msg}. The payload is a view on a buffer that the messages of one
 * socket read share (one copy out of WASM memory per read, not one per message); `detach()` gives
 * a message a buffer of its own so a long-lived message does not keep its neighbours alive.
 */
export class MsgImpl implements Msg {
  readonly subject: string;
  readonly sid: number;
  readonly reply: string | undefined;
  #buf: ArrayBuffer;
  #off: number;
  #len: number;
  #hlen: number;
  #data: Uint8Array | undefined;
  #code: number;
  #headers: MsgHdrs | undefined;
  #responder: Responder;

  /**
   * Creates a message over `len` bytes of `buf` at `off`: `hlen` bytes of headers (with status
   * `code`, 0 when none) followed by the payload.
   */
  constructor(
    subject: string,
    sid: number,
    reply: string | undefined,
    responder: Responder,
    buf: ArrayBuffer,
    off: number,
    len: number,
    hlen: number,
    code: number,
  ) {
    this.subject = subject;
    this.sid = sid;
    this.reply = reply;
    this.#responder = responder;
    this.#buf = buf;
    this.#off = off;
    this.#len = len;
    this.#hlen = hlen;
    this.#code = code;
  }

  get data(): Uint8Array {
    return this.#data ??= new Uint8Array(this.#buf, this.#off + this.#hlen, this.#len - this.#hlen);
  }

  /** Header and payload bytes together. */
  get size(): number {
    return this.#len;
  }

  /** Header bytes (0 when the message has none). */
  get headerSize(): number {
    return this.#hlen;
  }

  /** What publishes this message's responses. */
  get responder(): Responder {
    return this.#responder;
  }

  /** Headers and payload (`size` bytes) as one view. */
  rawBytes(): Uint8Array {
    return new Uint8Array(this.#buf, this.#off, this.#len);
  }

  /** Copies headers and payload into a buffer of this message's own. */
  detach(): void {
    if (this.#buf.byteLength === this.#len) return;
    this.#buf = new Uint8Array(this.#buf, this.#off, this.#len).slice().buffer;
    this.#off = 0;
    this.#data = undefined;
  }

  /** The status code of a status message (0 when none), without decoding the headers. */
  get statusCode(): number {
    return this.#code;
  }

  get headers(): MsgHdrs | undefined {
    if (this.#headers === undefined && this.#hlen > 0) {
      this.#headers = parseHeaderBlock(new Uint8Array(this.#buf, this.#off, this.#hlen));
    }
    return this.#headers;
  }

  respond(payload?: Payload, options?: RespondOptions): boolean {
    if (!this.reply) return false;
    this.#responder.publish(this.reply, payload, options);
    return true;
  }

  string(): string {
    return utf8Decoder.decode(this.data);
  }

  json<T = unknown>(reviver?: ReviverFn): T {
    return JSON.parse(this.string(), reviver) as T;
  }
}
