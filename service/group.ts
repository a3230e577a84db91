/**
 * Groups: subject prefixes with a default queue group, nested as `parent.child`.
 *
 * @module
 */
import type { QueuedIterator } from "../src/api_shapes.ts";
import { checkGroupPrefix, checkName, joinSubject } from "./validate.ts";
import type { EndpointSpec } from "./endpoint.ts";
import {
  type EndpointOptions,
  endpointRules,
  queueRule,
  type ServiceGroup,
  type ServiceHandler,
  type ServiceMsg,
} from "./types.ts";
import { checkOptions } from "../src/option_check.ts";

/** Starts endpoints for a group (the service). */
export type EndpointStarter = (spec: EndpointSpec) => QueuedIterator<ServiceMsg>;

/**
 * The implementation of {@link ServiceGroup}.
 *
 * @example
 * ```ts ignore
 * const calc = service.addGroup("calc");
 * calc.addEndpoint("add", (_err, m) => m.respond(String(m.json<number[]>().reduce((a, b) => a + b))));
 * // listens on "calc.add" in the service's queue group
 * ```
 */
export class ServiceGroupImpl implements ServiceGroup {
  readonly #start: EndpointStarter;
  readonly #prefix: string;
  readonly #queue: string;

  /** A group on `prefix` whose endpoints default to `queue` ("" for none). */
  constructor(start: EndpointStarter, prefix: string, queue: string) {
    this.#start = start;
    this.#prefix = prefix;
    this.#queue = queue;
  }

  addEndpoint(name: string, opts?: ServiceHandler | EndpointOptions): QueuedIterator<ServiceMsg> {
    checkName("endpoint", name);
    const o: EndpointOptions = typeof opts === "function"
      ? { handler: opts }
      : checkOptions("endpoint", opts, endpointRules);
    return this.#start({
      name,
      subject: joinSubject(this.#prefix, o.subject ?? name),
      queue: o.queue ?? this.#queue,
      metadata: Object.freeze({ ...o.metadata }),
      handler: o.handler,
    });
  }

  addGroup(name = "", queue?: string): ServiceGroup {
    checkGroupPrefix(name);
    if (queue !== undefined) queueRule(queue, "group queue");
    return new ServiceGroupImpl(this.#start, joinSubject(this.#prefix, name), queue ?? this.#queue);
  }
}
