/**
 * A fast NATS client for Deno: the protocol parser runs in WebAssembly over the socket's read
 * memory, and the client follows the official JavaScript client's names.
 *
 * @example
 * ```ts ignore
 * import { connect } from "@natsw/natsw";
 * const nc = await connect({ servers: "127.0.0.1:4222" });
 * const sub = nc.subscribe("greet.*");
 * (async () => {
 *   for await (const m of sub) m.respond(`hello ${m.subject.split(".")[1]}`);
 * })();
 * const reply = await nc.request("greet.joe");
 * console.log(reply.string());
 * await nc.drain();
 * ```
 *
 * @module
 */
import { NatsConnection } from "./src/nats.ts";
import type { ConnectionOptions } from "./src/options.ts";
import { denoDial } from "./src/transport/deno_tcp.ts";
import { denoWsDial } from "./src/transport/deno_websocket.ts";
import type { DialTarget, Transport } from "./src/transport/transport.ts";

/** Picks the transport for a server URL: WebSocket for ws:// and wss://, TCP (and TLS) otherwise. */
function dial(target: DialTarget): Promise<Transport> {
  return target.scheme === "ws" || target.scheme === "wss" ? denoWsDial(target) : denoDial(target);
}

/**
 * Connects to a NATS server with Deno's networking: TCP (and TLS) for `nats://` and `tls://`
 * URLs, WebSocket for `ws://` and `wss://`.
 *
 * @example
 * ```ts ignore
 * const nc = await connect({ servers: ["nats://127.0.0.1:4222"], name: "worker" });
 * console.log(nc.info?.server_name);
 * await nc.close();
 * ```
 */
export function connect(options: ConnectionOptions = {}): Promise<NatsConnection> {
  return NatsConnection.connect(options, dial);
}

export { NatsConnection, type PublishOptions } from "./src/nats.ts";
export type { Stats } from "./src/connection/connection.ts";
export type { ServerInfo } from "./src/connection/info.ts";
export type { Auth, Authenticator, ConnectionOptions } from "./src/options.ts";
export type { Msg, RespondOptions } from "./src/msg.ts";
export type { Subscription, SubscriptionOptions } from "./src/subscription.ts";
export type { RequestManyOptions, RequestOptions } from "./src/request.ts";
export type { Status } from "./src/status.ts";
export type { Payload } from "./src/encoding.ts";
export type { Dialer, DialTarget, TlsOptions, Transport } from "./src/transport/transport.ts";
export { canonicalMIMEHeaderKey, headers, Match, type MsgHdrs } from "./src/headers.ts";
export { createInbox, Nuid, nuid } from "./src/nuid.ts";
export {
  AuthorizationError,
  ClosedConnectionError,
  ConnectionError,
  DrainingConnectionError,
  InvalidArgumentError,
  InvalidOperationError,
  InvalidSubjectError,
  MaxPayloadExceededError,
  NatsError,
  NoRespondersError,
  OutboundBufferFullError,
  PermissionViolationError,
  ProtocolError,
  ServerError,
  TimeoutError,
  UserAuthenticationExpiredError,
} from "./src/errors.ts";
export {
  credsAuthenticator,
  jwtAuthenticator,
  nkeyAuthenticator,
  type Supplier,
  tokenAuthenticator,
  usernamePasswordAuthenticator,
} from "./src/auth/authenticators.ts";
export { type Credentials, parseCreds } from "./src/auth/creds.ts";
export { readCredsFile } from "./src/auth/creds_file.ts";
export type { Seed } from "./src/auth/nkey_sign.ts";
export { wsDial, wsDialer, type WsFactory, type WsSocket, wsUrl } from "./src/transport/websocket.ts";
export { denoWsDial } from "./src/transport/deno_websocket.ts";
export { denoDial } from "./src/transport/deno_tcp.ts";
