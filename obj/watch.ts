/**
 * Reading the info subjects: the list of current infos and the watcher, both with an ordered
 * consumer on `$O.<bucket>.M.>`.
 *
 * @module
 */
import type { ConsumerMessages, JsApi, JsMsg } from "../jetstream/mod.ts";
import { DeliverPolicy, OrderedConsumer } from "../jetstream/mod.ts";
import { parseInfo } from "./codec.ts";
import type { ObjectInfo, ObjectWatchInfo } from "./types.ts";
import { bool, checkOptions, type OptionRules } from "../src/option_check.ts";
import { InvalidArgumentError } from "../src/core.ts";

/** Options of `watch()`. */
export interface ObjectWatchOptions {
  /** Skip deleted objects. */
  ignoreDeletes?: boolean;
  /** Every info revision still in the stream, not only the latest of each object. */
  includeHistory?: boolean;
  /** Only changes made after the watch began. */
  updatesOnly?: boolean;
}

/** The rules of {@link ObjectWatchOptions} (`includeHistory` and `updatesOnly` exclude each other). */
export const objectWatchRules: OptionRules = { ignoreDeletes: bool, includeHistory: bool, updatesOnly: bool };

/**
 * Milliseconds between the server's heartbeats (as nats.go's ordered consumers): a consumer lost
 * with its server is noticed after two, and recreated after the last info seen.
 */
const HEARTBEAT_MS = 5000;

function infoOf(m: JsMsg): ObjectInfo {
  return parseInfo(m.data, m.info.streamSequence, new Date(m.info.timestamp).toISOString());
}

/**
 * The latest info of every object in the bucket (deleted ones too); read until the consumer has
 * nothing pending.
 *
 * @example
 * ```ts ignore
 * const infos = await readAllInfos(js.api, "OBJ_files", "$O.files.M.>");
 * ```
 */
export async function readAllInfos(api: JsApi, stream: string, allMeta: string): Promise<ObjectInfo[]> {
  const oc = new OrderedConsumer(api, stream, {
    filter_subjects: allMeta,
    deliver_policy: DeliverPolicy.LastPerSubject,
  });
  const messages = await oc.consume({ max_messages: 256, idle_heartbeat: HEARTBEAT_MS });
  const out: ObjectInfo[] = [];
  try {
    if ((await oc.info(true)).num_pending === 0) return out;
    for await (const m of messages) {
      out.push(infoOf(m));
      if (m.info.pending === 0) break;
    }
    return out;
  } finally {
    await messages.close();
    await oc.delete().catch(() => false);
  }
}

/**
 * Changes to a bucket's objects, as `ObjectWatchInfo`s: first the current infos (`isUpdate`
 * false), then every later change (`isUpdate` true). Stop it with `stop()` or by leaving the loop.
 *
 * @example
 * ```ts ignore
 * const w = await os.watch();
 * for await (const info of w) {
 *   console.log(info.name, info.deleted, info.isUpdate);
 * }
 * ```
 */
export class ObjectWatcher implements AsyncIterable<ObjectWatchInfo>, AsyncDisposable {
  readonly #oc: OrderedConsumer;
  readonly #messages: ConsumerMessages;
  readonly #ignoreDeletes: boolean;
  #initial: boolean;
  #stopped = false;

  private constructor(oc: OrderedConsumer, messages: ConsumerMessages, initialPending: number, ignoreDeletes: boolean) {
    this.#oc = oc;
    this.#messages = messages;
    this.#initial = initialPending > 0;
    this.#ignoreDeletes = ignoreDeletes;
  }

  /** Starts watching `allMeta` of `stream`. */
  static async start(api: JsApi, stream: string, allMeta: string, opts: ObjectWatchOptions): Promise<ObjectWatcher> {
    checkOptions("watch", opts, objectWatchRules);
    if (opts.includeHistory && opts.updatesOnly) {
      throw new InvalidArgumentError("watch options 'includeHistory' and 'updatesOnly' exclude each other");
    }
    const deliver_policy = opts.updatesOnly
      ? DeliverPolicy.New
      : opts.includeHistory
      ? DeliverPolicy.All
      : DeliverPolicy.LastPerSubject;
    const oc = new OrderedConsumer(api, stream, { filter_subjects: allMeta, deliver_policy });
    const messages = await oc.consume({ max_messages: 256, idle_heartbeat: HEARTBEAT_MS });
    const pending = (await oc.info(true)).num_pending;
    return new ObjectWatcher(oc, messages, pending, opts.ignoreDeletes === true);
  }

  /** Ends the watch (the loop ends). */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await this.#messages.close();
    await this.#oc.delete().catch(() => false);
  }

  /** Same as {@link stop}. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  /** Iterates the object infos: the current ones, then updates. */
  async *[Symbol.asyncIterator](): AsyncIterator<ObjectWatchInfo> {
    try {
      for await (const m of this.#messages) {
        const isUpdate = !this.#initial;
        if (m.info.pending === 0) this.#initial = false;
        const info = infoOf(m);
        if (this.#ignoreDeletes && info.deleted) continue;
        yield { ...info, isUpdate };
      }
    } finally {
      await this.stop();
    }
  }
}
