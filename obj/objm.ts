/**
 * The object store manager: creates, opens and lists buckets.
 *
 * @module
 */
import type { NatsConnection } from "../src/core.ts";
import {
  jetstream,
  JetStreamApiError,
  JetStreamClient,
  JetStreamManager,
  JsApiCodes,
  Lister,
  type StreamInfo,
} from "../jetstream/mod.ts";
import { OBJ_STREAM_PREFIX, validateBucket } from "./codec.ts";
import { statusOf, streamConfig } from "./status.ts";
import { BucketNotFoundError } from "./errors.ts";
import { ObjectStore } from "./store.ts";
import { type ObjectStoreOptions, objectStoreOptionsRules, type ObjectStoreStatus } from "./types.ts";
import { bool, checkOptions, type OptionRules } from "../src/option_check.ts";

/** The rules of the options object `Objm.open()` takes. */
const openRules: OptionRules = { check: bool };

/**
 * Object store manager over a connection or a JetStream client (whose options, e.g. a domain, it
 * uses).
 *
 * @example
 * ```ts ignore
 * import { Objm } from "@natsw/natsw/obj";
 * const objm = new Objm(nc);
 * const os = await objm.create("files", { storage: "memory" });
 * for await (const s of objm.list()) console.log(s.bucket, s.size);
 * ```
 */
export class Objm {
  /** The JetStream client used. */
  readonly js: JetStreamClient;
  readonly #jsm: JetStreamManager;

  /** Creates the manager. */
  constructor(nc: NatsConnection | JetStreamClient) {
    this.js = nc instanceof JetStreamClient ? nc : jetstream(nc);
    this.#jsm = new JetStreamManager(this.js.api);
  }

  /**
   * Creates bucket `name` and returns it; when it exists, opens it as it is (its settings are not
   * changed, as nats.js). `ttl` is in nanoseconds, like the official client.
   */
  async create(name: string, opts: ObjectStoreOptions = {}): Promise<ObjectStore> {
    validateBucket(name);
    checkOptions("object store", opts, objectStoreOptionsRules);
    try {
      return await ObjectStore.open(this.js, name);
    } catch (err) {
      if (!(err instanceof BucketNotFoundError)) throw err;
    }
    try {
      await this.#jsm.streams.add(streamConfig(name, opts));
    } catch (err) {
      // another client created it in between
      if (!(err instanceof JetStreamApiError && err.is(JsApiCodes.StreamNameExist))) throw err;
    }
    return await ObjectStore.open(this.js, name);
  }

  /** Opens bucket `name`; with `check` (default) rejects with `BucketNotFoundError` when it does not exist. */
  async open(name: string, check: boolean | { check?: boolean } = true): Promise<ObjectStore> {
    const c = typeof check === "boolean" ? check : checkOptions("open", check, openRules).check !== false;
    return await ObjectStore.open(this.js, name, c);
  }

  /** The status of every bucket: iterate it, or call `next()` for one page at a time (an empty page at the end). */
  list(): Lister<ObjectStoreStatus> {
    type Page = { streams?: StreamInfo[] };
    return new Lister<ObjectStoreStatus>(
      this.js.api,
      "STREAM.LIST",
      { subject: "$O.*.C.>" },
      (r) => ((r as Page).streams ?? []).filter((si) => si.config.name.startsWith(OBJ_STREAM_PREFIX)).map(statusOf),
      (r) => (r as Page).streams?.length ?? 0,
    );
  }

  /** The name of every bucket. */
  async *names(): AsyncIterable<string> {
    for await (const name of this.#jsm.streams.names("$O.*.C.>")) {
      if (name.startsWith(OBJ_STREAM_PREFIX)) yield name.slice(OBJ_STREAM_PREFIX.length);
    }
  }
}
