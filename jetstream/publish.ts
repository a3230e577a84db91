/**
 * Publishing to streams: a request whose reply is the PubAck. Many publishes can be in flight at
 * once on the connection's shared inbox; nothing is serialized.
 *
 * @module
 */
import {
  headers,
  InvalidArgumentError,
  type MsgHdrs,
  NoRespondersError,
  type Payload,
  TimeoutError,
} from "../src/core.ts";
import { payloadBytes } from "../src/encoding.ts";
import { toHeaders } from "../src/headers.ts";
import type { JsApi } from "./api.ts";
import { parseApiResponse } from "./api.ts";
import type { PubAck } from "./api_types.ts";
import { JetStreamNotEnabledError } from "./errors.ts";
import { Feature } from "./features.ts";
import {
  cancelScheduleRules,
  type ScheduleCancellation,
  type ScheduleOptions,
  scheduleRules,
  setCancelScheduleHeaders,
  setScheduleHeaders,
} from "./schedule.ts";
import { backoff, sleep } from "./util.ts";
import {
  checkOptions,
  describeValue,
  int,
  ms,
  type OptionRule,
  type OptionRules,
  shape,
  str,
  subject,
} from "../src/option_check.ts";
import { headersRule, nameRule, ttlRule } from "./option_rules.ts";

/** Expectations the stream checks before storing (each fails with its own `err_code`). */
export interface PublishExpectations {
  /** The stream that must store the message (10060). */
  streamName?: string;
  /** The stream's last sequence must be this (10071). */
  lastSequence?: number;
  /** The stream's last message id must be this (10070). */
  lastMsgID?: string;
  /** The last sequence of this subject must be this; 0 = subject empty (10071). */
  lastSubjectSequence?: number;
  /** Apply `lastSubjectSequence` to this (possibly wildcard) subject instead (2.11). */
  lastSubjectSequenceSubject?: string;
}

/** The rules of {@link PublishExpectations}. */
export const expectRules: OptionRules = {
  streamName: nameRule("expected stream"),
  lastSequence: int(0),
  lastMsgID: str(),
  lastSubjectSequence: int(0),
  lastSubjectSequenceSubject: subject(true),
};

/** A counter increment: a bigint, a safe integer or a string of digits with an optional sign. */
const incrRule: OptionRule = (v, label) => {
  const ok = typeof v === "bigint" || (typeof v === "number" && Number.isSafeInteger(v)) ||
    (typeof v === "string" && /^[+-]?\d+$/.test(v));
  if (!ok) {
    throw new InvalidArgumentError(`${label} must be an integer (bigint, number or string), got ${describeValue(v)}`);
  }
};

/**
 * Options of `js.publish()`.
 *
 * @example
 * ```ts ignore
 * await js.publish("orders.1", "{}", { msgID: "order-1", expect: { streamName: "ORDERS" } });
 * await js.publish("schedules.orders.1", "{}", { schedule: { specification: { every: "1m" }, target: "orders.1" } });
 * ```
 */
export interface JetStreamPublishOptions {
  /** Message id for deduplication within the stream's duplicate window. */
  msgID?: string;
  /** Expectations. */
  expect?: PublishExpectations;
  /** Headers to send (copied; the `Nats-*` ones set by options are added). */
  headers?: MsgHdrs;
  /** Milliseconds to wait for the PubAck (default: the JetStream timeout). */
  timeout?: number;
  /** Per-message TTL (2.11): a Go duration string (`"10s"`, `"never"`) or milliseconds. */
  ttl?: string | number;
  /** Counter increment (2.12, counter streams): sent as `Nats-Incr`. */
  incr?: bigint | number | string;
  /**
   * Attempts, as in nats.js: the publish is sent up to this many times while nobody answers (no
   * stream, or a leader election) or the PubAck times out, with backoff between attempts (default
   * 1: one attempt; 0 also means one).
   */
  retries?: number;
  /**
   * Makes this message a schedule (ADR-51; `@at` needs nats-server 2.12, the rest 2.14): the
   * stream (with `allow_msg_schedules`) keeps it on `subject` and publishes it to the target.
   */
  schedule?: ScheduleOptions;
  /**
   * Removes the schedule on another subject when this message is stored (nats-server 2.14). Not
   * together with `schedule`.
   */
  cancelSchedule?: ScheduleCancellation;
}

/** The rules of {@link JetStreamPublishOptions}. */
export const publishRules: OptionRules = {
  msgID: str(),
  expect: shape(expectRules),
  headers: headersRule,
  timeout: ms(1),
  ttl: ttlRule,
  incr: incrRule,
  retries: int(0),
  schedule: shape(scheduleRules),
  cancelSchedule: shape(cancelScheduleRules),
};

/** The headers a publish with `opts` sends (`opts.headers` itself when no option adds one). */
export function publishHeaders(api: JsApi, subject: string, opts: JetStreamPublishOptions): MsgHdrs | undefined {
  const e = opts.expect;
  if (
    !opts.msgID && !e && opts.ttl === undefined && opts.incr === undefined && opts.schedule === undefined &&
    opts.cancelSchedule === undefined
  ) return opts.headers;
  const h = headers();
  if (opts.headers) { for (const [k, vs] of toHeaders(opts.headers)) for (const v of vs) h.append(k, v); }
  if (opts.msgID) h.set("Nats-Msg-Id", opts.msgID);
  if (e?.streamName) h.set("Nats-Expected-Stream", e.streamName);
  if (e?.lastSequence !== undefined) h.set("Nats-Expected-Last-Sequence", String(e.lastSequence));
  if (e?.lastMsgID) h.set("Nats-Expected-Last-Msg-Id", e.lastMsgID);
  if (e?.lastSubjectSequence !== undefined) {
    h.set("Nats-Expected-Last-Subject-Sequence", String(e.lastSubjectSequence));
  }
  if (e?.lastSubjectSequenceSubject) {
    api.features.require(Feature.MessageTTL);
    h.set("Nats-Expected-Last-Subject-Sequence-Subject", e.lastSubjectSequenceSubject);
  }
  if (opts.ttl !== undefined) {
    api.features.require(Feature.MessageTTL);
    h.set("Nats-TTL", typeof opts.ttl === "number" ? `${Math.ceil(opts.ttl)}ms` : opts.ttl);
  }
  if (opts.incr !== undefined) {
    api.features.require(Feature.Stream212);
    const s = String(opts.incr);
    h.set("Nats-Incr", s.startsWith("-") || s.startsWith("+") ? s : `+${s}`);
  }
  if (opts.schedule !== undefined && opts.cancelSchedule !== undefined) {
    throw new InvalidArgumentError("schedule and cancelSchedule cannot be used together");
  }
  if (opts.schedule !== undefined) setScheduleHeaders(h, subject, opts.schedule, api.features);
  if (opts.cancelSchedule !== undefined) setCancelScheduleHeaders(h, subject, opts.cancelSchedule, api.features);
  return h;
}

/** Publishes `payload` to `subject` and resolves with the PubAck (see `JetStreamClient.publish`). */
export async function jsPublish(
  api: JsApi,
  subject: string,
  payload: Payload | undefined,
  opts: JetStreamPublishOptions = {},
): Promise<PubAck> {
  checkOptions("publish", opts, publishRules);
  const data = payloadBytes(payload);
  const h = publishHeaders(api, subject, opts);
  const timeout = opts.timeout ?? api.timeout;
  const attempts = Math.max(1, opts.retries ?? 1);
  for (let attempt = 0;; attempt++) {
    try {
      const msg = await api.nc.request(subject, data, { timeout, headers: h });
      const ack = parseApiResponse<PubAck & { type?: string }>(msg.data, subject);
      return {
        stream: ack.stream,
        seq: ack.seq,
        duplicate: ack.duplicate === true,
        ...(ack.domain ? { domain: ack.domain } : {}),
        ...(ack.val !== undefined ? { val: ack.val } : {}),
        ...(ack.batch !== undefined ? { batch: ack.batch, count: ack.count } : {}),
      };
    } catch (err) {
      const retriable = err instanceof NoRespondersError || err instanceof TimeoutError;
      if (retriable && attempt + 1 < attempts) {
        await sleep(backoff(attempt));
        continue;
      }
      if (err instanceof NoRespondersError) throw new JetStreamNotEnabledError(subject, { cause: err });
      throw err;
    }
  }
}
