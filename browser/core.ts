/**
 * Everything in the client that runs on any JavaScript runtime: the connection, messages,
 * headers, errors, authenticators and the standard-WebSocket transport, without a `connect()`.
 * The runtime entries (`browser/mod.ts`, `node/mod.ts`) re-export it and add a `connect()` wired
 * to their transports. It imports nothing from `Deno` or `node:`.
 *
 * @example
 * ```ts ignore
 * import { NatsConnection, wsDial } from "./core.ts";
 * const nc = await NatsConnection.connect({ servers: "ws://127.0.0.1:8080" }, wsDial);
 * await nc.close();
 * ```
 *
 * @module
 */
export { NatsConnection, type PublishOptions } from "../src/nats.ts";
export type { Stats } from "../src/connection/connection.ts";
export type { ServerInfo } from "../src/connection/info.ts";
export type { Auth, Authenticator, ConnectionOptions } from "../src/options.ts";
export type { Msg, RespondOptions } from "../src/msg.ts";
export type { Subscription, SubscriptionOptions } from "../src/subscription.ts";
export type { RequestManyOptions, RequestOptions } from "../src/request.ts";
export type { Status } from "../src/status.ts";
export type { Payload } from "../src/encoding.ts";
export type { Dialer, DialTarget, TlsOptions, Transport } from "../src/transport/transport.ts";
export { canonicalMIMEHeaderKey, headers, Match, type MsgHdrs } from "../src/headers.ts";
export { createInbox, Nuid, nuid } from "../src/nuid.ts";
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
} from "../src/errors.ts";
export {
  credsAuthenticator,
  jwtAuthenticator,
  nkeyAuthenticator,
  type Supplier,
  tokenAuthenticator,
  usernamePasswordAuthenticator,
} from "../src/auth/authenticators.ts";
export { type Credentials, parseCreds } from "../src/auth/creds.ts";
export type { Seed } from "../src/auth/nkey_sign.ts";
export { wsDial, wsDialer, type WsFactory, type WsSocket, wsUrl } from "../src/transport/websocket.ts";
