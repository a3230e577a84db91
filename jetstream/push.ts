/**
 * Push consumers (legacy): the server sends to the consumer's deliver subject; the client answers
 * flow-control requests as the application reaches them and watches idle heartbeats. A named push
 * consumer is looked up first; a bound one is read from its deliver subject without a lookup.
 *
 * @module
 */
import { InvalidArgumentError, InvalidOperationError } from "../src/core.ts";
import type { JsApi } from "./api.ts";
import type { ConsumerMessages } from "./consume_types.ts";
import type { ConsumerInfo } from "./consumer_types.ts";
import { ConsumerAPI } from "./consumers_api.ts";
import { checkPushOptions, type PushConsumerOptions, pushConsumeRules, PushMessages } from "./push_messages.ts";
import { millis, type Nanos } from "./util.ts";
import { checkOptions, int, MAX_TIMER_MS, type OptionRules, str, subject } from "../src/option_check.ts";

export type { PushConsumerOptions } from "./push_messages.ts";

/**
 * A push consumer: `consume()` subscribes to its deliver subject. Named, bound and ordered push
 * consumers share this surface.
 *
 * @example
 * ```ts ignore
 * const pc = await js.consumers.getPushConsumer("ORDERS", "pusher");
 * for await (const m of await pc.consume()) m.ack();
 * ```
 */
export interface PushConsumer {
  /** The consumer's info; `cached` returns the last one read. */
  info(cached?: boolean): Promise<ConsumerInfo>;
  /** Starts receiving. */
  consume(opts?: PushConsumerOptions): Promise<ConsumerMessages>;
  /** Deletes the consumer. */
  delete(): Promise<boolean>;
}

/**
 * What a bound push consumer needs: the values of the existing consumer's configuration (they
 * must match it; nothing is looked up).
 *
 * @example
 * ```ts ignore
 * const pc = await js.consumers.getBoundPushConsumer({ deliver_subject: "deliver.orders", deliver_group: "workers" });
 * ```
 */
export interface BoundPushConsumerOptions extends PushConsumerOptions {
  /** The consumer's `deliver_subject`. */
  deliver_subject: string;
  /** The consumer's `deliver_group` (the subscription joins it as a queue group). */
  deliver_group?: string;
  /** The consumer's `idle_heartbeat` in nanoseconds: missed heartbeats are reported on `status()`. */
  idle_heartbeat?: Nanos;
}

/** The rules of {@link BoundPushConsumerOptions} (`idle_heartbeat` in nanoseconds, at most a timer's range). */
export const boundPushConsumerRules: OptionRules = {
  ...pushConsumeRules,
  deliver_subject: subject(false),
  deliver_group: str(),
  idle_heartbeat: int(0, MAX_TIMER_MS * 1_000_000),
};

/** A push consumer that exists on the server, looked up by stream and name. */
export class NamedPushConsumer implements PushConsumer {
  readonly #api: JsApi;
  #info: ConsumerInfo;

  private constructor(api: JsApi, info: ConsumerInfo) {
    this.#api = api;
    this.#info = info;
  }

  /** Looks the consumer up; rejects when it is a pull consumer. */
  static async get(api: JsApi, stream: string, name: string): Promise<NamedPushConsumer> {
    const info = await new ConsumerAPI(api).info(stream, name);
    if (!info.config.deliver_subject) throw new InvalidArgumentError(`consumer '${name}' is not a push consumer`);
    return new NamedPushConsumer(api, info);
  }

  async info(cached = false): Promise<ConsumerInfo> {
    if (!cached) this.#info = await new ConsumerAPI(this.#api).info(this.#info.stream_name, this.#info.name);
    return this.#info;
  }

  consume(opts?: PushConsumerOptions): Promise<ConsumerMessages> {
    let o: PushConsumerOptions;
    try {
      o = checkPushOptions(opts);
    } catch (err) {
      return Promise.reject(err);
    }
    const cfg = this.#info.config;
    const hb = cfg.idle_heartbeat ? millis(cfg.idle_heartbeat) : 0;
    return Promise.resolve(
      new PushMessages(this.#api, { subject: cfg.deliver_subject!, queue: cfg.deliver_group, hb }, o),
    );
  }

  delete(): Promise<boolean> {
    return new ConsumerAPI(this.#api).delete(this.#info.stream_name, this.#info.name);
  }
}

/** A push consumer read from its deliver subject; its stream and name are unknown here. */
export class BoundPushConsumer implements PushConsumer {
  readonly #api: JsApi;
  readonly #opts: BoundPushConsumerOptions;

  /** Binds to `opts.deliver_subject` (nothing is sent until `consume()`). */
  constructor(api: JsApi, opts: BoundPushConsumerOptions) {
    checkOptions("bound push consumer", opts, boundPushConsumerRules);
    if (opts?.deliver_subject === undefined) throw new InvalidArgumentError("deliver_subject is required");
    this.#api = api;
    this.#opts = { ...opts };
  }

  /** Rejects: a bound push consumer does not know its stream and name. */
  info(): Promise<ConsumerInfo> {
    return Promise.reject(new InvalidOperationError("a bound push consumer cannot read its info"));
  }

  consume(opts?: PushConsumerOptions): Promise<ConsumerMessages> {
    let given: PushConsumerOptions;
    try {
      given = checkPushOptions(opts);
    } catch (err) {
      return Promise.reject(err);
    }
    const o = this.#opts;
    const target = {
      subject: o.deliver_subject,
      queue: o.deliver_group,
      hb: o.idle_heartbeat ? millis(o.idle_heartbeat) : 0,
    };
    const abort = given.abort_on_missing_resource ?? o.abort_on_missing_resource;
    return Promise.resolve(
      new PushMessages(this.#api, target, { callback: given.callback ?? o.callback, abort_on_missing_resource: abort }),
    );
  }

  /** Rejects: a bound push consumer does not know its stream and name. */
  delete(): Promise<boolean> {
    return Promise.reject(new InvalidOperationError("a bound push consumer cannot be deleted"));
  }
}
