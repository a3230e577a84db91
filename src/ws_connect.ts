/**
 * {@link wsconnect}: nats.js's WebSocket-only connect, on the standard `WebSocket` of any runtime,
 * and {@link hasWsProtocol}, which tells whether options name a WebSocket server.
 *
 * @module
 */
import { NatsConnection } from "./nats.ts";
import type { ConnectionOptions } from "./options.ts";
import { InvalidArgumentError } from "./errors.ts";
import type { Dialer } from "./transport/transport.ts";
import { wsDial, wsDialer, wsUrl } from "./transport/websocket.ts";

/**
 * Opens the WebSocket for a server URL, as nats.js's `wsFactory` option does: the socket need not
 * be open yet. `encrypted` is accepted for nats.js compatibility; natsw tells from the URL
 * (`wss://`) whether the connection is encrypted.
 */
export type WsSocketFactory = (
  u: string,
  opts: ConnectionOptions,
) => Promise<{ socket: WebSocket; encrypted: boolean }>;

/** Options of {@link wsconnect}: the connection options plus the socket factory. */
export interface WsConnectionOptions extends ConnectionOptions {
  /** Makes each socket (for headers, subprotocols, a WebSocket package); default `new WebSocket(url)`. */
  wsFactory?: WsSocketFactory;
}

/** The host nats.js dials when no server is given. */
const DEFAULT_HOST = "127.0.0.1";

/**
 * `server` as a WebSocket URL, as nats.js's `wsconnect` reads it: `ws://`, `http://` and
 * `nats://` become `ws://` (port 80 unless given), `wss://`, `https://` and `tls://` become
 * `wss://` (port 443), and a bare `host[:port]` is `wss://` (443). Other schemes, and text that
 * is no URL, are left as they are for the connection to reject (with credentials redacted).
 */
function toWsUrl(server: string): string {
  if (typeof server !== "string") return server;
  const text = server.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  const scheme = withScheme.slice(0, withScheme.indexOf(":")).toLowerCase();
  const secure = scheme === "wss" || scheme === "https" || scheme === "tls";
  if (!secure && scheme !== "ws" && scheme !== "http" && scheme !== "nats") return text;
  let u: URL;
  try {
    u = new URL(`http${withScheme.slice(scheme.length)}`);
  } catch {
    return text;
  }
  const userinfo = u.username ? `${u.username}${u.password ? `:${u.password}` : ""}@` : "";
  const port = u.port || (secure ? "443" : "80");
  const path = u.pathname === "/" ? "" : u.pathname;
  return `${secure ? "wss" : "ws"}://${userinfo}${u.hostname}:${port}${path}${u.search}`;
}

/** A dialer whose sockets come from nats.js's asynchronous `factory`. */
function factoryDialer(factory: WsSocketFactory, opts: ConnectionOptions): Dialer {
  return async (target) => {
    const { socket } = await factory(wsUrl(target), opts);
    return wsDialer(() => ({ socket }))(target);
  };
}

/**
 * Connects over WebSocket only, as nats.js's `wsconnect` does: every server is read as a
 * WebSocket URL (a bare `host:port` means `wss://host:port`; no server means `wss://127.0.0.1:443`),
 * `tls` options are refused (`InvalidArgumentError`: the standard WebSocket takes none), and
 * `wsFactory` may supply the sockets. natsw's `connect()` also dials `ws://` and `wss://` URLs,
 * with TLS options on Deno.
 *
 * @example
 * ```ts ignore
 * import { wsconnect } from "@natsw/natsw";
 * const nc = await wsconnect({ servers: "ws://127.0.0.1:8080" });
 * await nc.close();
 * ```
 */
export function wsconnect(opts: ConnectionOptions | WsConnectionOptions = {}): Promise<NatsConnection> {
  const { wsFactory, ...options } = opts as WsConnectionOptions;
  if (options.tls) {
    return Promise.reject(new InvalidArgumentError("'tls' is not configurable on w3c websocket connections"));
  }
  const given = options.servers === undefined
    ? []
    : Array.isArray(options.servers)
    ? options.servers
    : [options.servers];
  if (given.length > 0 && options.port !== undefined) return NatsConnection.connect(options, wsDial); // the usual error
  const servers = given.length > 0 ? given : [`${DEFAULT_HOST}:${options.port ?? 443}`];
  const dial = wsFactory ? factoryDialer(wsFactory, opts) : wsDial;
  return NatsConnection.connect({ ...options, port: undefined, servers: servers.map(toWsUrl) }, dial);
}

/**
 * True when `opts.servers` names a `ws://` or `wss://` server.
 *
 * @example
 * ```ts
 * import { hasWsProtocol } from "./ws_connect.ts";
 * console.log(hasWsProtocol({ servers: ["nats://a:4222", "wss://b:443"] })); // true
 * ```
 */
export function hasWsProtocol(opts?: ConnectionOptions): boolean {
  const servers = opts?.servers === undefined ? [] : Array.isArray(opts.servers) ? opts.servers : [opts.servers];
  return servers.some((s) => typeof s === "string" && /^wss?:\/\//i.test(s));
}
