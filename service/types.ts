/**
 * Types of the service API (ADR-32): configuration, handlers, and the discovery responses.
 *
 * @module
 */
import type { QueuedIterator } from "../src/api_shapes.ts";
import type { Payload } from "../src/encoding.ts";
import type { NatsError } from "../src/errors.ts";
import type { Msg, RespondOptions } from "../src/msg.ts";
import { InvalidArgumentError } from "../src/errors.ts";
import { fn, type OptionRule, type OptionRules, recordOf, str, subject } from "../src/option_check.ts";

/** A queue group: a string without whitespace; empty means none. */
export const queueRule: OptionRule = (v, label) => {
  str(true)(v, label);
  if (/\s/.test(v as string)) throw new InvalidArgumentError(`${label} must be a queue group name without whitespace`);
};

/**
 * The `type` field of each discovery response: a TypeScript enum, as in nats.js (its members are
 * also types, e.g. `ServiceResponseType.PING`).
 *
 * @example
 * ```ts
 * import { ServiceResponseType } from "./types.ts";
 * console.log(ServiceResponseType.PING); // "io.nats.micro.v1.ping_response"
 * ```
 */
export enum ServiceResponseType {
  /** A `STATS` response. */
  STATS = "io.nats.micro.v1.stats_response",
  /** An `INFO` response. */
  INFO = "io.nats.micro.v1.info_response",
  /** A `PING` response. */
  PING = "io.nats.micro.v1.ping_response",
}

/**
 * The discovery verbs a service answers under `$SRV`: a TypeScript enum, as in nats.js (its
 * members are also types, e.g. `ServiceVerb.INFO`).
 *
 * @example
 * ```ts
 * import { ServiceVerb } from "./types.ts";
 * console.log(`$SRV.${ServiceVerb.INFO}`); // "$SRV.INFO"
 * ```
 */
export enum ServiceVerb {
  /** Identity only: for discovery and round-trip times. */
  PING = "PING",
  /** Request counters of every endpoint. */
  STATS = "STATS",
  /** Description and endpoints. */
  INFO = "INFO",
}

/** A request received by an endpoint: a {@link Msg} that can also answer with a service error. */
export interface ServiceMsg extends Msg {
  /**
   * Responds with the `Nats-Service-Error` / `Nats-Service-Error-Code` headers set (and `data`, if
   * any) and counts an error on the endpoint. False when the request has no reply subject.
   */
  respondError(code: number, description: string, data?: Payload, opts?: RespondOptions): boolean;
}

/**
 * Handles one request. A returned promise counts as the request's processing time; a throw or a
 * rejection is counted as an error and answered with a 500 service error. Any other return value
 * (such as the boolean of `msg.respond()`) is ignored.
 */
export type ServiceHandler = (err: NatsError | null, msg: ServiceMsg) => unknown;

/** How an endpoint listens. */
export interface Endpoint {
  /** The subject (wildcards allowed) appended to the group prefix; defaults to the endpoint name. */
  subject: string;
  /** The request handler; without one, iterate the value `addEndpoint` returns. */
  handler?: ServiceHandler;
  /** Metadata reported by INFO (frozen when added). */
  metadata?: Record<string, string>;
  /** Queue group; overrides the group's and the service's. An empty string means no queue group. */
  queue?: string;
}

/** Options of `addEndpoint`: every field of {@link Endpoint} is optional. */
export type EndpointOptions = Partial<Endpoint>;

/** The rules of {@link EndpointOptions}. */
export const endpointRules: OptionRules = {
  subject: subject(true),
  handler: fn,
  metadata: recordOf(str(true)),
  queue: queueRule,
};

/** An endpoint as INFO reports it. */
export interface EndpointInfo {
  /** The endpoint name. */
  name: string;
  /** The full subject it listens on. */
  subject: string;
  /** Its queue group (an empty string when it has none). */
  queue_group: string;
  /** Its metadata. */
  metadata: Record<string, string>;
}

/** An endpoint's counters as STATS reports them. Times are nanoseconds. */
export interface NamedEndpointStats {
  /** The endpoint name. */
  name: string;
  /** The full subject it listens on. */
  subject: string;
  /** Its queue group (an empty string when it has none). */
  queue_group: string;
  /** Requests received. */
  num_requests: number;
  /** Requests that failed (handler threw, or answered with `respondError`). */
  num_errors: number;
  /** The last error (`"<code>:<description>"`), or an empty string. */
  last_error: string;
  /** Total processing time in nanoseconds. */
  processing_time: number;
  /** `processing_time / num_requests` in nanoseconds (0 before the first request). */
  average_processing_time: number;
  /** What the service's `statsHandler` returned for this endpoint (only when there is one). */
  data?: unknown;
}

/** The fields every discovery response carries. */
export interface ServiceIdentity {
  /** The response schema. */
  type: ServiceResponseType;
  /** The service name (its kind). */
  name: string;
  /** This instance's id. */
  id: string;
  /** The service version (SemVer). */
  version: string;
  /** The service metadata. */
  metadata: Record<string, string>;
}

/** The INFO response. */
export interface ServiceInfo extends ServiceIdentity {
  /** The description (an empty string when none). */
  description: string;
  /** Every endpoint. */
  endpoints: EndpointInfo[];
}

/** The STATS response. */
export interface ServiceStats extends ServiceIdentity {
  /** Every endpoint's counters. */
  endpoints: NamedEndpointStats[];
  /** When the service started (or was last reset), RFC 3339 in UTC. */
  started: string;
}

/** What `Svcm.add` needs to build a service. */
export interface ServiceConfig {
  /** The service kind: letters, digits, `_` and `-` only. */
  name: string;
  /** A SemVer 2.0 version. */
  version: string;
  /** A human-readable description. */
  description?: string;
  /** Metadata reported by every discovery response (frozen when added). */
  metadata?: Record<string, string>;
  /** Default queue group of every endpoint (default `"q"`); an empty string means no queue group. */
  queue?: string;
  /**
   * Returns extra data reported as `data` in each endpoint's STATS entry. It is given the endpoint
   * as INFO reports it and as nats.js passes it (`queue`, `handler`); when it throws, the STATS
   * entry has no `data` and counts an error (as in nats.js).
   */
  statsHandler?: (endpoint: EndpointInfo & Endpoint) => unknown | Promise<unknown>;
}

/** The rules of {@link ServiceConfig} (the name and version are checked in full after them). */
export const serviceConfigRules: OptionRules = {
  name: str(),
  version: str(),
  description: str(true),
  metadata: recordOf(str(true)),
  queue: queueRule,
  statsHandler: fn,
};

/** A subject prefix under which endpoints and nested groups are added. */
export interface ServiceGroup {
  /**
   * Adds an endpoint listening on `<prefix>.<subject>` (the subject defaults to `name`). Pass a
   * handler, or options with an optional handler. Without a handler, iterate the returned value:
   * as in nats.js, stopping it (`stop()`, or leaving the loop) stops the service. With a handler
   * it cannot be iterated, and its `stop()` does nothing.
   */
  addEndpoint(name: string, opts?: ServiceHandler | EndpointOptions): QueuedIterator<ServiceMsg>;
  /**
   * Adds a nested group `<prefix>.<name>` (a subject without `>`, may be empty). `queue` is the
   * default queue group of its endpoints (an empty string: none); it inherits this group's otherwise.
   */
  addGroup(name?: string, queue?: string): ServiceGroup;
}

/** A running service. */
export interface Service extends ServiceGroup {
  /** Resolves once the service has stopped: with the error that stopped it, or null. */
  readonly stopped: Promise<null | Error>;
  /** True once the service has stopped (or is stopping). */
  readonly isStopped: boolean;
  /** The PING response of this service. */
  ping(): ServiceIdentity;
  /** The INFO response of this service. */
  info(): ServiceInfo;
  /** The STATS response of this service (runs the stats handler). */
  stats(): Promise<ServiceStats>;
  /** Zeroes every endpoint's counters and sets `started` to now. */
  reset(): void;
  /**
   * Drains every endpoint and discovery subscription, waits until the requests async handlers are
   * working on are answered (or their handlers end), then resolves (and resolves `stopped`) with
   * `err` or null. It does not wait for the handler that calls it, nor for iterating loops (they
   * end once the requests already queued are read). Does not close the connection.
   */
  stop(err?: Error): Promise<null | Error>;
}

/**
 * Queries services over the `$SRV` subjects, collecting every reply that arrives in time. The
 * iteration throws `NoRespondersError` when no service answers, and ends with the error of a
 * reply that is not a response (not JSON, or a service error); `stop()` ends it early.
 */
export interface ServiceClient {
  /** Pings every service, those named `name`, or the instance `name`/`id`. */
  ping(name?: string, id?: string): Promise<QueuedIterator<ServiceIdentity>>;
  /** Collects STATS responses (same addressing as `ping`). */
  stats(name?: string, id?: string): Promise<QueuedIterator<ServiceStats>>;
  /** Collects INFO responses (same addressing as `ping`). */
  info(name?: string, id?: string): Promise<QueuedIterator<ServiceInfo>>;
}
