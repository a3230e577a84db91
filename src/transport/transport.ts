/**
 * The transport contract: everything the connection needs from a socket. One implementation per
 * runtime (Deno TCP/TLS, WebSocket, Node); the connection never touches a socket directly.
 *
 * @module
 */

/** TLS settings, all given as PEM strings so no file permission is needed. */
export interface TlsOptions {
  /** CA certificates (PEM) to trust instead of the system roots. */
  caCerts?: string[];
  /** Client certificate chain (PEM) for mutual TLS. */
  cert?: string;
  /** Client private key (PEM) for mutual TLS. */
  key?: string;
  /** Do the TLS handshake before the server's INFO (server option `handshake_first`). */
  handshakeFirst?: boolean;
}

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
