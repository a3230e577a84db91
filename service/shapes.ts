/**
 * nats.js's names for parts of the service discovery answers (`$SRV.PING`, `INFO`, `STATS`).
 *
 * @example
 * ```ts ignore
 * import type { ServiceResponse } from "@natsw/natsw/service";
 * for await (const r of await client.ping()) console.log((r satisfies ServiceResponse).type);
 * ```
 *
 * @module
 */
import type { NamedEndpointStats, ServiceIdentity } from "./types.ts";

/** The metadata part of an answer. */
export type ServiceMetadata = {
  /** Key/value metadata of the service. */
  metadata?: Record<string, string>;
};

/** The schema type every answer carries. */
export type ServiceResponse = Pick<ServiceIdentity, "type">;

/** A service's identity with its endpoint statistics and start time, as a `STATS` answer holds them. */
export type EndpointStats = ServiceIdentity & {
  /** The endpoints' statistics. */
  endpoints?: NamedEndpointStats[];
  /** When the service started (ISO 8601). */
  started: string;
};
