/**
 * Workarounds (internal) until the core and the JetStream module are fixed:
 *
 * 1. The core gives messages of a subscription without wildcards the subscribed subject instead of
 *    the subject on the wire, so consumer deliveries (which arrive on the pull inbox with the
 *    stream subject) would lose their key. Consumers created here subscribe to `<inbox>.*` and pull
 *    with the reply `<inbox>.r`, which makes the core decode the real subject.
 * 2. `jetstream/consumers_api.ts` puts a filter with wildcards into the
 *    `CONSUMER.CREATE.<stream>.<name>.<filter>` subject, which the core refuses to publish; such a
 *    filter is dropped from the subject here (the server reads it from the body).
 *
 * Remove both once the core and `jetstream/` are fixed.
 *
 * @module
 */
import type { NatsConnection, Subscription, SubscriptionOptions } from "../src/core.ts";
import { type ApiCallOptions, type JetStreamClient, JsApi } from "../jetstream/mod.ts";

/** A {@link JsApi} that sends consumer creates with wildcard filters on the unfiltered subject. */
class ConsumerSafeApi extends JsApi {
  override request<T>(subject: string, body?: unknown, opts?: ApiCallOptions): Promise<T> {
    if (subject.startsWith("CONSUMER.CREATE.")) {
      const t = subject.split(".");
      if (t.length > 4 && t.slice(4).some((x) => x === "*" || x === ">")) subject = t.slice(0, 4).join(".");
    }
    return super.request<T>(subject, body, opts);
  }
}

function bound(target: object, p: string | symbol): unknown {
  const v = Reflect.get(target, p, target);
  return typeof v === "function" ? v.bind(target) : v;
}

/** The connection seen by consumers: subscriptions to `<inbox>` become `<inbox>.*`. */
function decodingConnection(nc: NatsConnection): NatsConnection {
  const subscribe = (subject: string, opts?: SubscriptionOptions): Subscription => {
    const sub = nc.subscribe(`${subject}.*`, opts);
    const reply = `${subject}.r`;
    return new Proxy(sub, {
      get: (t, p) => p === "getSubject" ? () => reply : bound(t, p),
    });
  };
  return new Proxy(nc, { get: (t, p) => p === "subscribe" ? subscribe : bound(t, p) });
}

/** The API used for the consumers of watch, history and keys. */
export function consumerApi(js: JetStreamClient): JsApi {
  return new ConsumerSafeApi(decodingConnection(js.api.nc), js.api.opts);
}
