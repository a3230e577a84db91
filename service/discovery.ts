/**
 * Discovery subjects (`$SRV.<VERB>[.<name>[.<id>]]`) and the subscriptions that answer them.
 *
 * @module
 */
import { InvalidArgumentError, type NatsError } from "../src/errors.ts";
import type { Msg } from "../src/msg.ts";
import type { NatsConnection } from "../src/nats.ts";
import type { Subscription } from "../src/subscription.ts";
import { ServiceErrorCodeHeader, ServiceErrorHeader } from "./error.ts";
import { headers } from "../src/headers.ts";
import { ServiceVerb } from "./types.ts";

/** The default prefix of discovery subjects. */
export const ServiceApiPrefix = "$SRV";

/**
 * The discovery subject for `verb`, addressed to every service, those named `name`, or one instance.
 *
 * @example
 * ```ts
 * import { controlSubject } from "./discovery.ts";
 * console.log(controlSubject("PING", "calc")); // "$SRV.PING.calc"
 * ```
 */
export function controlSubject(
  verb: ServiceVerb | `${ServiceVerb}`,
  name?: string,
  id?: string,
  prefix = ServiceApiPrefix,
): string {
  if (id && !name) throw new InvalidArgumentError("a service id needs a service name");
  return [prefix, verb, name, id].filter((t) => t).join(".");
}

/** What discovery needs from the service. */
export interface DiscoverySource {
  /** The service name. */
  readonly name: string;
  /** The instance id. */
  readonly id: string;
  /** The response body of `verb`. */
  answer(verb: ServiceVerb): unknown | Promise<unknown>;
}

function reply(msg: Msg, body: unknown | Promise<unknown>): void {
  Promise.resolve(body).then(
    (value) => msg.respond(JSON.stringify(value)),
    (err) => {
      const h = headers();
      h.set(ServiceErrorHeader, String(err instanceof Error ? err.message : err).replace(/[\r\n]+/g, " "));
      h.set(ServiceErrorCodeHeader, "500");
      msg.respond(undefined, { headers: h });
    },
  ).catch(() => {
    // the connection closed before the answer could be sent
  });
}

/** Subscribes (without queue group) to the three subjects of every verb. */
export function subscribeDiscovery(
  nc: NatsConnection,
  src: DiscoverySource,
  prefix: string,
  onClosed: (err: NatsError | undefined) => void,
): Subscription[] {
  const subs: Subscription[] = [];
  for (const verb of Object.values(ServiceVerb)) {
    for (
      const subject of [
        controlSubject(verb, undefined, undefined, prefix),
        controlSubject(verb, src.name, undefined, prefix),
        controlSubject(verb, src.name, src.id, prefix),
      ]
    ) {
      const sub = nc.subscribe(subject, {
        callback: (_err, msg) => {
          try {
            reply(msg, src.answer(verb));
          } catch (err) {
            reply(msg, Promise.reject(err));
          }
        },
      });
      sub.closed.then((err) => onClosed(err || undefined));
      subs.push(sub);
    }
  }
  return subs;
}
