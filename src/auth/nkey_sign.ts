/**
 * Signs the server's nonce with an NKey seed: the `nkey` and `sig` fields of CONNECT.
 *
 * @module
 */
import { fromSeed, type KeyPair } from "@nats-io/nkeys";
import { utf8Encoder } from "../encoding.ts";
import { InvalidArgumentError } from "../errors.ts";

/** An NKey seed as text (`SU…`) or as its ASCII bytes. */
export type Seed = string | Uint8Array;

/** What signing a nonce yields for CONNECT. */
export interface NonceSignature {
  /** The public key (`U…`). */
  nkey: string;
  /** The signature of the nonce, base64url without padding; absent when there was no nonce. */
  sig?: string;
}

/**
 * Encodes bytes as base64url without padding (the form the server expects for `sig`).
 *
 * @example
 * ```ts
 * import { base64UrlEncode } from "./nkey_sign.ts";
 * console.log(base64UrlEncode(new Uint8Array([251, 255]))); // "-_8"
 * ```
 */
export function base64UrlEncode(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * Opens a key pair from a seed, turning the library's errors into {@link InvalidArgumentError}.
 * The caller must `clear()` the pair when done.
 *
 * @example
 * ```ts
 * import { createUser } from "@nats-io/nkeys";
 * import { keyPairFromSeed } from "./nkey_sign.ts";
 * const kp = keyPairFromSeed(createUser().getSeed());
 * console.log(kp.getPublicKey().startsWith("U"));
 * kp.clear();
 * ```
 */
export function keyPairFromSeed(seed: Seed): KeyPair {
  // A copy: the key pair keeps the array it is given and zeroes it on clear().
  const bytes = typeof seed === "string" ? utf8Encoder.encode(seed.trim()) : seed.slice();
  try {
    return fromSeed(bytes);
  } catch (err) {
    throw new InvalidArgumentError(`invalid NKey seed: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Signs `nonce` (its UTF-8 bytes) with the seed's private key; returns the public key and the
 * signature. Without a nonce only the public key is returned.
 *
 * @example
 * ```ts
 * import { createUser } from "@nats-io/nkeys";
 * import { signNonce } from "./nkey_sign.ts";
 * const { nkey, sig } = signNonce(createUser().getSeed(), "c29tZSBub25jZQ");
 * console.log(nkey.startsWith("U"), typeof sig);
 * ```
 */
export function signNonce(seed: Seed, nonce: string | undefined): NonceSignature {
  const kp = keyPairFromSeed(seed);
  try {
    const nkey = kp.getPublicKey();
    if (!nonce) return { nkey };
    return { nkey, sig: base64UrlEncode(kp.sign(utf8Encoder.encode(nonce))) };
  } finally {
    kp.clear();
  }
}
