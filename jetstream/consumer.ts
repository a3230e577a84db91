/**
 * Pull consumers (ADR-37): `fetch`, `next` and `consume` over a consumer that already exists.
 *
 * @module
 */
import { InvalidArgumentError } from "../src/core.ts";
import type { JsApi } from "./api.ts";
import {
  type ConsumeOptions,
  type ConsumerMessages,
  consumeRules,
  type FetchOptions,
  fetchRules,
  type NextOptions,
  nextRules,
} from "./consume_types.ts";
import type { ConsumerInfo } from "./consumer_types.ts";
import { ConsumerAPI } from "./consumers_api.ts";
import { Feature } from "./features.ts";
import type { JsMsg } from "./jsmsg.ts";
import { type PullHooks, PullMessages } from "./pull_messages.ts";
import { type ResolvedPullOptions, resolvePullOptions } from "./pull_options.ts";
import { checkOptions } from "../src/option_check.ts";

/**
 * A consumer to read messages from.
 *
 * @example
 * ```ts ignore
 * const c = await js.consumers.get("ORDERS", "worker");
 * for (const m of await Array.fromAsync(await c.fetch({ max_messages: 10, expires: 2000 }))) m.ack();
 * ```
 */
export interface Consumer {
  /** The consumer's info; `cached` returns the last one read. */
  info(cached?: boolean): Promise<ConsumerInfo>;
  /** One pull request: up to `max_messages` (or `max_bytes`) within `expires`. */
  fetch(opts?: FetchOptions): Promise<ConsumerMessages>;
  /** The next message, or null when none arrives within `expires`. */
  next(opts?: NextOptions): Promise<JsMsg | null>;
  /** Continuous delivery with bounded buffering, refills and recovery. */
  consume(opts?: ConsumeOptions): Promise<ConsumerMessages>;
  /** Deletes the consumer. */
  delete(): Promise<boolean>;
}

/** Checks priority options against the server. */
export function checkPullFeatures(api: JsApi, opts: FetchOptions): void {
  if (opts.group || opts.min_pending !== undefined || opts.min_ack_pending !== undefined) {
    api.features.require(Feature.PriorityGroups);
  }
  if (opts.priority !== undefined) api.features.require(Feature.Stream212);
}

/**
 * Checks the options of `kind` (`fetch`, `next` or `consume`: unknown keys, types, ranges, what
 * the server supports) and applies the defaults; throws `InvalidArgumentError` before anything is
 * sent.
 */
export function preparePull(
  api: JsApi,
  kind: "fetch" | "next" | "consume",
  opts: ConsumeOptions | FetchOptions | NextOptions | undefined,
): ResolvedPullOptions {
  const o = checkOptions(kind, opts, kind === "consume" ? consumeRules : kind === "fetch" ? fetchRules : nextRules);
  checkPullFeatures(api, o);
  return resolvePullOptions(kind === "next" ? { ...o, max_messages: 1 } : o, kind !== "consume");
}

/** Starts a fetch over `stream`/`consumer` with options checked by {@link preparePull}. */
export function startFetch(
  api: JsApi,
  stream: string,
  consumer: string,
  opts: ResolvedPullOptions,
  hooks?: PullHooks,
): PullMessages {
  const pm = new PullMessages({ api, stream, consumer }, opts, hooks);
  pm.start();
  return pm;
}

/** Takes the first message of a fetch of one. */
export async function firstOf(pm: PullMessages): Promise<JsMsg | null> {
  for await (const m of pm) {
    pm.stop();
    return m;
  }
  const err = await pm.closed();
  if (err) throw err;
  return null;
}

/** The implementation of {@link Consumer} for a named pull consumer. */
export class PullConsumer implements Consumer {
  readonly #api: JsApi;
  readonly #stream: string;
  readonly #name: string;
  #info: ConsumerInfo;

  /** Wraps an existing consumer whose info is `info`. */
  constructor(api: JsApi, info: ConsumerInfo) {
    this.#api = api;
    this.#stream = info.stream_name;
    this.#name = info.name;
    this.#info = info;
  }

  /** Looks the consumer up and wraps it; rejects for a push consumer. */
  static async get(api: JsApi, stream: string, name: string): Promise<PullConsumer> {
    const info = await new ConsumerAPI(api).info(stream, name);
    if (info.config.deliver_subject) {
      throw new InvalidArgumentError(`consumer '${name}' is a push consumer (deliver_subject is set)`);
    }
    return new PullConsumer(api, info);
  }

  async info(cached = false): Promise<ConsumerInfo> {
    if (!cached) this.#info = await new ConsumerAPI(this.#api).info(this.#stream, this.#name);
    return this.#info;
  }

  fetch(opts?: FetchOptions): Promise<ConsumerMessages> {
    try {
      return Promise.resolve(startFetch(this.#api, this.#stream, this.#name, preparePull(this.#api, "fetch", opts)));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  async next(opts?: NextOptions): Promise<JsMsg | null> {
    return await firstOf(startFetch(this.#api, this.#stream, this.#name, preparePull(this.#api, "next", opts)));
  }

  consume(opts?: ConsumeOptions): Promise<ConsumerMessages> {
    try {
      const pm = new PullMessages(
        { api: this.#api, stream: this.#stream, consumer: this.#name },
        preparePull(this.#api, "consume", opts),
      );
      pm.start();
      return Promise.resolve(pm);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  delete(): Promise<boolean> {
    return new ConsumerAPI(this.#api).delete(this.#stream, this.#name);
  }
}
