/**
 * A tiny NATS JWT (v2) minter for tests: operator, account and user claims signed with NKeys
 * (`{"typ":"JWT","alg":"ed25519-nkey"}`; `jti` = base32 of SHA-512/256 of the standard claims, as
 * the nats-io/jwt library computes it), plus an operator-mode server config with a memory resolver.
 */
import { base32Encode } from "../../src/auth/nkeys.ts";
import { createAccount, createOperator, createUser, type KeyPair } from "@nats-io/nkeys";
import { createHash } from "node:crypto";

const enc = new TextEncoder();

function b64url(data: Uint8Array | string): string {
  const bytes = typeof data === "string" ? enc.encode(data) : data;
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Claims of one JWT: subject, name, optional expiry (unix seconds) and the `nats` section. */
export interface ClaimsInput {
  sub: string;
  name: string;
  exp?: number;
  nats: Record<string, unknown>;
}

/** Encodes and signs `claims` with `issuer`. */
export function encodeJwt(issuer: KeyPair, claims: ClaimsInput): string {
  const std: Record<string, unknown> = {};
  if (claims.exp !== undefined) std.exp = claims.exp;
  std.iat = Math.floor(Date.now() / 1000);
  std.iss = issuer.getPublicKey();
  std.name = claims.name;
  std.sub = claims.sub;
  const jti = base32Encode(new Uint8Array(createHash("sha512-256").update(JSON.stringify(std)).digest()));
  const body = { ...std, jti, nats: { ...claims.nats, version: 2 } };
  const signing = `${b64url(JSON.stringify({ typ: "JWT", alg: "ed25519-nkey" }))}.${b64url(JSON.stringify(body))}`;
  return `${signing}.${b64url(issuer.sign(enc.encode(signing)))}`;
}

const UNLIMITED_ACCOUNT = {
  subs: -1,
  data: -1,
  payload: -1,
  imports: -1,
  exports: -1,
  wildcards: true,
  conn: -1,
  leaf: -1,
};

/** Options of a user JWT. */
export interface UserOptions {
  /** Expiry, unix seconds. */
  exp?: number;
  /** The server skips the nonce signature check. */
  bearer?: boolean;
  /** Allowed publish subjects. */
  pubAllow?: string[];
  /** Allowed subscribe subjects. */
  subAllow?: string[];
}

/** A user: its key pair, seed text and JWT. */
export interface TestUser {
  kp: KeyPair;
  seed: string;
  jwt: string;
}

/** An operator with one account and its system account; mints users and writes the server config. */
export class TestOperator {
  readonly operator: KeyPair = createOperator();
  readonly account: KeyPair = createAccount();
  readonly system: KeyPair = createAccount();

  /** A user of the account. */
  user(name: string, opts: UserOptions = {}): TestUser {
    const kp = createUser();
    const nats: Record<string, unknown> = {
      type: "user",
      pub: opts.pubAllow ? { allow: opts.pubAllow } : {},
      sub: opts.subAllow ? { allow: opts.subAllow } : {},
      subs: -1,
      data: -1,
      payload: -1,
    };
    if (opts.bearer) nats.bearer_token = true;
    const jwt = encodeJwt(this.account, { sub: kp.getPublicKey(), name, exp: opts.exp, nats });
    return { kp, seed: new TextDecoder().decode(kp.getSeed()), jwt };
  }

  /** Server config lines for operator mode with a preloaded memory resolver (JWT written to `dir`). */
  async serverConfig(dir: string): Promise<string> {
    const op = encodeJwt(this.operator, {
      sub: this.operator.getPublicKey(),
      name: "test-operator",
      nats: { type: "operator", system_account: this.system.getPublicKey() },
    });
    const account = (kp: KeyPair, name: string) =>
      encodeJwt(this.operator, {
        sub: kp.getPublicKey(),
        name,
        nats: { type: "account", limits: UNLIMITED_ACCOUNT, default_permissions: { pub: {}, sub: {} } },
      });
    await Deno.writeTextFile(`${dir}/operator.jwt`, op);
    return [
      `operator: "${dir}/operator.jwt"`,
      `system_account: ${this.system.getPublicKey()}`,
      "resolver: MEMORY",
      "resolver_preload: {",
      `  ${this.account.getPublicKey()}: "${account(this.account, "app")}"`,
      `  ${this.system.getPublicKey()}: "${account(this.system, "SYS")}"`,
      "}",
    ].join("\n");
  }
}

/** Creds file text in the standard layout. */
export function formatCreds(jwt: string, seed: string): string {
  return `-----BEGIN NATS USER JWT-----
${jwt}
------END NATS USER JWT------

************************* IMPORTANT *************************
NKEY Seed printed below can be used to sign and prove identity.
NKEYs are sensitive and should be treated as secrets.

-----BEGIN USER NKEY SEED-----
${seed}
------END USER NKEY SEED------

*************************************************************
`;
}
