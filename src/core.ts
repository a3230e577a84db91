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
export type { ContextFiles, NatsContext } from "./context.ts";
export type { ProtocolTraceSink } from "./connection/protocol_trace.ts";
export type { Dialer, DialTarget, TlsOptions, Transport } from "./transport/transport.ts";
export { canonicalMIMEHeaderKey, headers, Match, type MsgHdrs, MsgHdrsImpl, parseHeaderBlock } from "./headers.ts";
export { createInbox, Nuid, nuid } from "./nuid.ts";
export {
  AuthorizationError,
  ClosedConnectionError,
  ConnectionError,
  DrainingConnectionError,
  errors,
  InvalidArgumentError,
  InvalidOperationError,
  InvalidSubjectError,
  MaxPayloadExceededError,
  NatsError,
  NoRespondersError,
  OutboundBufferFullError,
  PermissionViolationError,
  ProtocolError,
  RequestError,
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
export { buildAuthenticator } from "./auth/build_authenticator.ts";
export * as nkeys from "./auth/nkeys_api.ts";
export type { JwtAuth, NKeyAuth, NoAuth, TokenAuth, UserPass } from "./auth/auth_shapes.ts";
export type {
  ClientPingStatus,
  CloseStatus,
  ClusterUpdateStatus,
  DisconnectStatus,
  ForceReconnectStatus,
  LDMStatus,
  ReconnectingStatus,
  ReconnectStatus,
  ServerErrorStatus,
  ServersChanged,
  SlowConsumerStatus,
  StaleConnectionStatus,
} from "./status_types.ts";
export type { MsgCallback, Publisher, QueuedIterator, SubOpts } from "./api_shapes.ts";
export type { ReconnectToServerHandler, Server } from "./server_shapes.ts";
export { hasWsProtocol, wsconnect, type WsConnectionOptions, type WsSocketFactory } from "./ws_connect.ts";
export { Bench, type BenchOpts, Metric } from "./bench.ts";
export { Perf } from "./util/perf.ts";
export { Empty } from "./util/empty.ts";
export { millis, type Nanos, nanos } from "./util/nanos.ts";
export { type Deferred, deferred } from "./util/deferred.ts";
export { deadline, type Delay, delay, type Timeout } from "./util/timers.ts";
export { type Backoff, backoff } from "./util/backoff.ts";
export { type SyncIterator, syncIterator } from "./util/sync_iterator.ts";
export type { Codec } from "./util/codec.ts";
export type { WithRequired } from "./util/types.ts";
