/**
 * One endpoint: its subscription, its counters, and the handler or iterator that serves it.
 *
 * @module
 */
import { deferred } from "../src/encoding.ts";
import { InvalidOperationError, type NatsError } from "../src/errors.ts";
import type { Msg } from "../src/msg.ts";
import type { NatsConnection } from "../src/nats.ts";
import type { Subscription } from "../src/subscription.ts";
import { ServiceMsgImpl } from "./service_msg.ts";
import type { EndpointInfo, NamedEndpointStats, ServiceHandler, ServiceMsg } from "./types.ts";

/** Everything needed to start an endpoint (resolved from its group). */
export interface EndpointSpec {
  /** The endpoint name. */
  name: string;
  /** The full subject. */
  subject: string;
  /** The queue group, or an empty string for none. */
  queue: string;
  /** Frozen metadata. */
  metadata: Readonly<Record<string, string>>;
  /** The handler; when absent the endpoint is iterated. */
  handler?: ServiceHandler;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A running endpoint. */
export class ServiceEndpoint {
  readonly spec: EndpointSpec;
  readonly #sub: Subscription;
  readonly #inflight = new Set<Promise<void>>();
  readonly #iterations = new Set<Promise<void>>();
  #requests = 0;
  #errors = 0;
  #lastError = "";
  #timeNs = 0;

  /** Subscribes on `spec.subject`; `onClosed` learns when the subscription ends. */
  constructor(nc: NatsConnection, spec: EndpointSpec, onClosed: (err: NatsError | undefined) => void) {
    this.spec = spec;
    const handler = spec.handler;
    this.#sub = nc.subscribe(spec.subject, {
      queue: spec.queue === "" ? undefined : spec.queue,
      callback: handler ? (err, msg) => this.#dispatch(handler, err, msg) : undefined,
    });
    this.#sub.closed.then((err) => onClosed(err || undefined));
  }

  #countError(code: number, description: string): void {
    this.#errors++;
    this.#lastError = `${code}:${description}`;
  }

  #addTime(startMs: number): void {
    this.#timeNs += Math.round((performance.now() - startMs) * 1e6);
  }

  #wrap(msg: Msg): ServiceMsgImpl {
    this.#requests++;
    return new ServiceMsgImpl(msg, (code, description) => this.#countError(code, description));
  }

  #fail(sm: ServiceMsgImpl, err: unknown): void {
    const text = errorText(err);
    this.#countError(500, text);
    if (sm.responded) return;
    try {
      sm.sendError(500, text);
    } catch {
      // the connection is closing: the requester gets no answer either way
    }
  }

  #dispatch(handler: ServiceHandler, err: NatsError | null, msg: Msg): void {
    const sm = this.#wrap(msg);
    const start = performance.now();
    let result: unknown;
    try {
      result = handler(err, sm);
    } catch (e) {
      this.#addTime(start);
      this.#fail(sm, e);
      return;
    }
    if (!(result instanceof Promise)) {
      this.#addTime(start);
      return;
    }
    const p: Promise<void> = result.then(
      () => this.#addTime(start),
      (e) => {
        this.#addTime(start);
        this.#fail(sm, e);
      },
    ).finally(() => this.#inflight.delete(p));
    this.#inflight.add(p);
  }

  async *#iterate(): AsyncGenerator<ServiceMsg> {
    const done = deferred<void>();
    this.#iterations.add(done.promise);
    try {
      for await (const msg of this.#sub) {
        const start = performance.now();
        try {
          yield this.#wrap(msg);
        } finally {
          this.#addTime(start);
        }
      }
    } finally {
      this.#iterations.delete(done.promise);
      done.resolve();
    }
  }

  /** The requests to iterate when the endpoint has no handler (throws when it has one). */
  iterable(): AsyncIterable<ServiceMsg> {
    return {
      [Symbol.asyncIterator]: () => {
        if (this.spec.handler) throw new InvalidOperationError("an endpoint with a handler cannot be iterated");
        return this.#iterate();
      },
    };
  }

  /** The INFO entry. */
  info(): EndpointInfo {
    const { name, subject, queue, metadata } = this.spec;
    return { name, subject, queue_group: queue, metadata: { ...metadata } };
  }

  /** The STATS entry; `data` is present when a stats handler is given. */
  async stats(statsHandler?: (endpoint: EndpointInfo) => unknown | Promise<unknown>): Promise<NamedEndpointStats> {
    const { name, subject, queue } = this.spec;
    const out: NamedEndpointStats = {
      name,
      subject,
      queue_group: queue,
      num_requests: this.#requests,
      num_errors: this.#errors,
      last_error: this.#lastError,
      processing_time: this.#timeNs,
      average_processing_time: this.#requests === 0 ? 0 : Math.round(this.#timeNs / this.#requests),
    };
    if (statsHandler) out.data = await statsHandler(this.info());
    return out;
  }

  /** Zeroes the counters. */
  reset(): void {
    this.#requests = 0;
    this.#errors = 0;
    this.#lastError = "";
    this.#timeNs = 0;
  }

  /** Drains the subscription, then waits for handlers in flight and for iterations to end. */
  async drain(): Promise<void> {
    await this.#sub.drain().catch(() => {});
    await Promise.all([...this.#inflight, ...this.#iterations]);
  }
}
