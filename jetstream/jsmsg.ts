/**
 * Messages delivered by a consumer: metadata parsed from the `$JS.ACK` reply subject (v1 and v2
 * layouts) and the acknowledgement verbs.
 *
 * @module
 */
import type { Msg, MsgHdrs, NatsConnection, ReviverFn } from "../src/core.ts";
import { publishDeferred } from "../src/nats.ts";
import { NotJetStreamMessageError } from "./errors.ts";
import type { PullRequest } from "./consumer_types.ts";
import { nanos } from "./util.ts";
import { bool, checkOptions, int, ms, num, type OptionRules, str } from "../src/option_check.ts";

/** The rules of the options of {@link JsMsg.ackAck}. */
const ackAckRules: OptionRules = { timeout: ms(1) };

/** Options of {@link JsMsg.next}: as nats.js's `Partial<PullOptions>`, times in milliseconds. */
export interface JsMsgNextOptions {
  /** Messages wanted (default 1). */
  batch?: number;
  /** Answer at once. */
  no_wait?: boolean;
  /** Milliseconds the server keeps the request open (0 or unset: no expiry). */
  expires?: number;
  /** Byte budget. */
  max_bytes?: number;
  /** Milliseconds between server heartbeats. */
  idle_heartbeat?: number;
}

/** The rules of {@link JsMsgNextOptions}. */
const nextRules: OptionRules = {
  batch: int(1),
  no_wait: bool,
  expires: ms(0),
  max_bytes: int(1),
  idle_heartbeat: ms(0),
};

/** Metadata of a delivered message. */
export interface DeliveryInfo {
  /** JetStream domain (empty when none). */
  domain: string;
  /** Account hash (empty for v1 ack subjects, as in nats.js). */
  account_hash?: string;
  /** Stream. */
  stream: string;
  /** Consumer. */
  consumer: string;
  /** How many times it was delivered (1 on first delivery); the nats.js name. */
  deliveryCount: number;
  /** The same as {@link DeliveryInfo.deliveryCount} (natsw's earlier name, kept as an alias). */
  redeliveryCount: number;
  /** True when delivered before. */
  redelivered: boolean;
  /** Stream sequence. */
  streamSequence: number;
  /** Consumer (delivery) sequence. */
  deliverySequence: number;
  /**
   * Store time, nanoseconds since the epoch, exact. A `bigint` (nats.js: a number, which loses the
   * last digits); `JsMsg.timestampNanos` is a `bigint` in both.
   */
  timestampNanos: bigint;
  /** Store time, milliseconds since the epoch. */
  timestamp: number;
  /** Messages still pending for the consumer. */
  pending: number;
}

/**
 * Parses a `$JS.ACK` reply subject: v1 (9 tokens) or v2 (11 or more tokens).
 * Throws {@link NotJetStreamMessageError} for anything else.
 *
 * @example
 * ```ts
 * import { parseAckSubject } from "./jsmsg.ts";
 * const i = parseAckSubject("$JS.ACK.S.C.1.5.5.1700000000000000000.0");
 * console.log(i.stream, i.streamSequence); // S 5
 * ```
 */
export function parseAckSubject(reply: string | undefined): DeliveryInfo {
  const t = (reply ?? "").split(".");
  if (t[0] !== "$JS" || t[1] !== "ACK" || !(t.length === 9 || t.length >= 11)) {
    throw new NotJetStreamMessageError(reply ?? "");
  }
  let domain = "";
  let account_hash = "";
  let i = 2;
  if (t.length >= 11) {
    domain = t[2] === "_" ? "" : t[2];
    account_hash = t[3];
    i = 4;
  }
  const delivered = Number(t[i + 2]);
  const ts = BigInt(t[i + 5]);
  return {
    domain,
    account_hash,
    stream: t[i],
    consumer: t[i + 1],
    deliveryCount: delivered,
    redeliveryCount: delivered,
    redelivered: delivered > 1,
    streamSequence: Number(t[i + 3]),
    deliverySequence: Number(t[i + 4]),
    timestampNanos: ts,
    timestamp: Number(ts / 1_000_000n),
    pending: Number(t[i + 6]),
  };
}

/**
 * A message from a JetStream consumer.
 *
 * @example
 * ```ts ignore
 * for await (const m of await consumer.consume()) {
 *   console.log(m.seq, m.subject, m.string());
 *   m.ack();
 * }
 * ```
 */
export interface JsMsg {
  /** The subject it was published to. */
  readonly subject: string;
  /** The payload. */
  readonly data: Uint8Array;
  /** Its headers. */
  readonly headers: MsgHdrs | undefined;
  /** The `$JS.ACK` reply subject. */
  readonly reply: string;
  /** Stream sequence. */
  readonly seq: number;
  /** True when delivered before. */
  readonly redelivered: boolean;
  /** Delivery metadata. */
  readonly info: DeliveryInfo;
  /** Store time. */
  readonly time: Date;
  /** Store time as an ISO 8601 string (millisecond precision). */
  readonly timestamp: string;
  /** Store time, nanoseconds since the epoch. */
  readonly timestampNanos: bigint;
  /** The id of the subscription that received it. */
  readonly sid: number;
  /** Acknowledges (terminal). */
  ack(): void;
  /** Asks for redelivery, after `delayMs` (a finite number; 0 or less: at once) when given (terminal). */
  nak(delayMs?: number): void;
  /** Tells the server work is in progress (resets the ack wait; repeatable). */
  working(): void;
  /** Stops redelivery; `reason` appears in the advisory (2.11) (terminal). */
  term(reason?: string): void;
  /**
   * Acknowledges and asks for more messages to be sent to `subject` (terminal); `opts.expires` and
   * `opts.idle_heartbeat` are milliseconds, as in nats.js.
   */
  next(subject: string, opts?: JsMsgNextOptions): void;
  /** Acknowledges and waits for the server to confirm; false if already acknowledged. */
  ackAck(opts?: { timeout?: number }): Promise<boolean>;
  /** The payload as UTF-8. */
  string(): string;
  /** The payload parsed as JSON. */
  json<T = unknown>(reviver?: ReviverFn): T;
}

/** The implementation of {@link JsMsg}. */
// Acknowledgement bodies, encoded once (an ack is sent for nearly every message consumed).
const ACK = new TextEncoder().encode("+ACK");
const NAK = new TextEncoder().encode("-NAK");
const WPI = new TextEncoder().encode("+WPI");
const TERM = new TextEncoder().encode("+TERM");

export class JsMsgImpl implements JsMsg {
  readonly msg: Msg;
  readonly #nc: NatsConnection;
  #info: DeliveryInfo | undefined;
  #done = false;

  /** Wraps `msg` delivered on `nc`. */
  constructor(msg: Msg, nc: NatsConnection) {
    this.msg = msg;
    this.#nc = nc;
  }

  get subject(): string {
    return this.msg.subject;
  }

  get data(): Uint8Array {
    return this.msg.data;
  }

  get headers(): MsgHdrs | undefined {
    return this.msg.headers;
  }

  get reply(): string {
    return this.msg.reply ?? "";
  }

  get info(): DeliveryInfo {
    return this.#info ??= parseAckSubject(this.msg.reply);
  }

  get seq(): number {
    return this.info.streamSequence;
  }

  get redelivered(): boolean {
    return this.info.redelivered;
  }

  get time(): Date {
    return new Date(this.info.timestamp);
  }

  get timestamp(): string {
    return this.time.toISOString();
  }

  get timestampNanos(): bigint {
    return this.info.timestampNanos;
  }

  get sid(): number {
    return this.msg.sid;
  }

  #send(payload: string | Uint8Array, terminal: boolean): void {
    if (this.#done) return;
    if (terminal) this.#done = true;
    if (typeof payload === "string") this.#nc.publish(this.reply, payload);
    else publishDeferred(this.#nc, this.reply, payload);
  }

  ack(): void {
    this.#send(ACK, true);
  }

  nak(delayMs?: number): void {
    if (delayMs !== undefined) num(-Number.MAX_VALUE)(delayMs, "nak delay");
    this.#send(delayMs && delayMs > 0 ? `-NAK ${JSON.stringify({ delay: nanos(delayMs) })}` : NAK, true);
  }

  working(): void {
    this.#send(WPI, false);
  }

  term(reason?: string): void {
    if (reason !== undefined) str(true)(reason, "term reason");
    this.#send(reason ? `+TERM ${reason}` : TERM, true);
  }

  next(subject: string, opts: JsMsgNextOptions = {}): void {
    const o = checkOptions("next", opts, nextRules);
    if (this.#done) return;
    this.#done = true;
    const req: Partial<PullRequest> = { batch: o.batch ?? 1, no_wait: o.no_wait ?? false };
    if (o.expires) req.expires = nanos(o.expires);
    if (o.max_bytes !== undefined) req.max_bytes = o.max_bytes;
    if (o.idle_heartbeat) req.idle_heartbeat = nanos(o.idle_heartbeat);
    this.#nc.publish(this.reply, `+NXT ${JSON.stringify(req)}`, { reply: subject });
  }

  async ackAck(opts: { timeout?: number } = {}): Promise<boolean> {
    checkOptions("ackAck", opts, ackAckRules);
    if (this.#done) return false;
    this.#done = true;
    await this.#nc.request(this.reply, "+ACK", { timeout: opts.timeout ?? 5000 });
    return true;
  }

  string(): string {
    return this.msg.string();
  }

  json<T = unknown>(reviver?: ReviverFn): T {
    return this.msg.json<T>(reviver);
  }
}
