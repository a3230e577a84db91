/**
 * Typed errors. Every error the client raises is a {@link NatsError}; catch the subclasses for
 * the conditions you handle.
 *
 * @module
 */

/**
 * Base class of every error this client raises.
 *
 * @example
 * ```ts
 * import { NatsError } from "./errors.ts";
 * try {
 *   throw new NatsError("something failed");
 * } catch (err) {
 *   console.log(err instanceof NatsError);
 * }
 * ```
 */
export class NatsError extends Error {
  /** Creates the error; `options.cause` carries an underlying error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * An operation did not complete in time (request, flush, connect).
 *
 * @example
 * ```ts
 * import { TimeoutError } from "./errors.ts";
 * const err = new TimeoutError("request", 1000);
 * console.log(err.timeout);
 * ```
 */
export class TimeoutError extends NatsError {
  /** What timed out ("request", "flush", "connect", …). */
  readonly operation: string;
  /** The timeout in milliseconds. */
  readonly timeout: number;
  /** Creates the error for `operation` after `timeout` ms. */
  constructor(operation: string, timeout: number, options?: ErrorOptions) {
    super(`${operation} timed out after ${timeout} ms`, options);
    this.operation = operation;
    this.timeout = timeout;
  }
}

/**
 * A request failed (nats.js's class for request failures other than a timeout). Its `cause` is
 * the underlying error; {@link RequestError.isNoResponders} tells whether nobody was listening.
 *
 * @example
 * ```ts
 * import { NoRespondersError, RequestError } from "./errors.ts";
 * const err = new RequestError("no responders: 'svc'", { cause: new NoRespondersError("svc") });
 * console.log(err.isNoResponders()); // true
 * ```
 */
export class RequestError extends NatsError {
  /** Creates the error; `options.cause` carries what made the request fail. */
  constructor(message = "", options?: ErrorOptions) {
    super(message, options);
  }

  /** True when the request failed because nobody is subscribed to its subject. */
  isNoResponders(): boolean {
    return this.cause instanceof NoRespondersError;
  }
}

/**
 * Nobody is subscribed to a request's subject (the server answered with status 503).
 *
 * It is a {@link RequestError}, so both nats.js's and natsw's checks match it: `request()`
 * rejects with a `NoRespondersError` whose `cause` is the `NoRespondersError` of the 503 status,
 * which is what nats.js's `RequestError` carries (`err instanceof RequestError`,
 * `err.isNoResponders()`, `err.cause instanceof NoRespondersError` and
 * `err instanceof NoRespondersError` all hold). `requestMany()` throws it without a cause, as
 * nats.js throws the bare `NoRespondersError` there.
 *
 * @example
 * ```ts
 * import { NoRespondersError, RequestError } from "./errors.ts";
 * const err = new NoRespondersError("svc.echo");
 * console.log(err.subject, err instanceof RequestError, err.isNoResponders()); // svc.echo true true
 * ```
 */
export class NoRespondersError extends RequestError {
  /** The request subject that has no responders. */
  readonly subject: string;
  /** Creates the error for `subject`. */
  constructor(subject: string, options?: ErrorOptions) {
    super(`no responders: '${subject}'`, options);
    this.subject = subject;
  }

  /** Always true: this error is the no-responders condition itself. */
  override isNoResponders(): boolean {
    return true;
  }
}

/**
 * The connection is closed, so the operation cannot run.
 *
 * @example
 * ```ts
 * import { ClosedConnectionError } from "./errors.ts";
 * console.log(new ClosedConnectionError().message);
 * ```
 */
export class ClosedConnectionError extends NatsError {
  /** Creates the error. */
  constructor(options?: ErrorOptions) {
    super("connection closed", options);
  }
}

/**
 * The connection (or subscription) is draining and refuses new work.
 *
 * @example
 * ```ts
 * import { DrainingConnectionError } from "./errors.ts";
 * console.log(new DrainingConnectionError().message);
 * ```
 */
export class DrainingConnectionError extends NatsError {
  /** Creates the error. */
  constructor(options?: ErrorOptions) {
    super("connection draining", options);
  }
}

/**
 * The server sent bytes that break the protocol, or sent an error that ends the connection.
 *
 * @example
 * ```ts
 * import { ProtocolError } from "./errors.ts";
 * console.log(new ProtocolError("unknown protocol operation").reason);
 * ```
 */
export class ProtocolError extends NatsError {
  /** Why the protocol failed. */
  readonly reason: string;
  /** Creates the error with `reason`. */
  constructor(reason: string, options?: ErrorOptions) {
    super(`protocol error: ${reason}`, options);
    this.reason = reason;
  }
}

/**
 * The server could not be reached or the connection was lost.
 *
 * @example
 * ```ts
 * import { ConnectionError } from "./errors.ts";
 * console.log(new ConnectionError("connection refused").message);
 * ```
 */
export class ConnectionError extends NatsError {}

/**
 * The server refused the credentials (`Authorization Violation`, `Authentication Timeout`).
 *
 * @example
 * ```ts
 * import { AuthorizationError } from "./errors.ts";
 * console.log(new AuthorizationError("Authorization Violation").message);
 * ```
 */
export class AuthorizationError extends NatsError {}

/**
 * The user's (or account's) credentials expired or were revoked.
 *
 * @example
 * ```ts
 * import { UserAuthenticationExpiredError } from "./errors.ts";
 * console.log(new UserAuthenticationExpiredError("User Authentication Expired").name);
 * ```
 */
export class UserAuthenticationExpiredError extends NatsError {}

/**
 * The server denied a publish or a subscription.
 *
 * @example
 * ```ts
 * import { PermissionViolationError } from "./errors.ts";
 * const err = new PermissionViolationError("publish", "secret.x");
 * console.log(err.operation, err.subject);
 * ```
 */
export class PermissionViolationError extends NatsError {
  /** `"publish"` or `"subscription"`. */
  readonly operation: "publish" | "subscription";
  /** The subject that was denied. */
  readonly subject: string;
  /** The queue group of a denied subscription, if any. */
  readonly queue: string | undefined;
  /** Creates the error for `operation` on `subject` (and `queue`). */
  constructor(operation: "publish" | "subscription", subject: string, queue?: string, options?: ErrorOptions) {
    super(
      `permissions violation for ${operation} to '${subject}'${queue ? ` using queue '${queue}'` : ""}`,
      options,
    );
    this.operation = operation;
    this.subject = subject;
    this.queue = queue;
  }
}

/**
 * A subject, queue group or inbox prefix is not valid. Raised before anything is sent.
 *
 * @example
 * ```ts
 * import { InvalidSubjectError } from "./errors.ts";
 * console.log(new InvalidSubjectError("a..b", "empty token").message);
 * ```
 */
export class InvalidSubjectError extends NatsError {
  /** The rejected value. */
  readonly subject: string;
  /** Creates the error for `subject`, saying why (the message shows at most 64 characters of it). */
  constructor(subject: string, why: string, kind = "subject", options?: ErrorOptions) {
    const shown = subject.length > 64 ? `'${subject.slice(0, 64)}…' (${subject.length} characters)` : `'${subject}'`;
    super(`invalid ${kind} ${shown}: ${why}`, options);
    this.subject = subject;
  }
}

/**
 * An argument or option has a value the client cannot use.
 *
 * @example
 * ```ts
 * import { InvalidArgumentError } from "./errors.ts";
 * console.log(new InvalidArgumentError("max must be positive").message);
 * ```
 */
export class InvalidArgumentError extends NatsError {}

/**
 * A message is larger than the server's `max_payload`. Raised before anything is sent. It is an
 * {@link InvalidArgumentError}, the class nats.js throws for it.
 *
 * @example
 * ```ts
 * import { InvalidArgumentError, MaxPayloadExceededError } from "./errors.ts";
 * const err = new MaxPayloadExceededError(2_000_000, 1_048_576);
 * console.log(err.size > err.max, err instanceof InvalidArgumentError); // true true
 * ```
 */
export class MaxPayloadExceededError extends InvalidArgumentError {
  /** Size of headers plus payload, in bytes. */
  readonly size: number;
  /** The server's limit, in bytes. */
  readonly max: number;
  /** Creates the error for a message of `size` bytes over `max`. */
  constructor(size: number, max: number, options?: ErrorOptions) {
    super(`message of ${size} bytes exceeds the server's max_payload of ${max} bytes`, options);
    this.size = size;
    this.max = max;
  }
}

/**
 * The outbound buffer (or, while disconnected, the reconnect buffer) is full. Nothing of the
 * rejected message was buffered; await `nc.writable()` or `nc.flush()` and publish again.
 *
 * @example
 * ```ts
 * import { OutboundBufferFullError } from "./errors.ts";
 * console.log(new OutboundBufferFullError(8, 16).limit);
 * ```
 */
export class OutboundBufferFullError extends NatsError {
  /** Bytes the rejected frame needed. */
  readonly size: number;
  /** The buffer limit in bytes. */
  readonly limit: number;
  /** Creates the error for a frame of `size` bytes against `limit`. */
  constructor(size: number, limit: number, options?: ErrorOptions) {
    super(`outbound buffer full: ${size} more bytes would exceed the limit of ${limit} bytes`, options);
    this.size = size;
    this.limit = limit;
  }
}

/**
 * An operation is not allowed in the current state (e.g. iterating a callback subscription).
 *
 * @example
 * ```ts
 * import { InvalidOperationError } from "./errors.ts";
 * console.log(new InvalidOperationError("subscription has a callback").message);
 * ```
 */
export class InvalidOperationError extends NatsError {}

/**
 * A consumer did not keep up: its queue held `pending` messages (`pendingBytes` payload bytes), at
 * its `maxPendingMsgs`/`maxPendingBytes` limit, so a message was dropped. A `requestMany()`
 * iteration ends with it.
 *
 * @example
 * ```ts
 * import { SlowConsumerError } from "./errors.ts";
 * console.log(new SlowConsumerError("requestMany", 1024, 65536).pending);
 * ```
 */
export class SlowConsumerError extends NatsError {
  /** Messages that were waiting to be read. */
  readonly pending: number;
  /** Their payload bytes. */
  readonly pendingBytes: number;
  /** Creates the error for `what` (e.g. "requestMany"). */
  constructor(what: string, pending: number, pendingBytes: number, options?: ErrorOptions) {
    super(
      `${what} dropped a message: ${pending} messages (${pendingBytes} bytes) were waiting to be read, ` +
        "the pending limit (maxPendingMsgs/maxPendingBytes)",
      options,
    );
    this.pending = pending;
    this.pendingBytes = pendingBytes;
  }
}

/**
 * The server reported an error that no other class describes; `serverMessage` has its text.
 *
 * @example
 * ```ts
 * import { ServerError } from "./errors.ts";
 * console.log(new ServerError("maximum subscriptions exceeded").serverMessage);
 * ```
 */
export class ServerError extends NatsError {
  /** The text of the server's `-ERR`, without quotes. */
  readonly serverMessage: string;
  /** Creates the error from the server's text. */
  constructor(serverMessage: string, options?: ErrorOptions) {
    super(`server error: ${serverMessage}`, options);
    this.serverMessage = serverMessage;
  }
}

/**
 * The error classes nats.js groups in its `errors` object, under the same keys, for code that
 * tests `err instanceof errors.TimeoutError`.
 *
 * @example
 * ```ts
 * import { errors } from "./errors.ts";
 * console.log(new errors.TimeoutError("request", 10) instanceof errors.TimeoutError); // true
 * ```
 */
export const errors: {
  AuthorizationError: typeof AuthorizationError;
  ClosedConnectionError: typeof ClosedConnectionError;
  ConnectionError: typeof ConnectionError;
  DrainingConnectionError: typeof DrainingConnectionError;
  InvalidArgumentError: typeof InvalidArgumentError;
  InvalidOperationError: typeof InvalidOperationError;
  InvalidSubjectError: typeof InvalidSubjectError;
  NoRespondersError: typeof NoRespondersError;
  PermissionViolationError: typeof PermissionViolationError;
  ProtocolError: typeof ProtocolError;
  RequestError: typeof RequestError;
  TimeoutError: typeof TimeoutError;
  UserAuthenticationExpiredError: typeof UserAuthenticationExpiredError;
} = {
  AuthorizationError,
  ClosedConnectionError,
  ConnectionError,
  DrainingConnectionError,
  InvalidArgumentError,
  InvalidOperationError,
  InvalidSubjectError,
  NoRespondersError,
  PermissionViolationError,
  ProtocolError,
  RequestError,
  TimeoutError,
  UserAuthenticationExpiredError,
};

/**
 * The text inside a Go `%q` quotation (how the server quotes subjects in its errors): `\"`, `\\`,
 * `\xNN`, `\uNNNN`, `\UNNNNNNNN` and the one-letter escapes, so a denied subject such as `a"b`
 * compares equal to the one subscribed.
 */
function unquoteGo(quoted: string): string {
  const letters: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };
  return quoted.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_, e: string) => {
    if (e.length === 1) return letters[e] ?? e;
    const cp = parseInt(e.slice(1), 16);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : "\ufffd";
  });
}

/**
 * Maps the text of a server `-ERR` to a typed error.
 *
 * @example
 * ```ts
 * import { errorFromServer, PermissionViolationError } from "./errors.ts";
 * const err = errorFromServer("'Permissions Violation for Publish to \"a.b\"'");
 * console.log(err instanceof PermissionViolationError);
 * ```
 */
export function errorFromServer(text: string): NatsError {
  const msg = text.replace(/^'+|'+$/g, "").trim();
  const lower = msg.toLowerCase();
  if (lower.startsWith("permissions violation")) {
    const m = /for (publish|subscription) to "((?:[^"\\]|\\.)*)"(?: using queue "((?:[^"\\]|\\.)*)")?/i.exec(msg);
    if (m) {
      const op = m[1].toLowerCase() === "publish" ? "publish" : "subscription";
      return new PermissionViolationError(op, unquoteGo(m[2]), m[3] === undefined ? undefined : unquoteGo(m[3]));
    }
  }
  if (lower.includes("authorization violation") || lower.includes("authentication timeout")) {
    return new AuthorizationError(msg);
  }
  if (
    lower.includes("user authentication expired") || lower.includes("account authentication expired") ||
    lower.includes("authentication revoked")
  ) {
    return new UserAuthenticationExpiredError(msg);
  }
  if (lower.includes("stale connection")) return new ConnectionError(msg);
  if (
    lower.includes("maximum payload violation") || lower.includes("unknown protocol operation") ||
    lower.includes("invalid client protocol") || lower.includes("maximum control line exceeded") ||
    lower.includes("requires headers support") || lower.includes("parser error")
  ) {
    return new ProtocolError(msg);
  }
  return new ServerError(msg);
}

/**
 * What a connection does after a server `-ERR` that arrives while connected:
 * - `"stay"`: the server keeps the connection open (permission violations, an invalid subject,
 *   too many subscriptions);
 * - `"reconnect"`: the server is closing this connection but another attempt may work (stale
 *   connection, maximum connections exceeded, and authorization errors, which the reconnect policy
 *   turns into a close when the same one repeats);
 * - `"close"`: anything else, including text this client does not know.
 *
 * @example
 * ```ts
 * import { errorFromServer, serverErrorAction } from "./errors.ts";
 * if (serverErrorAction(errorFromServer("'Stale Connection'")) !== "reconnect") throw new Error("wrong action");
 * ```
 */
export function serverErrorAction(err: NatsError): "stay" | "reconnect" | "close" {
  if (err instanceof PermissionViolationError) return "stay";
  if (err instanceof ServerError) {
    if (/invalid (publish )?subject|maximum subscriptions exceeded/i.test(err.serverMessage)) return "stay";
    if (/maximum connections exceeded/i.test(err.serverMessage)) return "reconnect";
    return "close";
  }
  if (err instanceof AuthorizationError || err instanceof UserAuthenticationExpiredError) return "reconnect";
  if (err instanceof ConnectionError) return "reconnect"; // stale connection
  return "close";
}
