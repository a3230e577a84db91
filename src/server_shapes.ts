/**
 * nats.js's shapes for the servers of a connection's pool, for code shared with nats.js. natsw's
 * `getServers()` returns `host:port` strings, and `connect()` refuses nats.js's
 * `reconnectToServer` option, so no natsw call produces or takes these.
 *
 * @module
 */
import type { ServerInfo } from "./connection/info.ts";

/** A server of nats.js's pool. */
export interface Server {
  /** Host name or IP. */
  readonly hostname: string;
  /** Port. */
  readonly port: number;
  /** `host:port`. */
  readonly listen: string;
  /** The URL as given or announced. */
  readonly src: string;
  /** The name TLS verifies. */
  readonly tlsName: string;
  /** Failed attempts since the last success. */
  readonly reconnects: number;
  /** Time of the last successful connect (ms since the epoch). */
  readonly lastConnect: number;
  /** True when announced by the cluster. */
  readonly gossiped: boolean;
  /** True once connected at least once. */
  readonly didConnect: boolean;
}

/** nats.js's hook that picks the server to dial (and an optional delay) from the pool. */
export type ReconnectToServerHandler = (
  pool: ReadonlyArray<Server>,
  info: ServerInfo | null,
) => Server | { server: Server; delay: number } | null;
