/**
 * The service manager: builds services and monitoring clients on one connection.
 *
 * @module
 */
import type { NatsConnection } from "../src/nats.ts";
import { REQUEST_MANY_OPTION_RULES, type RequestManyOptions } from "../src/request.ts";
import { checkOptions, type OptionRules, subject } from "../src/option_check.ts";
import { ServiceClientImpl } from "./client.ts";
import { ServiceApiPrefix } from "./discovery.ts";
import { ServiceImpl } from "./service.ts";
import type { Service, ServiceClient, ServiceConfig } from "./types.ts";

/** Options of {@link Svcm}. */
export interface SvcmOptions {
  /** Prefix of the discovery subjects (default `$SRV`), e.g. for tooling across accounts. */
  prefix?: string;
}

/** The rules of {@link SvcmOptions}. */
const svcmRules: OptionRules = { prefix: subject(false) };

/**
 * Adds services to a connection and creates clients that discover them. Several services can
 * share one connection; stopping them leaves the connection open.
 *
 * @example
 * ```ts ignore
 * import { connect } from "@natsw/natsw";
 * import { Svcm } from "@natsw/natsw/service";
 * const nc = await connect({ servers: "127.0.0.1:4222" });
 * const svcm = new Svcm(nc);
 * const service = await svcm.add({ name: "echo", version: "1.0.0" });
 * service.addEndpoint("echo", (_err, m) => m.respond(m.data));
 * for await (const p of await svcm.client({ maxWait: 500 }).ping("echo")) console.log(p.id);
 * await service.stop();
 * ```
 */
export class Svcm {
  readonly #nc: NatsConnection;
  readonly #prefix: string;

  /** A manager for services on `nc`. */
  constructor(nc: NatsConnection, opts: SvcmOptions = {}) {
    checkOptions("Svcm", opts, svcmRules);
    this.#nc = nc;
    this.#prefix = opts.prefix ?? ServiceApiPrefix;
  }

  /**
   * Validates `config`, starts answering PING/INFO/STATS and resolves with the running service.
   * Throws `InvalidArgumentError` for a bad name or version.
   */
  add(config: ServiceConfig): Promise<Service> {
    try {
      return new ServiceImpl(this.#nc, config).start(this.#prefix);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * A client that collects discovery replies as `opts` says. Without options, as nats.js: until
   * they stop coming for 300 ms (`strategy: "stall"`), at most 2 s; options without `maxWait`
   * collect for 2 s.
   */
  client(opts?: RequestManyOptions, prefix: string = this.#prefix): ServiceClient {
    checkOptions("service client", opts, REQUEST_MANY_OPTION_RULES);
    subject(false)(prefix, "service client prefix");
    return new ServiceClientImpl(this.#nc, opts, prefix);
  }
}
