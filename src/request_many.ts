/**
 * `requestMany()`: one request, then every reply, on an inbox of its own, until a stop condition
 * holds. The replies wait for the reader in a queue bounded by the connection's pending limits.
 *
 * @module
 */
import type { Connection } from "./connection/connection.ts";
import { type Payload, payloadBytes, utf8Encoder } from "./encoding.ts";
import { InvalidArgumentError, type NatsError, NoRespondersError, SlowConsumerError } from "./errors.ts";
import type { Msg, MsgImpl } from "./msg.ts";
import { createInbox } from "./nuid.ts";
import { AsyncQueue } from "./queue.ts";
import type { RequestManyOptions, RequestStrategy } from "./request.ts";
import { DETACH_AFTER } from "./subscription.ts";
import { headerBlock } from "./trace.ts";
import { checkPublishLine, publishSubjectBytes } from "./validate.ts";

/** The stall of strategy `"stall"` when none is given (as nats.js). */
const DEFAULT_STALL = 300;

/** When one `requestMany()` ends, besides the reader leaving or the connection closing. */
interface StopPlan {
  /** Milliseconds to wait in all (for the first reply only, when `stallReplacesWait`). */
  maxWait: number;
  /** Replies after which it ends. */
  maxMessages: number | undefined;
  /** Milliseconds without a reply after which it ends. */
  stall: number | undefined;
  /** Once a reply came, only the stall timer runs (strategy `"stall"`, as nats.js). */
  stallReplacesWait: boolean;
  /** True for a reply that ends the request. */
  sentinel: ((msg: Msg) => boolean) | undefined;
  /** The ending reply is yielded first (strategy `"sentinel"`, as nats.js). */
  yieldSentinel: boolean;
}

const isEmpty = (msg: Msg): boolean => msg.data.length === 0;

/** The option each strategy uses besides `maxWait`; the others would be ignored, so they are refused. */
const OWN_OPTION: Record<RequestStrategy, string | undefined> = {
  timer: undefined,
  count: "maxMessages",
  stall: "stall",
  sentinel: undefined,
};

/** The stop plan of checked `opts`. Throws `InvalidArgumentError` for options its strategy ignores. */
function stopPlan(opts: RequestManyOptions, requestTimeout: number): StopPlan {
  const maxWait = opts.maxWait ?? requestTimeout;
  const strategy = opts.strategy;
  if (strategy === undefined) {
    return {
      maxWait,
      maxMessages: opts.maxMessages,
      stall: opts.stall !== undefined && opts.stall < maxWait ? opts.stall : undefined,
      stallReplacesWait: false,
      sentinel: opts.sentinel === true ? isEmpty : opts.sentinel,
      yieldSentinel: false,
    };
  }
  for (const key of ["maxMessages", "stall", "sentinel"] as const) {
    if (opts[key] !== undefined && OWN_OPTION[strategy] !== key) {
      throw new InvalidArgumentError(
        `requestMany option '${key}' does nothing with strategy '${strategy}': leave out strategy to combine stop conditions`,
      );
    }
  }
  if (strategy === "count" && opts.maxMessages === undefined) {
    throw new InvalidArgumentError("requestMany strategy 'count' needs maxMessages");
  }
  return {
    maxWait,
    maxMessages: opts.maxMessages,
    stall: strategy === "stall" ? opts.stall ?? DEFAULT_STALL : undefined,
    stallReplacesWait: strategy === "stall",
    sentinel: strategy === "sentinel" ? isEmpty : undefined,
    yieldSentinel: strategy === "sentinel",
  };
}

/**
 * Sends a request and returns its replies as they arrive, until `opts` says stop. `opts` must have
 * passed `REQUEST_MANY_OPTION_RULES`. Throws (before anything is sent) for a bad subject, payload,
 * header or option combination.
 */
export function requestMany(
  conn: Connection,
  subject: string,
  payload: Payload | undefined,
  opts: RequestManyOptions,
): AsyncIterable<Msg> {
  const plan = stopPlan(opts, conn.options.requestTimeout);
  const subjectBytes = publishSubjectBytes(subject);
  const data = payloadBytes(payload);
  const hdrs = headerBlock(opts);
  const inbox = createInbox(conn.options.inboxPrefix);
  const inboxBytes = utf8Encoder.encode(inbox);
  checkPublishLine(subjectBytes, inboxBytes); // before subscribing
  const { maxPendingMsgs, maxPendingBytes } = conn.options;
  const out = new AsyncQueue<Msg>();
  let count = 0;
  let pendingMsgs = 0;
  let pendingBytes = 0;
  let stallTimer: ReturnType<typeof setTimeout> | undefined;
  out.onTake = (m) => {
    pendingMsgs--;
    pendingBytes -= m.data.length;
  };
  const finish = (err?: NatsError) => {
    clearTimeout(total);
    clearTimeout(stallTimer);
    sub.unsubscribe();
    out.end(err);
  };
  /** Queues a reply; false (and the end, with `SlowConsumerError`) when the queue is full. */
  const accept = (msg: Msg): boolean => {
    const size = msg.data.length;
    if (pendingMsgs >= maxPendingMsgs || pendingBytes + size > maxPendingBytes) {
      conn.statusHub.emit({ type: "slowConsumer", sub, pending: pendingMsgs, dropped: 1 });
      finish(new SlowConsumerError("requestMany", pendingMsgs, pendingBytes));
      return false;
    }
    // replies kept waiting get buffers of their own (see DETACH_AFTER)
    if (pendingMsgs >= DETACH_AFTER) (msg as MsgImpl).detach();
    pendingMsgs++;
    pendingBytes += size;
    out.push(msg);
    return true;
  };
  const sub = conn.subscribe(inbox, {
    callback: (_err, msg) => {
      if (out.ended) return;
      if ((msg as MsgImpl).statusCode === 503 && msg.data.length === 0) {
        finish(count === 0 ? new NoRespondersError(subject) : undefined);
        return;
      }
      if (plan.sentinel?.(msg)) {
        if (!plan.yieldSentinel || accept(msg)) finish();
        return;
      }
      count++;
      if (!accept(msg)) return;
      if (plan.maxMessages !== undefined && count >= plan.maxMessages) return finish();
      if (plan.stall !== undefined) {
        if (plan.stallReplacesWait) clearTimeout(total);
        clearTimeout(stallTimer);
        stallTimer = setTimeout(() => finish(), plan.stall);
      }
    },
  });
  const total = setTimeout(() => finish(), plan.maxWait);
  out.onReturn = () => finish();
  // the inbox closed by itself (connection closed or drained, permission denied): end now
  sub.closed.then((err) => finish(err || undefined));
  try {
    conn.publishBytes(subjectBytes, inboxBytes, hdrs, data);
  } catch (err) {
    finish();
    throw err;
  }
  return out;
}
