/**
 * The transport contract: everything the connection needs from a socket. One implementation per
 * runtime (Deno TCP/TLS, WebSocket, Node); the connection never touches a socket directly.
 *
 * @module
 */
import { arrayOf, bool, oneOrMany, type OptionRules, secret, str, unsupported } from "../option_check.ts";

/**
 * TLS settings, all given as PEM strings so no file permission is needed. Checked by
 * {@link TLS_OPTION_RULES} when connecting: an unknown key or a value of the wrong type is an
 * `InvalidArgumentError`.
 */
export interface TlsOptions {
  /** CA certificates (PEM) to trust instead of the system roots. */
  caCerts?: string[];
  /** The same as `caCerts`, under nats.js's name: one PEM text (it may hold several certificates) or a list. */
  ca?: string | string[];
  /**
   * Files to read `ca`, `cert` and `key` from, as in nats.js: read by the entry point's
   * `connect()` (so only these paths need `--allow-read`), before dialing.
   */
  caFile?: string;
  /** See {@link TlsOptions.caFile}. */
  certFile?: string;
  /** See {@link TlsOptions.caFile}. */
  keyFile?: string;
  /** Client certificate chain (PEM) for mutual TLS. */
  cert?: string;
  /** Client private key (PEM) for mutual TLS. */
  key?: string;
  /** Do the TLS handshake before the server's INFO (server option `handshake_first`). */
  handshakeFirst?: boolean;
}

/** The rules of {@link TlsOptions}, and the nats.js TLS keys natsw does not take. */
export const TLS_OPTION_RULES: OptionRules = {
  caCerts: arrayOf(str()),
  cert: str(),
  key: secret(),
  handshakeFirst: bool,
  ca: oneOrMany(str()),
  caFile: str(),
  certFile: str(),
  keyFile: str(),
  rejectUnauthorized: unsupported("trust the server's CA with caCerts instead"),
};

/** Where and how to dial. */
export interface DialTarget {
  /** Host name or IP address (no brackets). */
  hostname: string;
  /** TCP port. */
  port: number;
  /** TLS settings when TLS is wanted or required. */
  tls?: TlsOptions;
  /** True to start with a TLS handshake (TLS-first). */
  tlsFirst: boolean;
  /** Path for WebSocket URLs. */
  path?: string;
  /** The URL scheme (`nats`, `tls`, `ws`, `wss`). */
  scheme: string;
}

/** One open connection to a server. */
export interface Transport {
  /** True when the bytes are encrypted (TLS or wss). */
  readonly encrypted: boolean;
  /** Reads into `into`; resolves with the count, or null at end of stream. */
  read(into: Uint8Array): Promise<number | null>;
  /** Writes all of `bytes`. */
  write(bytes: Uint8Array): Promise<void>;
  /** Closes the connection; pending reads end. */
  close(): void;
  /** Upgrades a plain connection to TLS after the server's INFO. */
  startTls?(target: DialTarget): Promise<Transport>;
}

/** Opens transports; the client's entry point supplies one for its runtime. */
export type Dialer = (target: DialTarget) => Promise<Transport>;
