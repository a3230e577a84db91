/**
 * Stream objects: a handle on one stream (its info, mirrors, consumers and messages), reached with
 * `jsm.streams.get(name)` or `js.streams.get(name)`.
 *
 * @module
 */
import type { JsApi } from "./api.ts";
import { Consumers } from "./client.ts";
import type { Consumer } from "./consumer.ts";
import type { ConsumerResetResponse } from "./consumer_types.ts";
import { ConsumerAPI } from "./consumers_api.ts";
import type { OrderedConsumerOptions } from "./ordered.ts";
import type { OrderedPushConsumerOptions } from "./ordered_push.ts";
import type { PushConsumer } from "./push.ts";
import type { StoredMsg } from "./stored_msg.ts";
import type { StreamAlternate, StreamInfo, StreamInfoRequestOptions } from "./stream_types.ts";
import { type MsgRequest, StreamAPI } from "./streams.ts";

/**
 * One stream. Get it with `jsm.streams.get(name)` or `js.streams.get(name)` (which read its info
 * once, so a missing stream fails there with the stream-not-found `JetStreamApiError`).
 *
 * @example
 * ```ts ignore
 * const stream = await js.streams.get("ORDERS");
 * console.log((await stream.info(true)).state.messages);
 * const c = await stream.getConsumer("worker");
 * const m = await c.next();
 * m?.ack();
 * ```
 */
export class Stream {
  readonly #api: JsApi;
  #info: StreamInfo;

  /** Wraps the stream whose info is `info` (use `streams.get()` instead). */
  constructor(api: JsApi, info: StreamInfo) {
    this.#api = api;
    this.#info = info;
  }

  /** Reads the stream's info and wraps it. */
  static async get(api: JsApi, name: string): Promise<Stream> {
    return new Stream(api, await new StreamAPI(api).info(name));
  }

  /** The stream's name. */
  get name(): string {
    return this.#info.config.name;
  }

  /** The stream's configuration and state; `cached` returns the last info read without a request. */
  async info(cached = false, opts?: StreamInfoRequestOptions): Promise<StreamInfo> {
    if (!cached) this.#info = await new StreamAPI(this.#api).info(this.name, opts);
    return this.#info;
  }

  /**
   * The stream and its mirrors that can serve reads, nearest first, from fresh info. The server
   * fills this in clusters only (2.9+), and only when a mirror exists; otherwise the list is empty.
   */
  async alternates(): Promise<StreamAlternate[]> {
    return (await this.info()).alternates ?? [];
  }

  /** The first of {@link Stream.alternates} as a stream (possibly this one); this one when there are none. */
  async best(): Promise<Stream> {
    const alts = await this.alternates();
    if (alts.length === 0) return this;
    return await Stream.get(this.#api, alts[0].name);
  }

  /**
   * The named pull consumer of this stream, or, given options or nothing, a new ordered consumer
   * (the same as `js.consumers.get(stream.name, name)`).
   */
  getConsumer(name?: string | OrderedConsumerOptions): Promise<Consumer> {
    return new Consumers(this.#api).get(this.name, name);
  }

  /**
   * The named push consumer of this stream (it must have a deliver subject), or, given options or
   * nothing, a new ordered push consumer (the same as `js.consumers.getPushConsumer(stream.name, name)`).
   */
  getPushConsumer(name?: string | OrderedPushConsumerOptions): Promise<PushConsumer> {
    return new Consumers(this.#api).getPushConsumer(this.name, name);
  }

  /** Reads one message through the API; null when there is none. */
  getMessage(query: MsgRequest): Promise<StoredMsg | null> {
    return new StreamAPI(this.#api).getMessage(this.name, query);
  }

  /** Deletes one message; `erase` (default) overwrites its data. */
  deleteMessage(seq: number, erase = true): Promise<boolean> {
    return new StreamAPI(this.#api).deleteMessage(this.name, seq, erase);
  }

  /** Resets the named consumer of this stream (2.14+; see `jsm.consumers.reset()`). */
  resetConsumer(name: string, seq?: number): Promise<ConsumerResetResponse> {
    return new ConsumerAPI(this.#api).reset(this.name, name, seq);
  }
}

/**
 * Gets stream objects, reached as `js.streams`.
 *
 * @example
 * ```ts ignore
 * const stream = await js.streams.get("ORDERS");
 * const sm = await stream.getMessage({ last_by_subj: "orders.1" });
 * ```
 */
export class Streams {
  readonly #api: JsApi;

  /** Creates the accessor over `api`. */
  constructor(api: JsApi) {
    this.#api = api;
  }

  /** The named stream; rejects with the stream-not-found `JetStreamApiError` when it does not exist. */
  get(name: string): Promise<Stream> {
    return Stream.get(this.#api, name);
  }
}
