/**
 * Message tracing (ADR-41, nats-server 2.11+): a publish or request can ask every server it
 * crosses to report the message's path (ingress, mappings, imports, JetStream, egress) as JSON
 * events published to a subject of your choice.
 *
 * @module
 */
import { InvalidArgumentError, InvalidSubjectError } from "./errors.ts";
import { Match, type MsgHdrs, MsgHdrsImpl, toHeaders } from "./headers.ts";
import { subjectProblem } from "./validate.ts";

/** Header naming the subject that receives the trace events. */
const TRACE_DEST = "Nats-Trace-Dest";
/** Header asking the servers to trace the message without delivering it. */
const TRACE_ONLY = "Nats-Trace-Only";

/**
 * Tracing options of `publish()`, `request()` and `requestMany()` (nats-server 2.11+).
 *
 * @example
 * ```ts ignore
 * nc.subscribe("trace.events", { callback: (_err, m) => console.log(m.json()) });
 * nc.publish("orders.new", "{}", { traceDestination: "trace.events", traceOnly: true });
 * ```
 */
export interface TraceOptions {
  /**
   * A subject (no wildcards) the servers publish trace events to, as JSON documents with
   * `server`, `request`, `hops` and `events` (each event has a `type`: `in`, `sm`, `se`, `si`,
   * `js` or `eg`). Sent as the `Nats-Trace-Dest` header.
   */
  traceDestination?: string;
  /**
   * Trace the message but do not deliver it (sent as `Nats-Trace-Only: true`): subscribers and
   * streams do not get it, so a request with it gets no reply. Needs `traceDestination`.
   */
  traceOnly?: boolean;
}

/**
 * The header block to send for `opts`: the caller's headers plus the trace headers, or
 * `undefined` when there is nothing to send. The caller's headers are never modified.
 * Throws `InvalidSubjectError` for a bad `traceDestination`, `InvalidArgumentError` for
 * `traceOnly` without one (the server would drop such a message without tracing it) and for
 * `headers` not made by `headers()` (e.g. a plain object).
 */
export function headerBlock(opts: TraceOptions & { headers?: MsgHdrs }): Uint8Array | undefined {
  const src = opts.headers === undefined || opts.headers === null ? undefined : toHeaders(opts.headers);
  if (opts.traceDestination === undefined && !opts.traceOnly) return src?.encode();
  const dest = opts.traceDestination;
  if (dest === undefined) throw new InvalidArgumentError("traceOnly needs a traceDestination");
  const why = subjectProblem(dest, false);
  if (why) throw new InvalidSubjectError(String(dest), why, "trace destination");
  const h = new MsgHdrsImpl(src?.code, src?.description);
  if (src) { for (const [k, vs] of src) for (const v of vs) h.append(k, v); }
  h.set(TRACE_DEST, dest, Match.IgnoreCase);
  if (opts.traceOnly) h.set(TRACE_ONLY, "true", Match.IgnoreCase);
  return h.encode();
}
