/**
 * Everything in the client that runs on any JavaScript runtime: the connection, messages,
 * headers, errors, authenticators and the standard-WebSocket transport, without a `connect()`.
 * The entries (`mod.ts` for Deno, `src/runtime/browser.ts`, `src/runtime/node.ts`) re-export it and add a `connect()` wired
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
export { NatsConnection, type PublishOptions } from "./nats.ts";
export type { Stats } from "./connection/connection.ts";
export type { ServerInfo } from "./connection/info.ts";
export type { Auth, Authenticator, ConnectionOptions } from "./options.ts";
export type { Msg, RespondOptions, ReviverFn } from "./msg.ts";
export type { Subscription, SubscriptionOptions } from "./subscription.ts";
export type { RequestManyOptions, RequestOptions, RequestStrategy } from "./request.ts";
export type { TraceOptions } from "./trace.ts";
export type { Status } from "./status.ts";
export type { Payload } from "./encoding.ts";
export type { Dialer, DialTarget, TlsOptions, Transport } from "./transport/transport.ts";
export { canonicalMIMEHeaderKey, headers, Match, type MsgHdrs, parseHeaderBlock } from "./headers.ts";
export { createInbox, Nuid, nuid } from "./nuid.ts";
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
  SlowConsumerError,
  TimeoutError,
  UserAuthenticationExpiredError,
} from "./errors.ts";
export {
  credsAuthenticator,
  jwtAuthenticator,
  nkeyAuthenticator,
  type Supplier,
  tokenAuthenticator,
  usernamePasswordAuthenticator,
} from "./auth/authenticators.ts";
export { type Credentials, parseCreds } from "./auth/creds.ts";
export type { Seed } from "./auth/nkey_sign.ts";
export { wsDial, wsDialer, type WsFactory, type WsSocket, wsUrl } from "./transport/websocket.ts";
