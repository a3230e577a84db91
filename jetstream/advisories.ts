/**
 * JetStream advisories: the events the server publishes about API calls, streams, consumers,
 * snapshots, deliveries and clustering (`$JS.EVENT.ADVISORY.>`), plus the sampled consumer ack
 * metric (`$JS.EVENT.METRIC.CONSUMER.ACK.>`), as one stoppable async iterable.
 *
 * @module
 */
import type { Msg, NatsConnection, NatsError, Subscription } from "../src/core.ts";
import { AsyncQueue } from "../src/queue.ts";
import { checkOptions, int, type OptionRules } from "../src/option_check.ts";

/**
 * The kinds of advisories {@link Advisories} yields (the last part of the event's `type`).
 *
 * @example
 * ```ts
 * import { AdvisoryKind } from "./advisories.ts";
 * console.log(AdvisoryKind.MaxDeliver); // "max_deliver"
 * ```
 */
export const AdvisoryKind = {
  /** A JetStream API call (audit). */
  API: "api_audit",
  /** A stream was created, updated or deleted. */
  StreamAction: "stream_action",
  /** A consumer was created or deleted. */
  ConsumerAction: "consumer_action",
  /** A stream snapshot started. */
  SnapshotCreate: "snapshot_create",
  /** A stream snapshot finished. */
  SnapshotComplete: "snapshot_complete",
  /** A stream restore started. */
  RestoreCreate: "restore_create",
  /** A stream restore finished. */
  RestoreComplete: "restore_complete",
  /** A message reached its consumer's `max_deliver`. */
  MaxDeliver: "max_deliver",
  /** A message was terminated (`term()`). */
  Terminated: "terminated",
  /** A sampled ack (consumers with `sample_freq`). */
  Ack: "consumer_ack",
  /** A replicated stream elected a leader. */
  StreamLeaderElected: "stream_leader_elected",
  /** A replicated stream lost its quorum. */
  StreamQuorumLost: "stream_quorum_lost",
  /** A replicated consumer elected a leader. */
  ConsumerLeaderElected: "consumer_leader_elected",
  /** A replicated consumer lost its quorum. */
  ConsumerQuorumLost: "consumer_quorum_lost",
} as const;
/** One of the {@link AdvisoryKind} values. */
export type AdvisoryKind = typeof AdvisoryKind[keyof typeof AdvisoryKind];

/**
 * One advisory: its kind and the event as the server sent it (parsed JSON; its `type` field names
 * the schema, e.g. `io.nats.jetstream.advisory.v1.stream_action`).
 *
 * @example
 * ```ts ignore
 * for await (const a of jsm.advisories()) {
 *   if (a.kind === AdvisoryKind.StreamAction) console.log((a.data as { stream: string }).stream);
 * }
 * ```
 */
export interface Advisory {
  /** What happened. */
  kind: AdvisoryKind;
  /** The event. */
  data: unknown;
}

const ADVISORY_PREFIX = "$JS.EVENT.ADVISORY.";
const ACK_METRIC_PREFIX = "$JS.EVENT.METRIC.CONSUMER.ACK.";

// The tokens after `$JS.EVENT.ADVISORY.` that name an event (stream and consumer names follow).
const KINDS: Record<string, AdvisoryKind> = {
  "API": AdvisoryKind.API,
  "STREAM.CREATED": AdvisoryKind.StreamAction,
  "STREAM.UPDATED": AdvisoryKind.StreamAction,
  "STREAM.DELETED": AdvisoryKind.StreamAction,
  "CONSUMER.CREATED": AdvisoryKind.ConsumerAction,
  "CONSUMER.DELETED": AdvisoryKind.ConsumerAction,
  "STREAM.SNAPSHOT_CREATE": AdvisoryKind.SnapshotCreate,
  "STREAM.SNAPSHOT_COMPLETE": AdvisoryKind.SnapshotComplete,
  "STREAM.RESTORE_CREATE": AdvisoryKind.RestoreCreate,
  "STREAM.RESTORE_COMPLETE": AdvisoryKind.RestoreComplete,
  "CONSUMER.MAX_DELIVERIES": AdvisoryKind.MaxDeliver,
  "CONSUMER.MSG_TERMINATED": AdvisoryKind.Terminated,
  "STREAM.LEADER_ELECTED": AdvisoryKind.StreamLeaderElected,
  "STREAM.QUORUM_LOST": AdvisoryKind.StreamQuorumLost,
  "CONSUMER.LEADER_ELECTED": AdvisoryKind.ConsumerLeaderElected,
  "CONSUMER.QUORUM_LOST": AdvisoryKind.ConsumerQuorumLost,
};

/** The kind of the event published on `subject`, or undefined for events without a kind. */
/**
 * Most advisories an {@link Advisories} holds unread by default (`maxPending`); newer ones are
 * dropped (and counted) until the reader catches up.
 *
 * @example
 * ```ts
 * import { ADVISORIES_MAX_PENDING } from "./advisories.ts";
 * console.log(ADVISORIES_MAX_PENDING); // 10000
 * ```
 */
export const ADVISORIES_MAX_PENDING = 10_000;

/** Options of `jsm.advisories()`. */
export interface AdvisoriesOptions {
  /** Most advisories held unread (default {@link ADVISORIES_MAX_PENDING}); more are dropped and counted. */
  maxPending?: number;
}

/** The rules of {@link AdvisoriesOptions}. */
export const advisoriesRules: OptionRules = { maxPending: int(1) };

function kindOf(subject: string): AdvisoryKind | undefined {
  if (subject.startsWith(ADVISORY_PREFIX)) {
    const key = subject.slice(ADVISORY_PREFIX.length).split(".", 2).join(".");
    return Object.hasOwn(KINDS, key) ? KINDS[key] : undefined;
  }
  return subject.startsWith(ACK_METRIC_PREFIX) ? AdvisoryKind.Ack : undefined;
}

/**
 * The advisories of the account, from the moment `jsm.advisories()` was called. Iterate it once
 * with `for await`; leaving the loop (`break`, which also drops what is buffered), `stop()` or
 * `await using` unsubscribes. Events wait until read, at most `maxPending` of them (default
 * {@link ADVISORIES_MAX_PENDING}):
 * past that, new ones are dropped and counted in {@link Advisories.dropped}. Events
 * without a kind (e.g. pins, naks, batch or server events) and events that are not JSON are
 * skipped. If the connection closes, the iteration ends (with the subscription's error, e.g. a
 * permission violation on `$JS.EVENT.ADVISORY.>`, if there is one; a denied subscription to the
 * ack metric only loses `consumer_ack`).
 *
 * @example
 * ```ts ignore
 * await using advisories = jsm.advisories();
 * for await (const a of advisories) {
 *   if (a.kind === AdvisoryKind.MaxDeliver) console.log("gave up on", a.data);
 * }
 * ```
 */
export class Advisories implements AsyncIterable<Advisory>, AsyncDisposable {
  readonly #queue = new AsyncQueue<Advisory>();
  readonly #subs: Subscription[];
  readonly #maxPending: number;
  #dropped = 0;

  /** Subscribes on `nc` (use `jsm.advisories()`). */
  constructor(nc: NatsConnection, opts: AdvisoriesOptions = {}) {
    checkOptions("advisories", opts, advisoriesRules);
    this.#maxPending = opts.maxPending ?? ADVISORIES_MAX_PENDING;
    const callback = (_err: NatsError | null, m: Msg) => this.#onMsg(m);
    this.#subs = [ADVISORY_PREFIX, ACK_METRIC_PREFIX].map((p) => nc.subscribe(`${p}>`, { callback }));
    // The advisories decide: losing only the ack metric (e.g. no permission for it) is not fatal.
    this.#subs[0].closed.then((err) => this.#end(err || undefined));
    this.#queue.onReturn = () => {
      this.stop();
      this.#queue.discard();
    };
  }

  #onMsg(m: Msg): void {
    const kind = kindOf(m.subject);
    if (!kind) return;
    let data: unknown;
    try {
      data = m.json();
    } catch {
      return;
    }
    if (this.#queue.length >= this.#maxPending) this.#dropped++;
    else this.#queue.push({ kind, data });
  }

  /** Advisories dropped because `maxPending` were waiting to be read. */
  get dropped(): number {
    return this.#dropped;
  }

  #end(err?: NatsError): void {
    for (const sub of this.#subs) if (!sub.isClosed()) sub.unsubscribe();
    this.#queue.end(err);
  }

  /** Unsubscribes; advisories already received are still yielded, then the iteration ends. */
  stop(): void {
    this.#end();
  }

  /** The advisories, in arrival order (one iteration; leaving the loop stops). */
  [Symbol.asyncIterator](): AsyncIterator<Advisory> {
    return this.#queue;
  }

  /** Stops (for `await using`). */
  [Symbol.asyncDispose](): Promise<void> {
    this.stop();
    return Promise.resolve();
  }
}
