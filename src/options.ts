/**
 * Connection options and their defaults.
 *
 * @module
 */
import type { TlsOptions } from "./transport/transport.ts";

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

/** Options for `connect()`. Names and defaults follow the official JavaScript client. */
export interface ConnectionOptions {
  /** Server URLs (`nats://host:port`, `tls://…`, `host:port`); default `127.0.0.1:4222`. */
  servers?: string | string[];
  /** Client name, shown in server monitoring. */
  name?: string;
  /** User name (also taken from `nats://user:pass@host`). */
  user?: string;
  /** Password. */
  pass?: string;
  /** Auth token (also taken from `nats://token@host`). */
  token?: string;
  /** Credentials callback, called on every connect. */
  authenticator?: Authenticator | Authenticator[];
  /** Ask the server to acknowledge every operation with +OK (default false). */
  verbose?: boolean;
  /** Ask the server for strict checks, such as rejecting wildcard publish subjects (default false). */
  pedantic?: boolean;
  /** Do not receive this connection's own publishes (default false). */
  noEcho?: boolean;
  /** Prefix of inbox subjects (default `_INBOX`). */
  inboxPrefix?: string;
  /** Milliseconds to establish a connection, INFO to first PONG included (default 20000). */
  timeout?: number;
  /** Default request timeout in ms (default 1000). */
  requestTimeout?: number;
  /** Milliseconds between client PINGs (default 120000). */
  pingInterval?: number;
  /** Unanswered PINGs before the connection is declared stale (default 2). */
  maxPingOut?: number;
  /** Reconnect when the connection is lost (default true). */
  reconnect?: boolean;
  /** Attempts per server before it leaves the pool; -1 for no limit (default 10). */
  maxReconnectAttempts?: number;
  /** Milliseconds to wait before retrying the same server (default 2000). */
  reconnectTimeWait?: number;
  /** Random extra wait up to this many ms (default 100). */
  reconnectJitter?: number;
  /** Random extra wait for TLS connections (default 1000). */
  reconnectJitterTLS?: number;
  /** Computes the wait before the next attempt instead of the time-wait and jitter. */
  reconnectDelayHandler?: () => number;
  /** Keep trying when the first connect fails (default false). */
  waitOnFirstConnect?: boolean;
  /** Use the servers in the given order (default false: shuffled). */
  noRandomize?: boolean;
  /** Ignore the servers a cluster announces in INFO (default false). */
  ignoreClusterUpdates?: boolean;
  /** Bytes of publishes kept while disconnected and sent after reconnecting (default 8 MiB). */
  reconnectBufSize?: number;
  /** Bytes the outbound buffer may hold while connected (default 64 MiB). */
  maxOutboundBytes?: number;
  /** Default pending message limit of each subscription (default 524288). */
  maxPendingMsgs?: number;
  /** Default pending byte limit of each subscription (default 64 MiB). */
  maxPendingBytes?: number;
  /** Let pending requests wait across a reconnect instead of failing at once (default false). */
  requestsSurviveDisconnect?: boolean;
  /** TLS settings; `tls: true` requires TLS with the system roots. */
  tls?: TlsOptions | true;
}

/** Options with defaults filled in. */
export type ResolvedOptions =
  & Required<
    Omit<
      ConnectionOptions,
      "name" | "user" | "pass" | "token" | "authenticator" | "tls" | "reconnectDelayHandler" | "servers"
    >
  >
  & Pick<ConnectionOptions, "name" | "user" | "pass" | "token" | "authenticator" | "reconnectDelayHandler">
  & { servers: string[]; tls: TlsOptions | undefined };

/** Fills in defaults. */
export function resolveOptions(opts: ConnectionOptions): ResolvedOptions {
  const servers = opts.servers === undefined
    ? ["127.0.0.1:4222"]
    : (Array.isArray(opts.servers) ? opts.servers : [opts.servers]);
  return {
    verbose: false,
    pedantic: false,
    noEcho: false,
    inboxPrefix: "_INBOX",
    timeout: 20_000,
    requestTimeout: 1_000,
    pingInterval: 120_000,
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
    ...opts,
    servers,
    tls: opts.tls === true ? {} : opts.tls,
  };
}
