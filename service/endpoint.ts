/**
 * One endpoint: its subscription, its counters, and the handler or iterator that serves it.
 *
 * @module
 */
import type { QueuedIterator } from "../src/api_shapes.ts";
import { type Deferred, deferred } from "../src/encoding.ts";
import { InvalidOperationError, type NatsError } from "../src/errors.ts";
import type { Msg } from "../src/msg.ts";
import type { NatsConnection } from "../src/nats.ts";
import type { Subscription } from "../src/subscription.ts";
import { ServiceMsgImpl } from "./service_msg.ts";
import type { Endpoint, EndpointInfo, NamedEndpointStats, ServiceHandler, ServiceMsg } from "./types.ts";

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
  readonly #stopService: () => void;
  /** Requests whose async handler runs: each settles when it is answered or its handler ends. */
  readonly #inflight = new Map<ServiceMsgImpl, Deferred<void>>();
  /** The request whose handler is being called right now (synchronously). */
  #dispatching: ServiceMsgImpl | undefined;
  #iterating = false;
  #requests = 0;
  #errors = 0;
  #lastError = "";
  #timeNs = 0;

  /**
   * Subscribes on `spec.subject`; `onClosed` learns when the subscription ends, `stopService`
   * stops the service (when the endpoint's iterator is stopped).
   */
  constructor(
    nc: NatsConnection,
    spec: EndpointSpec,
    onClosed: (err: NatsError | undefined) => void,
    stopService: () => void,
  ) {
    this.spec = spec;
    this.#stopService = stopService;
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

  #wrap(msg: Msg, onAnswer?: () => void): ServiceMsgImpl {
    this.#requests++;
    return new ServiceMsgImpl(msg, (code, description) => this.#countError(code, description), onAnswer);
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
    const done = deferred<void>();
    const sm = this.#wrap(msg, () => done.resolve());
    const start = performance.now();
    let result: unknown;
    this.#dispatching = sm;
    try {
      result = handler(err, sm);
    } catch (e) {
      this.#addTime(start);
      this.#fail(sm, e);
      return;
    } finally {
      this.#dispatching = undefined;
    }
    if (!(result instanceof Promise)) {
      this.#addTime(start);
      return;
    }
    this.#inflight.set(sm, done);
    done.promise.then(() => this.#inflight.delete(sm));
    result.then(
      () => this.#addTime(start),
      (e) => {
        this.#addTime(start);
        this.#fail(sm, e);
      },
    ).finally(() => done.resolve());
  }

  async *#iterate(): AsyncGenerator<ServiceMsg> {
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
      // as in nats.js, an iterator that ends (the loop left, or the service stopped) stops the service
      this.#stopService();
    }
  }

  /**
   * What `addEndpoint()` returns. Without a handler: the requests to iterate (once), and `stop()`
   * ends the iteration and the service. With a handler: iterating throws, `stop()` does nothing.
   */
  iterable(): QueuedIterator<ServiceMsg> {
    const iterated = !this.spec.handler;
    return {
      [Symbol.asyncIterator]: () => {
        if (!iterated) throw new InvalidOperationError("an endpoint with a handler cannot be iterated");
        if (this.#iterating) throw new InvalidOperationError("this endpoint is already being iterated");
        this.#iterating = true;
        return this.#iterate();
      },
      stop: () => {
        if (iterated) this.#stopService();
      },
      getProcessed: () => this.#requests,
      getPending: () => this.#sub.getPending(),
      getReceived: () => this.#sub.getReceived(),
    };
  }

  /** The INFO entry. */
  info(): EndpointInfo {
    const { name, subject, queue, metadata } = this.spec;
    return { name, subject, queue_group: queue, metadata: { ...metadata } };
  }

  /**
   * The STATS entry; `data` is what `statsHandler` returned, when there is one. A stats handler
   * that throws is counted as an error of the endpoint (as in nats.js), and `data` is left out.
   */
  async stats(
    statsHandler?: (endpoint: EndpointInfo & Endpoint) => unknown | Promise<unknown>,
  ): Promise<NamedEndpointStats> {
    let data: unknown;
    if (statsHandler) {
      try {
        data = await statsHandler({ ...this.info(), queue: this.spec.queue, handler: this.spec.handler });
      } catch (err) {
        this.#countError(500, errorText(err));
      }
    }
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
    if (data !== undefined) out.data = data;
    return out;
  }

  /** Zeroes the counters. */
  reset(): void {
    this.#requests = 0;
    this.#errors = 0;
    this.#lastError = "";
    this.#timeNs = 0;
  }

  /**
   * Drains the subscription, then waits until every request an async handler is working on has
   * been answered or its handler has ended. Not for the request whose handler calls this (through
   * `stop()`), nor for an iterating loop: either may be waiting for it.
   */
  async drain(): Promise<void> {
    const caller = this.#dispatching;
    await this.#sub.drain().catch(() => {});
    await Promise.all([...this.#inflight].filter(([sm]) => sm !== caller).map(([, d]) => d.promise));
  }
}
