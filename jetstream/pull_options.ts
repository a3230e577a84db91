/**
 * Defaults and checks of the pull options, and the message size used for byte budgets.
 *
 * @module
 */
import { InvalidArgumentError, type Msg } from "../src/core.ts";
import type { ConsumeOptions, FetchOptions } from "./consume_types.ts";
import type { PullRequest } from "./consumer_types.ts";
import type { JsMsg } from "./jsmsg.ts";

/** Pull options with defaults applied (times in ms). */
export interface ResolvedPullOptions {
  fetch: boolean;
  maxMsgs: number;
  maxBytes: number;
  expires: number;
  hb: number;
  thresholdMsgs: number;
  thresholdBytes: number;
  extra: Partial<PullRequest>;
  callback?: (m: JsMsg) => void;
  abortOnMissing: boolean;
  bind: boolean;
}

/**
 * Applies defaults and checks `opts`, as nats.js: `max_messages` and `max_bytes` exclude each
 * other, `expires` is at least 1 s, and `idle_heartbeat` (default `expires / 2`) is clamped to
 * 0.5–30 s; one that is more than half of `expires` is left for the server to refuse (400).
 */
export function resolvePullOptions(opts: ConsumeOptions & FetchOptions, fetch: boolean): ResolvedPullOptions {
  if (opts.max_messages !== undefined && opts.max_bytes !== undefined) {
    throw new InvalidArgumentError("'max_messages','max_bytes' are mutually exclusive");
  }
  const expires = opts.expires ?? 30_000;
  if (expires < 1000) throw new InvalidArgumentError("'expires' must be at least 1000ms");
  const hb = Math.floor(Math.min(30_000, Math.max(500, opts.idle_heartbeat || expires / 2)));
  const maxBytes = opts.max_bytes ?? 0;
  const maxMsgs = maxBytes > 0 ? 1_000_000 : Math.max(1, opts.max_messages ?? 100);
  const extra: Partial<PullRequest> = {};
  if (opts.group) extra.group = opts.group;
  if (opts.min_pending !== undefined) extra.min_pending = opts.min_pending;
  if (opts.min_ack_pending !== undefined) extra.min_ack_pending = opts.min_ack_pending;
  if (opts.priority !== undefined) extra.priority = opts.priority;
  return {
    fetch,
    maxMsgs,
    maxBytes,
    expires,
    hb,
    thresholdMsgs: Math.min(maxMsgs - 1, opts.threshold_messages ?? Math.floor(maxMsgs / 2)),
    thresholdBytes: Math.min(maxBytes - 1, opts.threshold_bytes ?? Math.floor(maxBytes / 2)),
    extra,
    callback: opts.callback,
    abortOnMissing: opts.abort_on_missing_resource ?? false,
    bind: opts.bind ?? false,
  };
}

/** Size of a message as the server counts it against max_bytes (approximate for headers). */
export function msgSize(m: Msg): number {
  let n = m.subject.length + (m.reply?.length ?? 0) + m.data.length;
  const h = m.headers;
  if (h) {
    n += 12;
    for (const [k, vs] of h) for (const v of vs) n += k.length + v.length + 4;
  }
  return n;
}
