/**
 * The JetStream manager: streams, consumers, direct gets, account info and advisories.
 *
 * @module
 */
import type { NatsConnection } from "../src/core.ts";
import { Advisories, type AdvisoriesOptions } from "./advisories.ts";
import { type JetStreamOptions, JsApi } from "./api.ts";
import type { JetStreamAccountStats } from "./api_types.ts";
import { jetstream, type JetStreamClient } from "./client.ts";
import { ConsumerAPI } from "./consumers_api.ts";
import { DirectStreamAPI } from "./direct.ts";
import { StreamAPI } from "./streams.ts";

/**
 * Administers JetStream. Create it with {@link jetstreamManager}.
 *
 * @example
 * ```ts ignore
 * const jsm = await jetstreamManager(nc);
 * await jsm.streams.add({ name: "ORDERS", subjects: ["orders.>"] });
 * console.log((await jsm.getAccountInfo()).streams);
 * ```
 */
export class JetStreamManager {
  /** Stream management. */
  readonly streams: StreamAPI;
  /** Consumer management. */
  readonly consumers: ConsumerAPI;
  /** Direct gets. */
  readonly direct: DirectStreamAPI;
  /** The API client (connection, prefix, timeout, server features). */
  readonly api: JsApi;

  /** Creates the manager over `api`. */
  constructor(api: JsApi) {
    this.api = api;
    this.streams = new StreamAPI(api);
    this.consumers = new ConsumerAPI(api);
    this.direct = new DirectStreamAPI(api);
  }

  /** The account's JetStream usage and limits (`$JS.API.INFO`). */
  async getAccountInfo(): Promise<JetStreamAccountStats> {
    const r = await this.api.request<JetStreamAccountStats & { type?: string }>("INFO");
    delete r.type;
    return r;
  }

  /** The options this manager was created with. */
  getOptions(): JetStreamOptions {
    return { ...this.api.opts };
  }

  /** A client with the same options. */
  jetstream(): JetStreamClient {
    return jetstream(this.api.nc, this.api.opts);
  }

  /**
   * Subscribes to the account's JetStream advisories (and the sampled ack metric) now; see
   * {@link Advisories}. The event subjects are fixed (`$JS.EVENT.…`), whatever the API prefix.
   */
  advisories(opts?: AdvisoriesOptions): Advisories {
    return new Advisories(this.api.nc, opts);
  }
}

/**
 * Creates a {@link JetStreamManager}, checking with `$JS.API.INFO` that JetStream is enabled
 * (rejects with `JetStreamNotEnabledError` otherwise) unless `opts.checkAPI` is false.
 *
 * @example
 * ```ts ignore
 * import { jetstreamManager } from "@natsw/natsw/jetstream";
 * const jsm = await jetstreamManager(nc, { domain: "hub" });
 * ```
 */
export async function jetstreamManager(nc: NatsConnection, opts: JetStreamOptions = {}): Promise<JetStreamManager> {
  const jsm = new JetStreamManager(new JsApi(nc, opts));
  if (opts.checkAPI !== false) await jsm.getAccountInfo();
  return jsm;
}
