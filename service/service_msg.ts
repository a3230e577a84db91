/**
 * The message an endpoint handler receives.
 *
 * @module
 */
import type { Payload } from "../src/encoding.ts";
import { headers, type MsgHdrs, toHeaders } from "../src/headers.ts";
import type { Msg, RespondOptions, ReviverFn } from "../src/msg.ts";
import { ServiceErrorCodeHeader, ServiceErrorHeader } from "./error.ts";
import type { ServiceMsg } from "./types.ts";

/** Header values cannot hold line breaks. */
function headerSafe(text: string): string {
  return text.replace(/[\r\n]+/g, " ");
}

/** The implementation of {@link ServiceMsg}: wraps a received message. */
export class ServiceMsgImpl implements ServiceMsg {
  readonly #msg: Msg;
  readonly #onError: (code: number, description: string) => void;
  readonly #onAnswer: (() => void) | undefined;
  #responded = false;

  /** Wraps `msg`; `onError` is told about every `respondError`, `onAnswer` about every response sent. */
  constructor(msg: Msg, onError: (code: number, description: string) => void, onAnswer?: () => void) {
    this.#msg = msg;
    this.#onError = onError;
    this.#onAnswer = onAnswer;
  }

  get subject(): string {
    return this.#msg.subject;
  }

  get sid(): number {
    return this.#msg.sid;
  }

  get reply(): string | undefined {
    return this.#msg.reply;
  }

  get data(): Uint8Array {
    return this.#msg.data;
  }

  get headers(): MsgHdrs | undefined {
    return this.#msg.headers;
  }

  /** True once a response (or error response) was sent. */
  get responded(): boolean {
    return this.#responded;
  }

  respond(payload?: Payload, options?: RespondOptions): boolean {
    const sent = this.#msg.respond(payload, options);
    this.#responded = true; // not when it threw (a bad payload): the service then answers 500
    this.#onAnswer?.();
    return sent;
  }

  respondError(code: number, description: string, data?: Payload, opts?: RespondOptions): boolean {
    this.#onError(code, description);
    return this.sendError(code, description, data, opts);
  }

  /** Sends an error response without counting it (the caller counts). */
  sendError(code: number, description: string, data?: Payload, opts?: RespondOptions): boolean {
    const h = opts?.headers ? toHeaders(opts.headers) : headers();
    h.set(ServiceErrorHeader, headerSafe(description));
    h.set(ServiceErrorCodeHeader, String(code));
    return this.respond(data, { ...opts, headers: h });
  }

  string(): string {
    return this.#msg.string();
  }

  json<T = unknown>(reviver?: ReviverFn): T {
    return this.#msg.json<T>(reviver);
  }
}
