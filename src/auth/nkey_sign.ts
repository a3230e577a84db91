/**
 * Signs the server's nonce with an NKey seed: the `nkey` and `sig` fields of CONNECT.
 *
 * @module
 */
import { utf8Encoder } from "../encoding.ts";
import { openSeed } from "./nkeys.ts";

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
 * Signs `nonce` (its UTF-8 bytes) with the seed's private key; resolves with the public key and
 * the signature. Without a nonce only the public key is returned. Throws
 * `InvalidArgumentError` for a malformed seed.
 *
 * @example
 * ```ts ignore
 * const { nkey, sig } = await signNonce(userSeed, "c29tZSBub25jZQ");
 * console.log(nkey.startsWith("U"), typeof sig);
 * ```
 */
export async function signNonce(seed: Seed, nonce: string | undefined): Promise<NonceSignature> {
  const signer = await openSeed(seed);
  if (!nonce) return { nkey: signer.publicKey };
  return { nkey: signer.publicKey, sig: base64UrlEncode(await signer.sign(utf8Encoder.encode(nonce))) };
}
