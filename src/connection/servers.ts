/**
 * The server pool: the servers given in options plus those a cluster announces, and where and
 * how to dial each of them.
 *
 * @module
 */
import { InvalidArgumentError } from "../errors.ts";
import type { DialTarget, TlsOptions } from "../transport/transport.ts";

/** One server in the pool. */
export interface ServerEntry {
  /** `host:port` as shown in status events. */
  readonly hostport: string;
  /** URL scheme: nats, tls, ws or wss. */
  readonly scheme: string;
  /** Host name or IP (no brackets). */
  readonly hostname: string;
  /** Port. */
  readonly port: number;
  /** WebSocket path. */
  readonly path: string;
  /** Credentials from the URL. */
  readonly user?: string;
  /** Password from the URL. */
  readonly pass?: string;
  /** True when learned from INFO `connect_urls`. */
  readonly gossiped: boolean;
  /** Failed attempts since the last success. */
  reconnects: number;
  /** Time of the last attempt (ms since epoch), 0 if never. */
  lastAttempt: number;
}

const DEFAULT_PORTS: Record<string, number> = { nats: 4222, tls: 4222, ws: 80, wss: 443 };

/** Parses `nats://u:p@host:port`, `host:port`, `[::1]:4222`, `tls://…`, `ws://host/path`. */
export function parseServer(url: string, gossiped = false): ServerEntry {
  const text = url.trim();
  const withScheme = /^[a-z]+:\/\//i.test(text) ? text : `nats://${text}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch (err) {
    throw new InvalidArgumentError(`invalid server URL '${url}'`, { cause: err });
  }
  const scheme = u.protocol.slice(0, -1).toLowerCase();
  if (!(scheme in DEFAULT_PORTS)) throw new InvalidArgumentError(`unsupported scheme in server URL '${url}'`);
  const hostname = u.hostname.replace(/^\[|\]$/g, "");
  if (!hostname) throw new InvalidArgumentError(`server URL '${url}' has no host`);
  const port = u.port ? Number(u.port) : DEFAULT_PORTS[scheme];
  const user = u.username ? decodeURIComponent(u.username) : undefined;
  const pass = u.password ? decodeURIComponent(u.password) : undefined;
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  return {
    hostport: `${host}:${port}`,
    scheme,
    hostname,
    port,
    path: u.pathname === "/" ? "" : u.pathname,
    user,
    pass,
    gossiped,
    reconnects: 0,
    lastAttempt: 0,
  };
}

/**
 * True when connecting to `server` uses TLS: its scheme asks for it (`tls`, `wss`) or TLS options
 * were given.
 *
 * @example
 * ```ts
 * import { parseServer, usesTls } from "./servers.ts";
 * usesTls(parseServer("tls://demo.nats.io:4222"), undefined); // true
 * ```
 */
export function usesTls(server: ServerEntry, tls: TlsOptions | undefined): boolean {
  return server.scheme === "tls" || server.scheme === "wss" || tls !== undefined;
}

/**
 * Where and how to dial `server`, with the connection's TLS options.
 *
 * @example
 * ```ts
 * import { dialTarget, parseServer } from "./servers.ts";
 * const target = dialTarget(parseServer("wss://demo.nats.io:8443/ws"), undefined);
 * // { hostname: "demo.nats.io", port: 8443, scheme: "wss", path: "/ws", tls: {}, tlsFirst: false }
 * ```
 */
export function dialTarget(server: ServerEntry, tls: TlsOptions | undefined): DialTarget {
  return {
    hostname: server.hostname,
    port: server.port,
    scheme: server.scheme,
    path: server.path,
    tls: usesTls(server, tls) ? (tls ?? {}) : undefined,
    tlsFirst: tls?.handshakeFirst === true,
  };
}

function shuffle<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
}

/** Round-robin pool with per-server attempt counts. */
export class ServerPool {
  #servers: ServerEntry[];
  #current: ServerEntry | undefined;
  readonly #randomize: boolean;

  /** Creates the pool from option URLs. */
  constructor(urls: string[], randomize: boolean) {
    if (urls.length === 0) throw new InvalidArgumentError("no servers given");
    this.#servers = urls.map((u) => parseServer(u));
    this.#randomize = randomize;
    if (randomize) shuffle(this.#servers);
  }

  /** The server connected to (or being tried). */
  get current(): ServerEntry | undefined {
    return this.#current;
  }

  /** Every server in the pool. */
  get servers(): readonly ServerEntry[] {
    return this.#servers;
  }

  /** Moves the first server to the back and returns it; undefined when the pool is empty. */
  next(): ServerEntry | undefined {
    const s = this.#servers.shift();
    if (s) this.#servers.push(s);
    this.#current = s;
    return s;
  }

  /** Removes a server (too many failed attempts). */
  remove(entry: ServerEntry): void {
    this.#servers = this.#servers.filter((s) => s !== entry);
  }

  /**
   * Replaces the gossiped servers with `urls` (bare host:port from INFO); returns what changed.
   * User-given servers and the current one are never removed.
   */
  update(urls: string[], scheme: string): { added: string[]; deleted: string[] } {
    const wanted = new Map<string, string>();
    for (const u of urls) {
      const e = parseServer(/^[a-z]+:\/\//i.test(u) ? u : `${scheme}://${u}`, true);
      wanted.set(e.hostport, u);
    }
    const deleted: string[] = [];
    this.#servers = this.#servers.filter((s) => {
      if (!s.gossiped || s === this.#current || wanted.has(s.hostport)) return true;
      deleted.push(s.hostport);
      return false;
    });
    const known = new Set(this.#servers.map((s) => s.hostport));
    const added: string[] = [];
    for (const [hostport, u] of wanted) {
      if (known.has(hostport)) continue;
      this.#servers.push(parseServer(/^[a-z]+:\/\//i.test(u) ? u : `${scheme}://${u}`, true));
      added.push(hostport);
    }
    if (added.length && this.#randomize) {
      const cur = this.#current;
      shuffle(this.#servers);
      if (cur) {
        this.#servers = this.#servers.filter((s) => s !== cur);
        this.#servers.push(cur);
      }
    }
    return { added, deleted };
  }
}
