/**
 * Authenticator factories: each returns a function the connection calls on every (re)connect with
 * the server's nonce, and whose result is merged into CONNECT. Every credential may be given as a
 * value or as a function (sync or async), so credentials can change between reconnects.
 *
 * @module
 */
import type { Auth, Authenticator } from "../options.ts";
import { utf8Decoder } from "../encoding.ts";
import { type Seed, signNonce } from "./nkey_sign.ts";
import { decodeSeed } from "./nkeys.ts";
import { parseCreds } from "./creds.ts";

/** A value, or a function returning it (possibly as a promise) each time credentials are needed. */
export type Supplier<T> = T | (() => T | Promise<T>);

function supply<T>(s: Supplier<T>): T | Promise<T> {
  return typeof s === "function" ? (s as () => T | Promise<T>)() : s;
}

function checkSeed(seed: Supplier<Seed>): void {
  if (typeof seed !== "function") decodeSeed(seed).raw.fill(0);
}

function credsText(creds: string | Uint8Array): string {
  return typeof creds === "string" ? creds : utf8Decoder.decode(creds);
}

/**
 * Authenticates with a user name and password (CONNECT `user`/`pass`).
 *
 * @example
 * ```ts ignore
 * const nc = await connect({
 *   servers: "127.0.0.1:4222",
 *   authenticator: usernamePasswordAuthenticator("app", () => Deno.env.get("APP_PASS") ?? ""),
 * });
 * ```
 */
export function usernamePasswordAuthenticator(user: Supplier<string>, pass?: Supplier<string>): Authenticator {
  return async (): Promise<Auth> => {
    const auth: Auth = { user: await supply(user) };
    if (pass !== undefined) auth.pass = await supply(pass);
    return auth;
  };
}

/**
 * Authenticates with a token (CONNECT `auth_token`).
 *
 * @example
 * ```ts ignore
 * const nc = await connect({ servers: "127.0.0.1:4222", authenticator: tokenAuthenticator("s3cr3t") });
 * ```
 */
export function tokenAuthenticator(token: Supplier<string>): Authenticator {
  return async (): Promise<Auth> => ({ auth_token: await supply(token) });
}

/**
 * Authenticates with an NKey: sends the public key and the seed's signature of the server nonce.
 *
 * @throws {InvalidArgumentError} at once when a seed value is not a valid seed (a function's
 * result is checked on each connect).
 *
 * @example
 * ```ts ignore
 * const nc = await connect({
 *   servers: "127.0.0.1:4222",
 *   authenticator: nkeyAuthenticator("SUAIBDPBAUTWCWBKIO6XHQNINK5FWJW4OHLXC3HQ2KFE4PEJUA44CNHTC4"),
 * });
 * ```
 */
export function nkeyAuthenticator(seed: Supplier<Seed>): Authenticator {
  checkSeed(seed);
  return async (nonce?: string): Promise<Auth> => (await signNonce(await supply(seed), nonce));
}

/**
 * Authenticates with a user JWT. With a seed, the nonce is signed with it; without one the JWT is
 * sent alone, which the server accepts only for bearer JWTs (`bearer_token` claim).
 *
 * @throws {InvalidArgumentError} at once when a seed value is not a valid seed.
 *
 * @example
 * ```ts ignore
 * const nc = await connect({ servers: "127.0.0.1:4222", authenticator: jwtAuthenticator(userJwt, userSeed) });
 * ```
 */
export function jwtAuthenticator(jwt: Supplier<string>, seed?: Supplier<Seed>): Authenticator {
  if (seed !== undefined) checkSeed(seed);
  return async (nonce?: string): Promise<Auth> => {
    const auth: Auth = { jwt: (await supply(jwt)).trim() };
    if (seed !== undefined) {
      const sig = (await signNonce(await supply(seed), nonce)).sig;
      if (sig) auth.sig = sig;
    }
    return auth;
  };
}

/**
 * Authenticates with the text of a credentials file (user JWT and seed). A function may return
 * fresh text on every connect, e.g. `() => readCredsFile(path)`.
 *
 * @throws {InvalidArgumentError} at once when a creds value is malformed (a function's result is
 * checked on each connect).
 *
 * @example
 * ```ts ignore
 * const nc = await connect({
 *   servers: "127.0.0.1:4222",
 *   authenticator: credsAuthenticator(() => readCredsFile("./user.creds")),
 * });
 * ```
 */
export function credsAuthenticator(creds: Supplier<string | Uint8Array>): Authenticator {
  if (typeof creds !== "function") {
    const { seed } = parseCreds(credsText(creds));
    if (seed) checkSeed(seed);
  }
  return async (nonce?: string): Promise<Auth> => {
    const { jwt, seed } = parseCreds(credsText(await supply(creds)));
    if (!seed) return { jwt };
    const sig = (await signNonce(seed, nonce)).sig;
    return sig ? { jwt, sig } : { jwt };
  };
}
