/**
 * Connection options and their defaults.
 *
 * @module
 */
import { InvalidArgumentError } from "./errors.ts";
import {
  bool,
  checkOptions,
  describeValue,
  either,
  fn,
  int,
  ms,
  oneOrMany,
  type OptionRule,
  type OptionRules,
  secret,
  str,
  unsupported,
  withDefaults,
} from "./option_check.ts";
import { TLS_OPTION_RULES, type TlsOptions } from "./transport/transport.ts";
import type { ProtocolTraceSink } from "./connection/protocol_trace.ts";

/** Credentials an {@link Authenticator} returns; merged into CONNECT. */
export interface Auth {
  /** User name. */
  user?: string;
  /** Password. */
  pass?: string;
  /** Token. */
  auth_token?: string;
  /** Public NKey. */
  nkey?: string;
  /** Signature of the server nonce (base64url). */
  sig?: string;
  /** User JWT. */
  jwt?: string;
}

/** Supplies credentials on every (re)connect; `nonce` is the server's challenge, if any. */
export type Authenticator = (nonce?: string) => Auth | Promise<Auth>;

/**
 * Options for `connect()`. Names and defaults follow the official JavaScript client (nats.js 3.4).
 * Every option is checked before anything is dialed ({@link CONNECTION_OPTION_RULES}): an unknown
 * key, a value of the wrong type, a number that is not finite, not an integer where one is needed or
 * out of range is an `InvalidArgumentError`. A key whose value is `undefined` means its default.
 * Timer values are milliseconds from the minimum given up to 2³¹−1 (about 24.8 days).
 */
export interface ConnectionOptions {
  /**
   * Server URLs (`nats://host:port`, `tls://…`, `ws://…`, `wss://…`, `host:port`): a string or an
   * array of them. Default `127.0.0.1:4222`; an empty array means the default too.
   */
  servers?: string | string[];
  /**
   * Port of a server on this machine: dials `127.0.0.1:<port>` (an integer from 1 to 65535). As in
   * nats.js it cannot be combined with `servers`.
   */
  port?: number;
  /** Client name, shown in server monitoring. */
  name?: string;
  /** User name (also taken from `nats://user:pass@host`). */
  user?: string;
  /** Password. */
  pass?: string;
  /** Auth token (also taken from `nats://token@host`). */
  token?: string;
  /** Credentials callback (or several, merged in order), called on every connect. */
  authenticator?: Authenticator | Authenticator[];
  /** Ask the server to acknowledge every operation with +OK (default false). */
  verbose?: boolean;
  /** Ask the server for strict checks, such as rejecting wildcard publish subjects (default false). */
  pedantic?: boolean;
  /** Do not receive this connection's own publishes (default false). */
  noEcho?: boolean;
  /** Prefix of inbox subjects: a subject without wildcards (default `_INBOX`). */
  inboxPrefix?: string;
  /** Milliseconds to establish a connection, INFO to first PONG included: at least 1 (default 20000). */
  timeout?: number;
  /** Default timeout of `request()` and `requestMany()` in ms: at least 1 (default 1000). */
  requestTimeout?: number;
  /**
   * Milliseconds between client PINGs: at least 1 (default 120000). Values under a few seconds only
   * add traffic; with `maxPingOut` it sets how soon a dead server is noticed.
   */
  pingInterval?: number;
  /** Milliseconds `flush()` waits for the server's PONG before rejecting with `TimeoutError`: at least 1 (default 10000). */
  flushTimeout?: number;
  /** Milliseconds `drain()` may take before it closes with `TimeoutError`: at least 1 (default 30000). */
  drainTimeout?: number;
  /** Unanswered PINGs before the connection is declared stale: an integer, at least 1 (default 2). */
  maxPingOut?: number;
  /** Reconnect when the connection is lost (default true). */
  reconnect?: boolean;
  /** Failed attempts per server before it leaves the pool: an integer, -1 for no limit (default 10). */
  maxReconnectAttempts?: number;
  /** Milliseconds to wait before retrying the same server: 0 or more (default 2000). */
  reconnectTimeWait?: number;
  /** Random extra wait up to this many ms: 0 or more (default 100). */
  reconnectJitter?: number;
  /** Random extra wait for TLS connections, in ms: 0 or more (default 1000). */
  reconnectJitterTLS?: number;
  /** Computes the wait (ms) before the next attempt instead of the time-wait and jitter. */
  reconnectDelayHandler?: () => number;
  /** Keep trying when the first connect fails (default false). */
  waitOnFirstConnect?: boolean;
  /** Use the servers in the given order (default false: shuffled). */
  noRandomize?: boolean;
  /** Ignore the servers a cluster announces in INFO (default false). */
  ignoreClusterUpdates?: boolean;
  /** Bytes of publishes kept while disconnected and sent after reconnecting: an integer, 0 or more (default 8 MiB). */
  reconnectBufSize?: number;
  /**
   * Bytes the outbound buffer may hold while the socket is stalled (no write completes for a
   * second): an integer, at least 1 (default 64 MiB). While the socket drains, a burst may go past
   * it, up to 16 times it; see the README's "How the outbound limit works".
   */
  maxOutboundBytes?: number;
  /**
   * Default pending message limit of each subscription, and the limit of a `requestMany()`'s
   * replies: an integer, at least 1 (default 524288). There is no "unlimited": give a large number.
   */
  maxPendingMsgs?: number;
  /** Default pending payload byte limit, as `maxPendingMsgs`: an integer, at least 1 (default 64 MiB). */
  maxPendingBytes?: number;
  /** Let pending requests wait across a reconnect instead of failing at once (default false). */
  requestsSurviveDisconnect?: boolean;
  /**
   * Keep reconnecting after the same authentication error twice in a row, instead of closing
   * (default false, as in nats.js).
   */
  ignoreAuthErrorAbort?: boolean;
  /**
   * Accepted for nats.js compatibility. nats.js records an extra stack trace per request unless
   * this is true; natsw never does, so either value behaves like nats.js's `true`.
   */
  noAsyncTraces?: boolean;
  /**
   * Trace every protocol line read (`<`) and written (`>`): `true` prints them with `console.info`
   * as nats.js does, a function receives them (default false). CONNECT's credentials are shown as
   * `***`; lines longer than 1024 characters are cut.
   */
  debug?: boolean | ProtocolTraceSink;
  /**
   * A `nats` CLI context to connect with (its name, `""` for the selected one, or an absolute
   * path): its servers, credentials, TLS files and inbox prefix, under the options given here.
   * Read by the entry point's `connect()` (needs `--allow-read` for the context's files and
   * `--allow-env` for `XDG_CONFIG_HOME`/`HOME`); see `loadContext()`.
   */
  context?: string;
  /**
   * TLS settings (an object: TLS is required), `true` (TLS with the system roots) or `null` (never
   * TLS, as in nats.js: a server that requires TLS fails the connection, and a `tls://` or `wss://`
   * server is an `InvalidArgumentError`). Default: TLS only when a URL or the server asks for it.
   */
  tls?: TlsOptions | true | null;
}

/** Options with defaults filled in. */
export type ResolvedOptions =
  & Required<Omit<ConnectionOptions, OptionalKey | "tls" | "servers">>
  & Pick<ConnectionOptions, OptionalKey>
  & { servers: string[]; tls: TlsOptions | null | undefined };

/** The options that have no default. */
type OptionalKey =
  | "name"
  | "user"
  | "pass"
  | "token"
  | "authenticator"
  | "reconnectDelayHandler"
  | "port"
  | "context";

const DEFAULTS: Omit<ResolvedOptions, OptionalKey | "servers" | "tls"> = {
  verbose: false,
  pedantic: false,
  noEcho: false,
  inboxPrefix: "_INBOX",
  timeout: 20_000,
  requestTimeout: 1_000,
  pingInterval: 120_000,
  flushTimeout: 10_000,
  drainTimeout: 30_000,
  maxPingOut: 2,
  reconnect: true,
  maxReconnectAttempts: 10,
  reconnectTimeWait: 2_000,
  reconnectJitter: 100,
  reconnectJitterTLS: 1_000,
  waitOnFirstConnect: false,
  noRandomize: false,
  ignoreClusterUpdates: false,
  reconnectBufSize: 8 * 1024 * 1024,
  maxOutboundBytes: 64 * 1024 * 1024,
  maxPendingMsgs: 512 * 1024,
  maxPendingBytes: 64 * 1024 * 1024,
  requestsSurviveDisconnect: false,
  ignoreAuthErrorAbort: false,
  noAsyncTraces: false,
  debug: false,
};

/** An object of {@link TlsOptions}, `true` or `null`; `cert` and `key` come together. */
const tlsOption: OptionRule = (v, label) => {
  if (v === true || v === null) return;
  if (typeof v !== "object" || Array.isArray(v)) {
    throw new InvalidArgumentError(`${label} must be an object, true or null, got ${describeValue(v)}`);
  }
  const tls = checkOptions("tls", v as TlsOptions, TLS_OPTION_RULES);
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    throw new InvalidArgumentError("tls options 'cert' and 'key' go together: mutual TLS needs both");
  }
};

/** The rules of {@link ConnectionOptions}, and the nats.js 3.4 options natsw does not implement yet. */
export const CONNECTION_OPTION_RULES: OptionRules = {
  servers: oneOrMany(str()),
  port: int(1, 65535),
  name: str(true),
  user: str(true),
  pass: secret(true),
  token: secret(true),
  authenticator: oneOrMany(fn),
  verbose: bool,
  pedantic: bool,
  noEcho: bool,
  inboxPrefix: str(),
  timeout: ms(1),
  requestTimeout: ms(1),
  pingInterval: ms(1),
  flushTimeout: ms(1),
  drainTimeout: ms(1),
  maxPingOut: int(1),
  reconnect: bool,
  maxReconnectAttempts: int(-1),
  reconnectTimeWait: ms(0),
  reconnectJitter: ms(0),
  reconnectJitterTLS: ms(0),
  reconnectDelayHandler: fn,
  waitOnFirstConnect: bool,
  noRandomize: bool,
  ignoreClusterUpdates: bool,
  reconnectBufSize: int(0),
  maxOutboundBytes: int(1),
  maxPendingMsgs: int(1),
  maxPendingBytes: int(1),
  requestsSurviveDisconnect: bool,
  tls: tlsOption,
  ignoreAuthErrorAbort: bool,
  noAsyncTraces: bool,
  debug: either(bool, fn),
  context: (_v, label) => {
    throw new InvalidArgumentError(
      `${label} is read by the connect() of an entry point with file access (mod.ts, node)`,
    );
  },
  resolve: unsupported(),
  reconnectToServer: unsupported(),
};

const DEFAULT_SERVER = "127.0.0.1:4222";

/** The servers to dial: `servers`, or `127.0.0.1:<port>`, or the default. */
function serverList(opts: ConnectionOptions): string[] {
  const given = opts.servers === undefined ? [] : typeof opts.servers === "string" ? [opts.servers] : [...opts.servers];
  if (opts.port === undefined) return given.length > 0 ? given : [DEFAULT_SERVER];
  if (given.length > 0) throw new InvalidArgumentError("connect options 'servers' and 'port' are mutually exclusive");
  return [`127.0.0.1:${opts.port}`];
}

/** `tls` with nats.js's `ca` folded into `caCerts`. */
function tlsWithCa(tls: TlsOptions | null | undefined): TlsOptions | null | undefined {
  if (tls && (tls.caFile !== undefined || tls.certFile !== undefined || tls.keyFile !== undefined)) {
    throw new InvalidArgumentError(
      "tls.caFile, certFile and keyFile are read by the connect() of an entry point with file access (mod.ts, node)",
    );
  }
  if (!tls || tls.ca === undefined) return tls;
  const { ca, ...rest } = tls;
  return { ...rest, caCerts: [...(rest.caCerts ?? []), ...(typeof ca === "string" ? [ca] : ca)] };
}

/**
 * Checks `opts` with {@link CONNECTION_OPTION_RULES} and fills in the defaults. Throws
 * `InvalidArgumentError` for any option it refuses; the message names a wrong value by its type
 * (or, for a number that is not a secret, by the number), never by its text.
 *
 * @example
 * ```ts
 * import { resolveOptions } from "./options.ts";
 * const o = resolveOptions({ port: 14222, timeout: undefined });
 * if (o.servers[0] !== "127.0.0.1:14222" || o.timeout !== 20000) throw new Error("not resolved");
 * ```
 */
export function resolveOptions(opts: ConnectionOptions | undefined): ResolvedOptions {
  const given = checkOptions("connect", opts, CONNECTION_OPTION_RULES);
  const servers = serverList(given);
  const tls = given.tls === true ? {} : tlsWithCa(given.tls);
  if (tls === null) {
    // by index: a URL may hold credentials
    const i = servers.findIndex((s) => /^\s*(tls|wss):\/\//i.test(s));
    if (i >= 0) {
      throw new InvalidArgumentError(`connect option 'tls' is null (never TLS), but server ${i + 1} asks for TLS`);
    }
  }
  return { ...withDefaults(DEFAULTS, given), servers, tls };
}
