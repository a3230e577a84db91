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
/** The TLS scheme for each plain one: what a server of a secure pool is dialed with. */
const SECURE_SCHEME: Record<string, string> = { nats: "tls", ws: "wss" };

/**
 * `text` with the user information of every URL in it (`user:pass@`, `token@`) replaced by `***@`,
 * so that a URL can be shown in an error without its credentials. Works on text that does not
 * parse as a URL too.
 *
 * @example
 * ```ts
 * import { redactUrl } from "./servers.ts";
 * if (redactUrl("nats://alice:secret@[::1") !== "nats://***@[::1") throw new Error("not redacted");
 * ```
 */
export function redactUrl(text: string): string {
  return String(text)
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^/?#\s]*@/gi, "$1***@")
    .replace(/^(\s*)[^:/?#\s]*(:[^/?#@\s]*)?@/, "$1***@");
}

/**
 * Parses `nats://u:p@host:port`, `host:port`, `[::1]:4222`, `tls://…`, `ws://host/path`. Throws
 * `InvalidArgumentError`, whose message and cause never hold the URL's credentials.
 */
export function parseServer(url: string, gossiped = false): ServerEntry {
  if (typeof url !== "string") throw new InvalidArgumentError(`a server URL must be a string, got ${typeof url}`);
  const text = url.trim();
  const withScheme = /^[a-z]+:\/\//i.test(text) ? text : `nats://${text}`;
  const shown = redactUrl(text);
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch (err) {
    const cause = new TypeError(redactUrl((err as Error).message));
    throw new InvalidArgumentError(`invalid server URL '${shown}'`, { cause });
  }
  const scheme = u.protocol.slice(0, -1).toLowerCase();
  if (!(scheme in DEFAULT_PORTS)) throw new InvalidArgumentError(`unsupported scheme in server URL '${shown}'`);
  const hostname = u.hostname.replace(/^\[|\]$/g, "");
  if (!hostname) throw new InvalidArgumentError(`server URL '${shown}' has no host`);
  const port = u.port ? Number(u.port) : DEFAULT_PORTS[scheme];
  if (!(port >= 1 && port <= 65535)) throw new InvalidArgumentError(`server URL '${shown}' has no valid port`);
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
 * were given (an object; `null` means never TLS).
 *
 * @example
 * ```ts
 * import { parseServer, usesTls } from "./servers.ts";
 * usesTls(parseServer("tls://demo.nats.io:4222"), undefined); // true
 * ```
 */
export function usesTls(server: ServerEntry, tls: TlsOptions | null | undefined): boolean {
  return server.scheme === "tls" || server.scheme === "wss" || (tls !== undefined && tls !== null);
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
export function dialTarget(server: ServerEntry, tls: TlsOptions | null | undefined): DialTarget {
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

/**
 * Round-robin pool with per-server attempt counts. A pool is secure when any server given in
 * options asks for TLS (`tls://`, `wss://`): then every server in it, given or announced by the
 * cluster, is dialed with TLS, and one that does not offer TLS is refused before anything is sent
 * (credentials never travel in clear because a cluster member gossiped a plain URL).
 */
export class ServerPool {
  #servers: ServerEntry[];
  #current: ServerEntry | undefined;
  readonly #randomize: boolean;
  #secure: boolean;
  /** Announced URLs that could not be parsed, already reported. */
  readonly #badAnnounced = new Set<string>();

  /** Creates the pool from option URLs. */
  constructor(urls: string[], randomize: boolean) {
    if (urls.length === 0) throw new InvalidArgumentError("no servers given");
    const given = urls.map((u) => parseServer(u));
    this.#secure = given.some((s) => s.scheme === "tls" || s.scheme === "wss");
    this.#servers = given.map((s) => this.#secured(s));
    this.#randomize = randomize;
    if (randomize) shuffle(this.#servers);
  }

  /** True when every server must be reached over TLS. */
  get secure(): boolean {
    return this.#secure;
  }

  #secured(entry: ServerEntry): ServerEntry {
    const scheme = this.#secure ? SECURE_SCHEME[entry.scheme] : undefined;
    return scheme ? { ...entry, scheme } : entry;
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

  /**
   * Replaces the pool with `urls` (as given in options: kept when the cluster stops announcing
   * them); servers already in the pool keep their attempt counts. The pool stays secure if it was,
   * and becomes secure when a new URL asks for TLS. Throws `InvalidArgumentError`, changing
   * nothing, when `urls` is empty or an entry does not parse.
   */
  setServers(urls: readonly string[]): void {
    if (!Array.isArray(urls) || urls.length === 0) {
      throw new InvalidArgumentError("setServers needs at least one server");
    }
    const given = urls.map((u) => parseServer(u));
    this.#secure ||= given.some((s) => s.scheme === "tls" || s.scheme === "wss");
    const existing = new Map(this.#servers.map((s) => [s.hostport, s]));
    const merged = given.map((e) => {
      const kept = existing.get(e.hostport);
      return this.#secured(kept ? { ...e, reconnects: kept.reconnects, lastAttempt: kept.lastAttempt } : e);
    });
    if (this.#randomize) shuffle(merged);
    this.#servers = merged;
  }

  /** Removes a server (too many failed attempts). */
  remove(entry: ServerEntry): void {
    this.#servers = this.#servers.filter((s) => s !== entry);
  }

  /**
   * Replaces the gossiped servers with `urls` (bare host:port from INFO, dialed with `scheme`);
   * returns what changed. User-given servers and the current one are never removed. An entry that
   * does not parse is skipped and returned in `invalid` (redacted) the first time it is seen.
   */
  update(urls: string[], scheme: string): { added: string[]; deleted: string[]; invalid: string[] } {
    const wanted = new Map<string, ServerEntry>();
    const invalid: string[] = [];
    for (const u of urls) {
      try {
        const e = this.#secured(parseServer(/^[a-z]+:\/\//i.test(u) ? u : `${scheme}://${u}`, true));
        wanted.set(e.hostport, e);
      } catch {
        const shown = redactUrl(String(u));
        if (!this.#badAnnounced.has(shown)) invalid.push(shown);
        this.#badAnnounced.add(shown);
      }
    }
    const deleted: string[] = [];
    this.#servers = this.#servers.filter((s) => {
      if (!s.gossiped || s === this.#current || wanted.has(s.hostport)) return true;
      deleted.push(s.hostport);
      return false;
    });
    const known = new Set(this.#servers.map((s) => s.hostport));
    const added: string[] = [];
    for (const [hostport, entry] of wanted) {
      if (known.has(hostport)) continue;
      this.#servers.push(entry);
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
    return { added, deleted, invalid };
  }
}
