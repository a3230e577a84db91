/**
 * A service: identity, endpoints, discovery subscriptions, stats and stop.
 *
 * @module
 */
import type { QueuedIterator } from "../src/api_shapes.ts";
import { deferred } from "../src/encoding.ts";
import { InvalidArgumentError, InvalidOperationError, type NatsError } from "../src/errors.ts";
import { checkOptions } from "../src/option_check.ts";
import type { NatsConnection } from "../src/nats.ts";
import { nuid } from "../src/nuid.ts";
import type { Subscription } from "../src/subscription.ts";
import { subscribeDiscovery } from "./discovery.ts";
import { type EndpointSpec, ServiceEndpoint } from "./endpoint.ts";
import { ServiceGroupImpl } from "./group.ts";
import {
  type EndpointOptions,
  type Service,
  type ServiceConfig,
  serviceConfigRules,
  type ServiceGroup,
  type ServiceHandler,
  type ServiceIdentity,
  type ServiceInfo,
  type ServiceMsg,
  ServiceResponseType,
  type ServiceStats,
  ServiceVerb,
} from "./types.ts";
import { checkName, checkVersion } from "./validate.ts";

/** The default queue group of endpoints. */
export const DEFAULT_QUEUE = "q";

/** The implementation of {@link Service}; built by `Svcm.add`. */
export class ServiceImpl implements Service {
  readonly #nc: NatsConnection;
  readonly #config: Readonly<ServiceConfig>;
  readonly #metadata: Readonly<Record<string, string>>;
  readonly #id = nuid.next();
  readonly #root: ServiceGroupImpl;
  readonly #endpoints: ServiceEndpoint[] = [];
  #discovery: Subscription[] = [];
  #started = new Date().toISOString();
  #stopping: Promise<null | Error> | undefined;
  readonly #done = deferred<null | Error>();

  /** Validates `config` (throws `InvalidArgumentError`); call {@link start} next. */
  constructor(nc: NatsConnection, config: ServiceConfig) {
    if (config === undefined) throw new InvalidArgumentError("a service needs a config ({ name, version })");
    checkOptions("service", config, serviceConfigRules);
    checkName("service", config.name);
    checkVersion(config.version);
    this.#nc = nc;
    this.#config = { ...config };
    this.#metadata = Object.freeze({ ...config.metadata });
    this.#root = new ServiceGroupImpl((spec) => this.#addEndpoint(spec), "", config.queue ?? DEFAULT_QUEUE);
  }

  /** The instance id. */
  get id(): string {
    return this.#id;
  }

  /** The service name. */
  get name(): string {
    return this.#config.name;
  }

  /** Subscribes to the discovery subjects under `prefix` and waits for the server to have them. */
  async start(prefix: string): Promise<Service> {
    this.#discovery = subscribeDiscovery(this.#nc, this, prefix, (err) => this.#subClosed(err));
    this.#nc.closed().then((err) => this.stop(err instanceof Error ? err : undefined));
    await this.#nc.flush();
    return this;
  }

  #subClosed(err: NatsError | undefined): void {
    if (err && !this.#stopping) this.stop(err);
  }

  #addEndpoint(spec: EndpointSpec): QueuedIterator<ServiceMsg> {
    if (this.#stopping) throw new InvalidOperationError(`service '${this.name}' is stopped`);
    const ep = new ServiceEndpoint(this.#nc, spec, (err) => this.#subClosed(err), () => void this.stop());
    this.#endpoints.push(ep);
    return ep.iterable();
  }

  /** The answer to a discovery verb. */
  answer(verb: ServiceVerb): ServiceIdentity | ServiceInfo | Promise<ServiceStats> {
    if (verb === ServiceVerb.INFO) return this.info();
    if (verb === ServiceVerb.STATS) return this.stats();
    return this.ping();
  }

  get stopped(): Promise<null | Error> {
    return this.#done.promise;
  }

  get isStopped(): boolean {
    return this.#stopping !== undefined;
  }

  #identity(type: ServiceResponseType): ServiceIdentity {
    const { name, version } = this.#config;
    return { type, name, id: this.#id, version, metadata: { ...this.#metadata } };
  }

  ping(): ServiceIdentity {
    return this.#identity(ServiceResponseType.PING);
  }

  info(): ServiceInfo {
    return {
      ...this.#identity(ServiceResponseType.INFO),
      description: this.#config.description ?? "",
      endpoints: this.#endpoints.map((e) => e.info()),
    };
  }

  async stats(): Promise<ServiceStats> {
    const handler = this.#config.statsHandler;
    const endpoints = await Promise.all(this.#endpoints.map((e) => e.stats(handler)));
    return { ...this.#identity(ServiceResponseType.STATS), endpoints, started: this.#started };
  }

  reset(): void {
    this.#started = new Date().toISOString();
    for (const e of this.#endpoints) e.reset();
  }

  stop(err?: Error): Promise<null | Error> {
    this.#stopping ??= (async () => {
      await Promise.all([
        ...this.#discovery.map((s) => s.drain().catch(() => {})),
        ...this.#endpoints.map((e) => e.drain()),
      ]);
      const result = err ?? null;
      this.#done.resolve(result);
      return result;
    })();
    return this.#stopping;
  }

  addEndpoint(name: string, opts?: ServiceHandler | EndpointOptions): QueuedIterator<ServiceMsg> {
    return this.#root.addEndpoint(name, opts);
  }

  addGroup(name?: string, queue?: string): ServiceGroup {
    return this.#root.addGroup(name, queue);
  }
}
