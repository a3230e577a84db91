/**
 * Atomic batch publishing (ADR-50, nats-server 2.12+): a group of messages to one stream that is
 * stored all together or not at all. Every message carries `Nats-Batch-Id` and
 * `Nats-Batch-Sequence`; the first is a request the server answers with an empty ack (or an
 * error), the last carries `Nats-Batch-Commit` and is answered with a PubAck holding the batch id
 * and the message count. The stream needs `allow_atomic: true`.
 *
 * @module
 */
import { headers, InvalidArgumentError, InvalidOperationError, type MsgHdrs, nuid, type Payload } from "../src/core.ts";
import { payloadBytes } from "../src/encoding.ts";
import { parseApiResponse } from "./api.ts";
import type { PubAck } from "./api_types.ts";
import type { JetStreamClient } from "./client.ts";
import { Feature } from "./features.ts";
import { expectRules, type PublishExpectations } from "./publish.ts";
import { any, bool, checkOptions, int, ms, type OptionRules, shape, str, subject } from "../src/option_check.ts";
import { headersRule, ttlRule } from "./option_rules.ts";

/** Expectations a batch message may carry (`lastMsgID` is refused by the server). */
export type BatchExpectations = Omit<PublishExpectations, "lastMsgID">;

/** Options of one message in a batch. */
export interface BatchMessageOptions {
  /** Headers to send (copied; the batch headers are added). */
  headers?: MsgHdrs;
  /** Message id: the batch fails when it is a duplicate (nats-server 2.12.1+). */
  msgID?: string;
  /** Per-message TTL (streams with `allow_msg_ttl`): a Go duration string or milliseconds. */
  ttl?: string | number;
  /**
   * Expectations, checked when the batch commits against the stream as it was before the batch.
   * `lastSequence` is only allowed on the first message; `lastSubjectSequence` only when no earlier
   * message of the batch wrote the same subject.
   */
  expect?: Omit<BatchExpectations, "lastSequence">;
}

/** The rules of {@link BatchMessageOptions} (what batches refuse, such as `expect.lastMsgID`, gets its own error). */
const batchMessageRules: OptionRules = { headers: headersRule, msgID: str(), ttl: ttlRule, expect: shape(expectRules) };

/** Options of the first message of a batch ({@link startBatch}). */
export interface StartBatchOptions extends Omit<BatchMessageOptions, "expect"> {
  /** Expectations; `lastSequence` (the stream's last sequence before the batch) is allowed here. */
  expect?: BatchExpectations;
  /** Milliseconds to wait for each server answer (default: the JetStream timeout). */
  timeout?: number;
}

/** The rules of {@link StartBatchOptions} and {@link BatchCommitOptions}. */
const startBatchRules: OptionRules = { ...batchMessageRules, timeout: ms(1) };

/** Options of {@link Batch.add} when the server should confirm the message. */
export interface BatchAddAckOptions extends BatchMessageOptions {
  /** Send as a request and wait for the server's empty ack (a round trip; use sparingly). */
  ack: true;
}

/** The rules of {@link Batch.add}'s options. */
const batchAddRules: OptionRules = { ...batchMessageRules, ack: bool };

/** Options of {@link Batch.commit}. */
export interface BatchCommitOptions extends BatchMessageOptions {
  /** Milliseconds to wait for the PubAck (default: the batch's timeout). */
  timeout?: number;
}

/** The PubAck of a committed batch: `seq` is the last message's sequence. */
export interface BatchAck extends PubAck {
  /** The batch id. */
  batch: string;
  /** Messages stored by the batch. */
  count: number;
}

/** Server limits of atomic batches (nats-server defaults). */
export const BatchLimits = {
  /** Messages in one batch. */
  maxMessages: 1000,
  /** Batches in flight per stream. */
  maxInflightPerStream: 50,
  /** Milliseconds without traffic after which the server abandons a batch. */
  inactivityTimeout: 10_000,
  /** Characters in a batch id. */
  maxIdLength: 64,
} as const;

function batchHeaders(
  js: JetStreamClient,
  id: string,
  seq: number,
  opts: StartBatchOptions,
  commit?: "1" | "eob",
): MsgHdrs {
  const h = headers();
  if (opts.headers) { for (const [k, vs] of opts.headers) for (const v of vs) h.append(k, v); }
  h.set("Nats-Batch-Id", id);
  h.set("Nats-Batch-Sequence", String(seq));
  if (commit) h.set("Nats-Batch-Commit", commit);
  if (opts.msgID) {
    js.api.features.require(Feature.AtomicBatchMsgID);
    h.set("Nats-Msg-Id", opts.msgID);
  }
  const e = opts.expect as PublishExpectations | undefined;
  if (e?.lastMsgID !== undefined) {
    throw new InvalidArgumentError("expect.lastMsgID is not supported in atomic batches");
  }
  if (e?.lastSequence !== undefined) {
    if (seq !== 1) throw new InvalidArgumentError("expect.lastSequence is only allowed on the first batch message");
    h.set("Nats-Expected-Last-Sequence", String(e.lastSequence));
  }
  if (e?.streamName) h.set("Nats-Expected-Stream", e.streamName);
  if (e?.lastSubjectSequence !== undefined) {
    h.set("Nats-Expected-Last-Subject-Sequence", String(e.lastSubjectSequence));
  }
  if (e?.lastSubjectSequenceSubject) {
    h.set("Nats-Expected-Last-Subject-Sequence-Subject", e.lastSubjectSequenceSubject);
  }
  if (opts.ttl !== undefined) {
    h.set("Nats-TTL", typeof opts.ttl === "number" ? `${Math.ceil(opts.ttl)}ms` : opts.ttl);
  }
  return h;
}

/**
 * An open atomic batch, made by {@link startBatch} (or `js.startBatch()`). Add messages, then
 * commit. A batch that is never committed is dropped by the server after 10 s without traffic,
 * and nothing of it is stored. After `commit()`/`end()` (or a failed acked `add()`) it is closed.
 *
 * @example
 * ```ts ignore
 * const b = await js.startBatch("orders.1", "created");
 * b.add("orders.1", "paid");
 * const ack = await b.commit("orders.1", "shipped");
 * console.log(ack.batch, ack.count, ack.seq); // count 3, seq of "shipped"
 * ```
 */
export class Batch {
  /** The batch id (`Nats-Batch-Id`). */
  readonly id: string;
  readonly #js: JetStreamClient;
  readonly #timeout: number;
  #count: number;
  #lastSubject: string;
  #closed = false;

  /** Wraps a batch whose first message the server accepted (use {@link startBatch}). */
  constructor(js: JetStreamClient, id: string, subject: string, timeout: number) {
    this.#js = js;
    this.id = id;
    this.#count = 1;
    this.#lastSubject = subject;
    this.#timeout = timeout;
  }

  /** Messages sent so far (the first one included). */
  get count(): number {
    return this.#count;
  }

  /** True once committed, ended or failed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Appends a message without waiting (errors surface at commit). */
  add(subject: string, payload?: Payload, opts?: BatchMessageOptions): void;
  /** Appends a message and waits for the server to confirm it; rejects with its error. */
  add(subject: string, payload: Payload | undefined, opts: BatchAddAckOptions): Promise<void>;
  add(subject: string, payload?: Payload, opts: BatchMessageOptions | BatchAddAckOptions = {}): void | Promise<void> {
    checkOptions("batch add", opts, batchAddRules);
    const data = payloadBytes(payload); // before the sequence advances
    const h = this.#next(opts);
    const nc = this.#js.nc;
    this.#lastSubject = subject;
    if (!("ack" in opts && opts.ack)) {
      nc.publish(subject, data, { headers: h });
      return;
    }
    return nc.request(subject, data, { headers: h, timeout: this.#timeout }).then((m) => {
      if (m.data.length) parseApiResponse(m.data, subject);
    }).catch((err) => {
      this.#closed = true;
      throw err;
    });
  }

  /** Sends the last message with `Nats-Batch-Commit: 1`; the whole batch is stored or nothing. */
  commit(subject: string, payload?: Payload, opts: BatchCommitOptions = {}): Promise<BatchAck> {
    let h: MsgHdrs;
    let data: Uint8Array;
    try {
      checkOptions("batch commit", opts, startBatchRules);
      data = payloadBytes(payload);
      h = this.#next(opts, "1");
    } catch (err) {
      return Promise.reject(err);
    }
    this.#closed = true;
    return sendCommit(this.#js, subject, data, h, opts.timeout ?? this.#timeout);
  }

  /**
   * Commits the messages sent so far without storing another one: sends an end-of-batch marker
   * (`Nats-Batch-Commit: eob`) to the subject of the last message. Needs nats-server 2.14.
   */
  end(opts: { timeout?: number } = {}): Promise<BatchAck> {
    let h: MsgHdrs;
    try {
      checkOptions("batch end", opts, endRules);
      this.#js.api.features.require(Feature.AtomicBatchEOB);
      h = this.#next({}, "eob");
    } catch (err) {
      return Promise.reject(err);
    }
    this.#closed = true;
    return sendCommit(this.#js, this.#lastSubject, undefined, h, opts.timeout ?? this.#timeout);
  }

  #next(opts: BatchMessageOptions, commit?: "1" | "eob"): MsgHdrs {
    if (this.#closed) throw new InvalidOperationError(`batch ${this.id} is closed`);
    const h = batchHeaders(this.#js, this.id, this.#count + 1, opts, commit);
    if (commit !== "eob") this.#count++;
    return h;
  }
}

async function sendCommit(
  js: JetStreamClient,
  subject: string,
  payload: Payload | undefined,
  h: MsgHdrs,
  timeout: number,
): Promise<BatchAck> {
  const m = await js.nc.request(subject, payload, { headers: h, timeout });
  const ack = parseApiResponse<PubAck & { type?: string }>(m.data, subject);
  return {
    stream: ack.stream,
    seq: ack.seq,
    duplicate: ack.duplicate === true,
    ...(ack.domain ? { domain: ack.domain } : {}),
    batch: ack.batch ?? "",
    count: ack.count ?? 0,
  };
}

/**
 * Starts an atomic batch by sending its first message as a request; resolves with the open
 * {@link Batch} once the server accepted it. Throws `FeatureNotSupportedError` (before sending)
 * on servers older than 2.12, and rejects with `JetStreamApiError` when the stream refuses (e.g.
 * `AtomicPublishDisabled` when it lacks `allow_atomic`).
 *
 * @example
 * ```ts ignore
 * import { jetstream, startBatch } from "@natsw/natsw/jetstream";
 * const b = await startBatch(jetstream(nc), "acct.1.name", "Ann", { expect: { lastSequence: 0 } });
 * b.add("acct.1.city", "Paris");
 * await b.commit("acct.1.zip", "75001");
 * ```
 */
export async function startBatch(
  js: JetStreamClient,
  subject: string,
  payload?: Payload,
  opts: StartBatchOptions = {},
): Promise<Batch> {
  checkOptions("startBatch", opts, startBatchRules);
  js.api.features.require(Feature.AtomicBatch);
  const id = nuid.next();
  const timeout = opts.timeout ?? js.api.timeout;
  const h = batchHeaders(js, id, 1, opts);
  const m = await js.nc.request(subject, payload, { headers: h, timeout });
  if (m.data.length) parseApiResponse(m.data, subject);
  return new Batch(js, id, subject, timeout);
}

/** One message of {@link publishBatch}. */
export interface BatchMessage extends StartBatchOptions {
  /** The subject (all messages must go to the same stream). */
  subject: string;
  /** The payload. */
  payload?: Payload;
}

/** The rules of {@link BatchMessage}. */
const batchItemRules: OptionRules = { ...startBatchRules, subject: subject(false), payload: any };

/** Options of {@link publishBatch}. */
export interface PublishBatchOptions {
  /** Ask the server to confirm every n-th message (flow control; default: none in between). */
  ackEvery?: number;
  /** Milliseconds to wait for each server answer (default: the JetStream timeout). */
  timeout?: number;
}

/** The rules of {@link PublishBatchOptions}. */
const publishBatchRules: OptionRules = { ackEvery: int(1), timeout: ms(1) };

/** The rules of the options of {@link Batch.end}. */
const endRules: OptionRules = { timeout: ms(1) };

/**
 * Publishes `messages` as one atomic batch: all are stored, with consecutive sequences, or none.
 * A single message is sent as a batch of one (start and commit together).
 *
 * @example
 * ```ts ignore
 * import { jetstream, publishBatch } from "@natsw/natsw/jetstream";
 * const ack = await publishBatch(jetstream(nc), [
 *   { subject: "user.1.street", payload: "Main St 1" },
 *   { subject: "user.1.city", payload: "Springfield" },
 * ]);
 * console.log(ack.count); // 2
 * ```
 */
export async function publishBatch(
  js: JetStreamClient,
  messages: BatchMessage[],
  opts: PublishBatchOptions = {},
): Promise<BatchAck> {
  checkOptions("publishBatch", opts, publishBatchRules);
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new InvalidArgumentError("publishBatch needs an array of at least one message");
  }
  // every message (options and payload) is checked before the first one is sent
  const items = messages.map((m, i) => {
    checkOptions(`publishBatch message ${i}`, m, batchItemRules);
    if (m.subject === undefined) throw new InvalidArgumentError(`publishBatch message ${i} needs a subject`);
    const { subject, payload, timeout, ...o } = m;
    return { subject, data: payloadBytes(payload), timeout, o };
  });
  const timeout = opts.timeout ?? items[0].timeout ?? js.api.timeout;
  const first = items[0];
  if (items.length === 1) {
    js.api.features.require(Feature.AtomicBatch);
    const h = batchHeaders(js, nuid.next(), 1, first.o, "1");
    return await sendCommit(js, first.subject, first.data, h, timeout);
  }
  const b = await startBatch(js, first.subject, first.data, { ...first.o, timeout });
  const every = opts.ackEvery ?? 0;
  for (let i = 1; i < items.length - 1; i++) {
    const m = items[i];
    if (every > 0 && (i + 1) % every === 0) await b.add(m.subject, m.data, { ...m.o, ack: true });
    else b.add(m.subject, m.data, m.o);
  }
  const last = items[items.length - 1];
  return await b.commit(last.subject, last.data, { ...last.o, timeout: last.timeout ?? timeout });
}
