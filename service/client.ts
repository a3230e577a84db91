/**
 * The monitoring side: PING, INFO and STATS sent to `$SRV` subjects, replies collected with
 * `requestMany`.
 *
 * @module
 */
import type { QueuedIterator } from "../src/api_shapes.ts";
import type { NatsConnection } from "../src/nats.ts";
import { QueuedIteratorImpl } from "../src/queued_iterator.ts";
import type { RequestManyOptions } from "../src/request.ts";
import { withDefaults } from "../src/option_check.ts";
import { controlSubject } from "./discovery.ts";
import { ServiceError } from "./error.ts";
import { type ServiceClient, type ServiceIdentity, type ServiceInfo, type ServiceStats, ServiceVerb } from "./types.ts";

/** How long a client collects replies by default (ms). */
export const DEFAULT_MAX_WAIT = 2000;

/** How a client collects replies when given no options (as nats.js): until they stop coming, at most 2 s. */
export const DEFAULT_CLIENT_OPTIONS: RequestManyOptions = { strategy: "stall", maxWait: DEFAULT_MAX_WAIT };

/**
 * The implementation of {@link ServiceClient}. As in nats.js, the iteration throws
 * `NoRespondersError` when no service listens, the `SyntaxError` of a reply that is not JSON, and
 * the {@link ServiceError} of an error reply, after the replies that came before it.
 *
 * @example
 * ```ts ignore
 * const client = new Svcm(nc).client({ maxWait: 500 });
 * for await (const s of await client.stats("calc")) console.log(s.id, s.endpoints);
 * ```
 */
export class ServiceClientImpl implements ServiceClient {
  readonly #nc: NatsConnection;
  readonly #opts: RequestManyOptions;
  readonly #prefix: string;

  /**
   * A client on `nc` that collects replies as `opts` says (none: {@link DEFAULT_CLIENT_OPTIONS};
   * without `maxWait`, 2 s), under `prefix`.
   */
  constructor(nc: NatsConnection, opts: RequestManyOptions | undefined, prefix: string) {
    this.#nc = nc;
    this.#opts = opts === undefined ? DEFAULT_CLIENT_OPTIONS : withDefaults({ maxWait: DEFAULT_MAX_WAIT }, opts);
    this.#prefix = prefix;
  }

  ping(name?: string, id?: string): Promise<QueuedIterator<ServiceIdentity>> {
    return this.#query<ServiceIdentity>(ServiceVerb.PING, name, id);
  }

  stats(name?: string, id?: string): Promise<QueuedIterator<ServiceStats>> {
    return this.#query<ServiceStats>(ServiceVerb.STATS, name, id);
  }

  info(name?: string, id?: string): Promise<QueuedIterator<ServiceInfo>> {
    return this.#query<ServiceInfo>(ServiceVerb.INFO, name, id);
  }

  async #query<T>(verb: ServiceVerb, name?: string, id?: string): Promise<QueuedIterator<T>> {
    const replies = (await this.#nc.requestMany(controlSubject(verb, name, id, this.#prefix), undefined, this.#opts))
      [Symbol.asyncIterator]();
    // stopping the results stops collecting (the inbox is unsubscribed)
    const out = new QueuedIteratorImpl<T>(() => void replies.return?.());
    (async () => {
      for (let r = await replies.next(); !r.done && !out.ended; r = await replies.next()) {
        const err = ServiceError.toServiceError(r.value);
        if (err) throw err;
        out.push(r.value.json<T>());
      }
    })().then(() => out.end(), (err) => {
      void replies.return?.();
      out.end(err);
    });
    return out;
  }
}
