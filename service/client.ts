/**
 * The monitoring side: PING, INFO and STATS sent to `$SRV` subjects, replies collected with
 * `requestMany`.
 *
 * @module
 */
import { NoRespondersError } from "../src/errors.ts";
import type { NatsConnection } from "../src/nats.ts";
import type { RequestManyOptions } from "../src/request.ts";
import { withDefaults } from "../src/option_check.ts";
import { controlSubject } from "./discovery.ts";
import { ServiceError } from "./error.ts";
import { type ServiceClient, type ServiceIdentity, type ServiceInfo, type ServiceStats, ServiceVerb } from "./types.ts";

/** How long a client collects replies by default (ms). */
export const DEFAULT_MAX_WAIT = 2000;

/**
 * The implementation of {@link ServiceClient}. Replies that are service errors or not JSON are
 * skipped; when no service listens the iteration is empty.
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

  /** A client on `nc` that collects replies as `opts` says, under `prefix`. */
  constructor(nc: NatsConnection, opts: RequestManyOptions, prefix: string) {
    this.#nc = nc;
    this.#opts = withDefaults({ maxWait: DEFAULT_MAX_WAIT }, opts);
    this.#prefix = prefix;
  }

  ping(name?: string, id?: string): Promise<AsyncIterable<ServiceIdentity>> {
    return this.#query<ServiceIdentity>(ServiceVerb.PING, name, id);
  }

  stats(name?: string, id?: string): Promise<AsyncIterable<ServiceStats>> {
    return this.#query<ServiceStats>(ServiceVerb.STATS, name, id);
  }

  info(name?: string, id?: string): Promise<AsyncIterable<ServiceInfo>> {
    return this.#query<ServiceInfo>(ServiceVerb.INFO, name, id);
  }

  async #query<T>(verb: ServiceVerb, name?: string, id?: string): Promise<AsyncIterable<T>> {
    const replies = await this.#nc.requestMany(controlSubject(verb, name, id, this.#prefix), undefined, this.#opts);
    return (async function* (): AsyncGenerator<T> {
      try {
        for await (const msg of replies) {
          if (ServiceError.isServiceError(msg)) continue;
          let value: T;
          try {
            value = msg.json<T>();
          } catch {
            continue;
          }
          yield value;
        }
      } catch (err) {
        if (!(err instanceof NoRespondersError)) throw err;
      }
    })();
  }
}
