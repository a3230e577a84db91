/**
 * Workaround (internal): `jetstream/consumers_api.ts` puts a filter subject with wildcards into
 * the `CONSUMER.CREATE.<stream>.<name>.<filter>` request subject, which the core client refuses to
 * publish. This API drops such a filter from the subject (the server reads it from the body).
 * Remove once the JetStream module leaves wildcard filters out of the subject itself.
 *
 * @module
 */
import { type ApiCallOptions, JsApi } from "../jetstream/mod.ts";

/** A {@link JsApi} that sends consumer creates with wildcard filters on the unfiltered subject. */
export class ConsumerSafeApi extends JsApi {
  override request<T>(subject: string, body?: unknown, opts?: ApiCallOptions): Promise<T> {
    if (subject.startsWith("CONSUMER.CREATE.")) {
      const t = subject.split(".");
      if (t.length > 4 && t.slice(4).some((x) => x === "*" || x === ">")) subject = t.slice(0, 4).join(".");
    }
    return super.request<T>(subject, body, opts);
  }
}
