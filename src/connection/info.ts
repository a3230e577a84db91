/**
 * The server's INFO and the client's CONNECT.
 *
 * @module
 */
import { utf8Encoder } from "../encoding.ts";
import { ProtocolError } from "../errors.ts";
import type { Auth, ResolvedOptions } from "../options.ts";
import type { Transport } from "../transport/transport.ts";
import type { ServerEntry } from "./servers.ts";
import { checkInfo } from "./info_check.ts";

/** The server's INFO, as received (unknown fields are kept). */
export interface ServerInfo {
  /** Server id. */
  server_id: string;
  /** Server name. */
  server_name?: string;
  /** Server version (`2.15.1`). */
  version: string;
  /** Go version. */
  go?: string;
  /** Host the server listens on. */
  host: string;
  /** Port the server listens on. */
  port: number;
  /** Protocol level. */
  proto?: number;
  /** Headers supported. */
  headers?: boolean;
  /** Largest payload (headers + data) a client may publish. */
  max_payload: number;
  /** The server wants credentials. */
  auth_required?: boolean;
  /** The server requires TLS. */
  tls_required?: boolean;
  /** The server verifies client certificates. */
  tls_verify?: boolean;
  /** The server accepts TLS and plain connections on this port. */
  tls_available?: boolean;
  /** JetStream enabled. */
  jetstream?: boolean;
  /** Challenge to sign for NKey/JWT auth. */
  nonce?: string;
  /** This connection's id. */
  client_id?: number;
  /** This connection's address as the server sees it. */
  client_ip?: string;
  /** Cluster name. */
  cluster?: string;
  /** JetStream domain. */
  domain?: string;
  /** Client URLs of the other cluster members. */
  connect_urls?: string[];
  /** WebSocket URLs of the cluster members. */
  ws_connect_urls?: string[];
  /** The server is in lame duck mode. */
  ldm?: boolean;
  /** Highest JetStream API level (2.12+). */
  api_lvl?: number;
  /** Any other field. */
  [key: string]: unknown;
}

/**
 * Parses the JSON of an INFO frame and checks its fields (see `checkInfo`: a missing `max_payload`
 * becomes the protocol default, 1 MiB). Throws `ProtocolError` when it is not valid JSON, not an
 * object, or a known field has the wrong type or range.
 *
 * @example
 * ```ts
 * import { parseInfo } from "./info.ts";
 * const info = parseInfo('{"server_id":"N1","version":"2.15.1","host":"0.0.0.0","port":4222,"max_payload":1048576}');
 * info.max_payload; // 1048576
 * ```
 */
export function parseInfo(text: string): ServerInfo {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ProtocolError("INFO is not valid JSON", { cause: err });
  }
  return checkInfo(value);
}

/** The client library's name and version sent in CONNECT. */
export const CLIENT_LANG = "natsw-deno";
/** Library version. */
export const CLIENT_VERSION = "0.1.0";

/** Builds the CONNECT line for `server` given the INFO and the credentials. */
export function connectLine(
  opts: ResolvedOptions,
  info: ServerInfo,
  server: ServerEntry,
  auth: Auth,
  encrypted: boolean,
): string {
  const headers = info.headers === true;
  const fields: Record<string, unknown> = {
    verbose: opts.verbose,
    pedantic: opts.pedantic,
    tls_required: encrypted,
    lang: CLIENT_LANG,
    version: CLIENT_VERSION,
    protocol: 1,
    echo: !opts.noEcho,
    headers,
    no_responders: headers,
  };
  if (opts.name) fields.name = opts.name;
  const user = auth.user ?? server.user ?? opts.user;
  const pass = auth.pass ?? server.pass ?? opts.pass;
  if (user !== undefined && pass === undefined && !opts.user && server.user) {
    fields.auth_token = user; // nats://token@host
  } else {
    if (user !== undefined) fields.user = user;
    if (pass !== undefined) fields.pass = pass;
  }
  const token = auth.auth_token ?? opts.token;
  if (token !== undefined) fields.auth_token = token;
  if (auth.nkey) fields.nkey = auth.nkey;
  if (auth.sig) fields.sig = auth.sig;
  if (auth.jwt) fields.jwt = auth.jwt;
  return `CONNECT ${JSON.stringify(fields)}\r\n`;
}

/**
 * Runs the authenticators (with the INFO's nonce), then writes CONNECT and the PING whose PONG
 * completes the handshake.
 *
 * @example
 * ```ts ignore
 * // after the first INFO of a new socket `t` to `server`
 * await writeConnect(t, options, info, server);
 * ```
 */
export async function writeConnect(
  t: Transport,
  opts: ResolvedOptions,
  info: ServerInfo,
  server: ServerEntry,
): Promise<void> {
  let auth: Auth = {};
  const auths = opts.authenticator;
  if (auths) {
    for (const a of Array.isArray(auths) ? auths : [auths]) auth = { ...auth, ...(await a(info.nonce)) };
  }
  const line = connectLine(opts, info, server, auth, t.encrypted);
  await t.write(utf8Encoder.encode(line + "PING\r\n"));
}
