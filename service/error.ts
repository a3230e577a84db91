/**
 * Service errors: the two headers a service sets on an error reply, and the error a caller
 * builds from such a reply.
 *
 * @module
 */
import { NatsError } from "../src/errors.ts";
import type { Msg } from "../src/msg.ts";

/** Header holding the error description of a service error reply. */
export const ServiceErrorHeader = "Nats-Service-Error";
/** Header holding the numeric error code of a service error reply. */
export const ServiceErrorCodeHeader = "Nats-Service-Error-Code";

/**
 * An error a service answered with (`Nats-Service-Error-Code` / `Nats-Service-Error`).
 *
 * @example
 * ```ts ignore
 * const reply = await nc.request("calc.divide", JSON.stringify([1, 0]));
 * const err = ServiceError.toServiceError(reply);
 * if (err) console.log(err.code, err.message); // 400 "division by zero"
 * ```
 */
export class ServiceError extends NatsError {
  /** The error code the service sent. */
  readonly code: number;

  /** Creates the error with `code` and the service's `message`. */
  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }

  /** True when `msg` carries a service error code header. */
  static isServiceError(msg: Msg): boolean {
    return ServiceError.toServiceError(msg) !== null;
  }

  /** The service error `msg` carries, or null when it is not an error reply. */
  static toServiceError(msg: Msg): ServiceError | null {
    const code = msg.headers?.get(ServiceErrorCodeHeader) ?? "";
    if (code === "") return null;
    return new ServiceError(Number.parseInt(code, 10), msg.headers?.get(ServiceErrorHeader) ?? "");
  }
}
