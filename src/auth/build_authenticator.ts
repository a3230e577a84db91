/**
 * {@link buildAuthenticator}: the one authenticator that connection options amount to.
 *
 * @module
 */
import type { Auth, Authenticator, ConnectionOptions } from "../options.ts";
import { tokenAuthenticator, usernamePasswordAuthenticator } from "./authenticators.ts";

/**
 * The authenticator that `opts` describe, as nats.js builds it: the `authenticator` (or each of
 * a list of them), then `token`, then `user` and `pass`, run in that order with the server's
 * nonce and merged (a later field wins). With none of them it returns empty credentials.
 *
 * @example
 * ```ts
 * import { buildAuthenticator } from "./build_authenticator.ts";
 * const auth = buildAuthenticator({ user: "app", pass: "secret", token: "t0k" });
 * console.log(await auth("nonce")); // { auth_token: "t0k", user: "app", pass: "secret" }
 * ```
 */
export function buildAuthenticator(opts: ConnectionOptions): Authenticator {
  const list: Authenticator[] = [];
  if (typeof opts.authenticator === "function") list.push(opts.authenticator);
  else if (Array.isArray(opts.authenticator)) list.push(...opts.authenticator);
  if (opts.token) list.push(tokenAuthenticator(opts.token));
  if (opts.user) list.push(usernamePasswordAuthenticator(opts.user, opts.pass));
  return async (nonce?: string): Promise<Auth> => {
    let auth: Auth = {};
    for (const a of list) auth = { ...auth, ...(await a(nonce)) };
    return auth;
  };
}
