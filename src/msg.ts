/**
 * Received messages.
 *
 * @module
 */
import type { MsgHdrs } from "./headers.ts";
import { MsgHdrsImpl } from "./headers.ts";
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
  json<T = unknown>(): T;
}

/** Publishes responses for {@link MsgImpl.respond}. */
export interface Responder {
  /** Publishes like `NatsConnection.publish`. */
  publish(subject: string, payload?: Payload, options?: RespondOptions): void;
}

/** The implementation of {@link Msg}. */
export class MsgImpl implements Msg {
  readonly subject: string;
  readonly sid: number;
  readonly reply: string | undefined;
  readonly data: Uint8Array;
  #rawHeaders: Uint8Array | undefined;
  #headerTable: Int32Array | undefined;
  #headers: MsgHdrs | undefined;
  #responder: Responder;

  /** Creates a message; `rawHeaders`/`headerTable` come from the header scanner. */
  constructor(
    subject: string,
    sid: number,
    reply: string | undefined,
    data: Uint8Array,
    responder: Responder,
    rawHeaders?: Uint8Array,
    headerTable?: Int32Array,
  ) {
    this.subject = subject;
    this.sid = sid;
    this.reply = reply;
    this.data = data;
    this.#responder = responder;
    this.#rawHeaders = rawHeaders;
    this.#headerTable = headerTable;
  }

  /** The status code of a status message (0 when none), without decoding the headers. */
  get statusCode(): number {
    return this.#headerTable ? this.#headerTable[0] : 0;
  }

  get headers(): MsgHdrs | undefined {
    if (this.#headers === undefined && this.#rawHeaders && this.#headerTable) {
      this.#headers = MsgHdrsImpl.fromScan(this.#rawHeaders, this.#headerTable);
      this.#rawHeaders = undefined;
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

  json<T = unknown>(): T {
    return JSON.parse(this.string()) as T;
  }
}
