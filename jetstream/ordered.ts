/**
 * Ordered consumers (ADR-17): a client-managed ephemeral pull consumer (ack none, memory, one
 * replica) that is recreated from the last seen stream sequence + 1 whenever a gap, missed
 * heartbeats, a deleted consumer or a reconnect could have broken the order.
 *
 * @module
 */
import { InvalidArgumentError, InvalidOperationError, nuid } from "../src/core.ts";
import type { JsApi } from "./api.ts";
import type { ConsumeOptions, ConsumerMessages, FetchOptions, NextOptions } from "./consume_types.ts";
import { type ConsumerConfig, type ConsumerInfo, DeliverPolicy, ReplayPolicy } from "./consumer_types.ts";
import { type Consumer, firstOf, preparePull, startFetch } from "./consumer.ts";
import { ConsumerAPI } from "./consumers_api.ts";
import type { JsMsg, JsMsgImpl } from "./jsmsg.ts";
import { type PullHooks, PullMessages } from "./pull_messages.ts";
import type { ResolvedPullOptions } from "./pull_options.ts";
import { backoff, nanos, sleep } from "./util.ts";
import {
  arrayOf,
  bool,
  checkOptions,
  date,
  either,
  int,
  num,
  oneOf,
  type OptionRules,
  str,
  subject,
} from "../src/option_check.ts";
import { nameRule } from "./option_rules.ts";

/** Options of an ordered consumer. */
export interface OrderedConsumerOptions {
  /** Prefix of the generated consumer names. */
  name_prefix?: string;
  /** Only these subjects. */
  filter_subjects?: string | string[];
  /** Where to start (default all). */
  deliver_policy?: DeliverPolicy;
  /** Start sequence (with `by_start_sequence`). */
  opt_start_seq?: number;
  /** Start time (with `by_start_time`). */
  opt_start_time?: string | Date;
  /** Replay policy. */
  replay_policy?: ReplayPolicy;
  /** Milliseconds of inactivity before the server removes the consumer (default 5 min). */
  inactive_threshold?: number;
  /** Deliver only headers. */
  headers_only?: boolean;
}

/** The rules of {@link OrderedConsumerOptions}. */
export const orderedConsumerRules: OptionRules = {
  name_prefix: nameRule("ordered consumer prefix"),
  filter_subjects: either(subject(true), arrayOf(subject(true))),
  deliver_policy: oneOf(...Object.values(DeliverPolicy)),
  opt_start_seq: int(1),
  opt_start_time: either(str(), date),
  replay_policy: oneOf(...Object.values(ReplayPolicy)),
  inactive_threshold: num(1),
  headers_only: bool,
};

/**
 * Checks the options of an ordered consumer (`what` names it) against `rules`, and that a start
 * policy has its start; throws `InvalidArgumentError`.
 */
export function checkOrderedOptions<T extends OrderedConsumerOptions>(what: string, opts: T, rules: OptionRules): T {
  const o = checkOptions(what, opts, rules);
  if (o.deliver_policy === DeliverPolicy.StartSequence && o.opt_start_seq === undefined) {
    throw new InvalidArgumentError(`${what} option 'deliver_policy' by_start_sequence needs 'opt_start_seq'`);
  }
  if (o.deliver_policy === DeliverPolicy.StartTime && o.opt_start_time === undefined) {
    throw new InvalidArgumentError(`${what} option 'deliver_policy' by_start_time needs 'opt_start_time'`);
  }
  return o;
}

/**
 * The configuration of an ordered consumer named `name` that starts after stream sequence
 * `lastSeq` (0 = from the options' deliver policy): ack none, one delivery, memory, one replica.
 */
export function orderedConfig(o: OrderedConsumerOptions, name: string, lastSeq: number): ConsumerConfig {
  const filters = o.filter_subjects === undefined ? [] : [o.filter_subjects].flat();
  const cfg: ConsumerConfig = {
    name,
    ack_policy: "none",
    max_deliver: 1,
    mem_storage: true,
    num_replicas: 1,
    inactive_threshold: nanos(o.inactive_threshold ?? 5 * 60_000),
    deliver_policy: o.deliver_policy ?? "all",
  };
  if (o.replay_policy) cfg.replay_policy = o.replay_policy;
  if (o.headers_only) cfg.headers_only = true;
  if (filters.length === 1) cfg.filter_subject = filters[0];
  else if (filters.length > 1) cfg.filter_subjects = filters;
  else if (cfg.deliver_policy === "last_per_subject") cfg.filter_subject = ">";
  if (lastSeq > 0) {
    cfg.deliver_policy = "by_start_sequence";
    cfg.opt_start_seq = lastSeq + 1;
  } else if (cfg.deliver_policy === "by_start_sequence") cfg.opt_start_seq = o.opt_start_seq;
  else if (cfg.deliver_policy === "by_start_time") {
    const t = o.opt_start_time;
    cfg.opt_start_time = t instanceof Date ? t.toISOString() : t;
  }
  return cfg;
}

/** {@link preparePull} for an ordered consumer, which cannot `bind` (`InvalidArgumentError`, as nats.js). */
function prepareOrdered(
  api: JsApi,
  kind: "fetch" | "next" | "consume",
  opts: ConsumeOptions | FetchOptions | NextOptions | undefined,
): ResolvedPullOptions {
  const o = preparePull(api, kind, opts);
  if (o.bind) throw new InvalidArgumentError("'bind' is not supported");
  return o;
}

/** The implementation of {@link Consumer} for ordered consumers. */
export class OrderedConsumer implements Consumer {
  readonly #api: JsApi;
  readonly #stream: string;
  readonly #opts: OrderedConsumerOptions;
  readonly #prefix: string;
  #serial = 0;
  #name = "";
  #streamSeq = 0;
  #deliverSeq = 0;
  #info: ConsumerInfo | undefined;
  #busy = false;
  #stale = true;

  /** Creates the consumer view (the server consumer is created on first use); checks `opts` (`InvalidArgumentError`). */
  constructor(api: JsApi, stream: string, opts: OrderedConsumerOptions = {}) {
    checkOrderedOptions("ordered consumer", opts, orderedConsumerRules);
    this.#api = api;
    this.#stream = stream;
    this.#opts = opts;
    this.#prefix = opts.name_prefix ?? `oc_${nuid.next()}`;
  }

  #config(): ConsumerConfig {
    return orderedConfig(this.#opts, `${this.#prefix}_${++this.#serial}`, this.#streamSeq);
  }

  /**
   * Deletes the old server consumer (best effort) and creates the next one. Given a `signal`, a
   * failure is retried with backoff for as long as `failed` (told each error and the count so far)
   * returns true; without one it rejects at once.
   */
  async #recreate(
    signal?: AbortSignal,
    failed: (err: unknown, fails: number) => boolean = () => true,
  ): Promise<string | undefined> {
    const api = new ConsumerAPI(this.#api);
    if (this.#name) api.delete(this.#stream, this.#name).catch(() => {});
    for (let attempt = 0; !signal?.aborted; attempt++) {
      try {
        this.#info = await api.add(this.#stream, this.#config(), "create");
        this.#name = this.#info.name;
        this.#deliverSeq = 0;
        this.#stale = false;
        return this.#name;
      } catch (err) {
        if (!signal || !failed(err, attempt + 1)) throw err;
        await sleep(backoff(attempt, 250, 5000), signal);
      }
    }
    return undefined;
  }

  /**
   * Creates the server consumer now, as nats.js's `consumers.get()` does (otherwise the first
   * `fetch`, `next` or `consume` creates it); rejects when the stream does not exist.
   */
  async start(): Promise<void> {
    if (this.#stale) await this.#recreate();
  }

  #hooks(recover: boolean): PullHooks {
    const hooks: PullHooks = {
      accept: (m: JsMsgImpl) => {
        const i = m.info;
        if (i.deliverySequence !== this.#deliverSeq + 1) {
          this.#stale = true;
          return false;
        }
        this.#deliverSeq = i.deliverySequence;
        this.#streamSeq = i.streamSequence;
        return true;
      },
    };
    if (recover) {
      hooks.reset = (signal, failed) => {
        this.#stale = true;
        return this.#recreate(signal, failed);
      };
    }
    return hooks;
  }

  async #begin(): Promise<void> {
    if (this.#busy) throw new InvalidOperationError("an ordered consumer serves one fetch or consume at a time");
    this.#busy = true;
    try {
      if (this.#stale) await this.#recreate();
    } catch (err) {
      this.#busy = false;
      throw err;
    }
  }

  /** Frees the consumer for the next call when `pm` ends; one that failed (e.g. a 503) is recreated then. */
  #track(pm: PullMessages): PullMessages {
    pm.closed().then((err) => {
      this.#busy = false;
      if (err) this.#stale = true;
    });
    return pm;
  }

  async info(cached = false): Promise<ConsumerInfo> {
    if (cached && this.#info) return this.#info;
    if (!this.#name) throw new InvalidOperationError("the ordered consumer has not been started");
    this.#info = await new ConsumerAPI(this.#api).info(this.#stream, this.#name);
    return this.#info;
  }

  async #fetch(opts: ResolvedPullOptions): Promise<PullMessages> {
    await this.#begin();
    try {
      return this.#track(startFetch(this.#api, this.#stream, this.#name, opts, this.#hooks(false)));
    } catch (err) {
      this.#busy = false;
      throw err;
    }
  }

  async fetch(opts?: FetchOptions): Promise<ConsumerMessages> {
    return await this.#fetch(prepareOrdered(this.#api, "fetch", opts));
  }

  async next(opts?: NextOptions): Promise<JsMsg | null> {
    return await firstOf(await this.#fetch(prepareOrdered(this.#api, "next", opts)));
  }

  async consume(opts?: ConsumeOptions): Promise<ConsumerMessages> {
    const resolved = prepareOrdered(this.#api, "consume", opts);
    await this.#begin();
    try {
      const pm = new PullMessages(
        { api: this.#api, stream: this.#stream, consumer: this.#name },
        resolved,
        this.#hooks(true),
      );
      pm.start();
      return this.#track(pm);
    } catch (err) {
      this.#busy = false;
      throw err;
    }
  }

  async delete(): Promise<boolean> {
    if (!this.#name) return false;
    return await new ConsumerAPI(this.#api).delete(this.#stream, this.#name);
  }
}
