/**
 * The JetStream client: publishing and getting consumers to read from.
 *
 * @module
 */
import type { NatsConnection, Payload } from "../src/core.ts";
import { type JetStreamOptions, JsApi } from "./api.ts";
import type { PubAck } from "./api_types.ts";
import { type Batch, startBatch, type StartBatchOptions } from "./batch.ts";
import { type Consumer, PullConsumer } from "./consumer.ts";
import { type FastIngest, startFastIngest } from "./fast_ingest.ts";
import type { StartFastIngestOptions } from "./fast_ingest_types.ts";
import { type JetStreamManager, jetstreamManager } from "./manager.ts";
import { OrderedConsumer, type OrderedConsumerOptions } from "./ordered.ts";
import { type JetStreamPublishOptions, jsPublish } from "./publish.ts";
import { OrderedPushConsumer, type OrderedPushConsumerOptions } from "./ordered_push.ts";
import { BoundPushConsumer, type BoundPushConsumerOptions, NamedPushConsumer, type PushConsumer } from "./push.ts";
import { Streams } from "./stream.ts";
import { validateName } from "./util.ts";

/**
 * Gets consumers, reached as `js.consumers`.
 *
 * @example
 * ```ts ignore
 * const durable = await js.consumers.get("ORDERS", "worker");
 * const ordered = await js.consumers.get("ORDERS", { filter_subjects: "orders.eu.>" });
 * const orderedPush = await js.consumers.getPushConsumer("ORDERS");
 * const bound = await js.consumers.getBoundPushConsumer({ deliver_subject: "deliver.orders" });
 * ```
 */
export class Consumers {
  readonly #api: JsApi;

  /** Creates the accessor over `api`. */
  constructor(api: JsApi) {
    this.#api = api;
  }

  /**
   * The named pull consumer of `stream` (it must exist), or, given options or nothing, a new
   * ordered consumer, created on the server here as nats.js does (so `info(true)` has it).
   */
  async get(stream: string, name?: string | OrderedConsumerOptions): Promise<Consumer> {
    validateName("stream", stream);
    if (typeof name === "string") return await PullConsumer.get(this.#api, stream, name);
    const oc = new OrderedConsumer(this.#api, stream, name ?? {});
    await oc.start();
    return oc;
  }

  /**
   * The named push consumer of `stream` (it must exist and have a deliver subject), or, given
   * options or nothing, a new ordered push consumer (the stream must exist).
   */
  async getPushConsumer(stream: string, name?: string | OrderedPushConsumerOptions): Promise<PushConsumer> {
    validateName("stream", stream);
    if (typeof name === "string") return await NamedPushConsumer.get(this.#api, stream, name);
    const pc = new OrderedPushConsumer(this.#api, stream, name ?? {});
    await this.#api.request(`STREAM.INFO.${stream}`);
    return pc;
  }

  /**
   * A push consumer read from `opts.deliver_subject` without looking it up (its `info()` and
   * `delete()` reject); `deliver_group` and `idle_heartbeat` must match the consumer's config.
   */
  getBoundPushConsumer(opts: BoundPushConsumerOptions): Promise<PushConsumer> {
    try {
      return Promise.resolve(new BoundPushConsumer(this.#api, opts));
    } catch (err) {
      return Promise.reject(err);
    }
  }
}

/**
 * Publishes to streams and reads from consumers. Create it with {@link jetstream}.
 *
 * @example
 * ```ts ignore
 * const js = jetstream(nc);
 * const ack = await js.publish("orders.1", JSON.stringify({ id: 1 }), { msgID: "order-1" });
 * console.log(ack.seq);
 * ```
 */
export class JetStreamClient {
  /** The API client (connection, prefix, timeout, server features). */
  readonly api: JsApi;
  /** Consumer access. */
  readonly consumers: Consumers;
  /** Stream objects. */
  readonly streams: Streams;

  /** Creates the client over `api`. */
  constructor(api: JsApi) {
    this.api = api;
    this.consumers = new Consumers(api);
    this.streams = new Streams(api);
  }

  /** The connection. */
  get nc(): NatsConnection {
    return this.api.nc;
  }

  /** The API prefix in use. */
  get apiPrefix(): string {
    return this.api.prefix;
  }

  /**
   * Publishes and resolves with the PubAck. Returns at once: keep many promises in flight for
   * throughput (each is a request on the shared inbox). Rejects with `JetStreamApiError` when the
   * stream refuses the message (e.g. a failed expectation), `JetStreamNotEnabledError` (its
   * `cause` a `NoRespondersError`) when no stream stores `subject`, `TimeoutError` without an
   * answer; `opts.retries` attempts are made for those two, as in nats.js (default one).
   */
  publish(subject: string, payload?: Payload, opts?: JetStreamPublishOptions): Promise<PubAck> {
    return jsPublish(this.api, subject, payload, opts);
  }

  /** Starts an atomic batch with its first message (see {@link startBatch}; nats-server 2.12+). */
  startBatch(subject: string, payload?: Payload, opts?: StartBatchOptions): Promise<Batch> {
    return startBatch(this, subject, payload, opts);
  }

  /**
   * Starts a fast-ingest batch with its first message (see {@link startFastIngest}; nats-server
   * 2.14+, streams with `allow_batched`). `opts.allowGaps` is required.
   */
  startFastIngest(subject: string, payload: Payload | undefined, opts: StartFastIngestOptions): Promise<FastIngest> {
    return startFastIngest(this, subject, payload, opts);
  }

  /** A manager with the same options; it checks that JetStream answers unless `checkAPI` (or the option) is false. */
  jetstreamManager(checkAPI?: boolean): Promise<JetStreamManager> {
    return jetstreamManager(this.api.nc, checkAPI === undefined ? this.api.opts : { ...this.api.opts, checkAPI });
  }

  /** The options this client was created with. */
  getOptions(): JetStreamOptions {
    return { ...this.api.opts };
  }
}

/**
 * Creates a {@link JetStreamClient} on `nc`.
 *
 * @example
 * ```ts ignore
 * import { jetstream } from "@natsw/natsw/jetstream";
 * const js = jetstream(nc, { timeout: 2000 });
 * ```
 */
export function jetstream(nc: NatsConnection, opts: JetStreamOptions = {}): JetStreamClient {
  return new JetStreamClient(new JsApi(nc, opts));
}
