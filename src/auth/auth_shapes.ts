/**
 * The shapes of the credentials an authenticator returns, by nats.js's names. Each is assignable
 * to natsw's `Auth`, which has every field optional.
 *
 * @example
 * ```ts
 * import type { TokenAuth } from "./auth_shapes.ts";
 * import type { Authenticator } from "../options.ts";
 * const byToken: Authenticator = (): TokenAuth => ({ auth_token: "s3cret" });
 * console.log(await byToken());
 * ```
 *
 * @module
 */

/** No credentials. */
export type NoAuth = void;

/** A token. */
export interface TokenAuth {
  /** The token. */
  auth_token: string;
}

/** A user name and optional password. */
export interface UserPass {
  /** User name. */
  user: string;
  /** Password. */
  pass?: string;
}

/** A public NKey and the signature of the server's nonce. */
export interface NKeyAuth {
  /** Public NKey. */
  nkey: string;
  /** Signature of the nonce (base64url). */
  sig: string;
}

/** A user JWT, with the NKey and nonce signature unless it is a bearer token. */
export interface JwtAuth {
  /** User JWT. */
  jwt: string;
  /** Public NKey. */
  nkey?: string;
  /** Signature of the nonce (base64url). */
  sig?: string;
}
