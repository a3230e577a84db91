/**
 * NKeys without a dependency: seed decoding (base32, CRC-16 check), the public key, and Ed25519
 * signatures through the runtime's WebCrypto (Deno, Node 20+, browsers).
 *
 * @module
 */
import { InvalidArgumentError } from "../errors.ts";

const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
/** High 5 bits of the first byte of every seed ('S'). */
const SEED_PREFIX = 18 << 3;
/** PKCS#8 header of a raw 32-byte Ed25519 private key (RFC 8410). */
const PKCS8_ED25519 = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];

/** CRC-16/XMODEM (polynomial 0x1021), the checksum of encoded NKeys. */
export function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const b of bytes) {
    crc ^= b << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** Decodes base32 (RFC 4648 alphabet, no padding); throws `InvalidArgumentError` for another character. */
export function base32Decode(text: string): Uint8Array {
  const out = new Uint8Array(Math.floor((text.length * 5) / 8));
  let bits = 0;
  let value = 0;
  let n = 0;
  for (const ch of text) {
    const v = B32.indexOf(ch);
    if (v < 0) throw new InvalidArgumentError("invalid NKey: not base32");
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out[n++] = (value >>> (bits - 8)) & 0xff;
      bits -= 8;
    }
  }
  return out.subarray(0, n);
}

/** Base32 (RFC 4648 alphabet, no padding), as NKeys and JWT ids use it. */
export function base32Encode(bytes: Uint8Array): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

/** A decoded seed: the key type prefix byte and the 32-byte Ed25519 private seed. */
export interface DecodedSeed {
  /** The key type (e.g. 20 << 3 for a user). */
  prefix: number;
  /** The raw private seed. */
  raw: Uint8Array;
}

/**
 * Decodes and checks an NKey seed (`SU…`, `SA…`, …). Throws {@link InvalidArgumentError}.
 *
 * @example
 * ```ts ignore
 * const { prefix } = decodeSeed("SUAM…");
 * ```
 */
export function decodeSeed(seed: string | Uint8Array): DecodedSeed {
  const text = typeof seed === "string" ? seed.trim() : new TextDecoder().decode(seed).trim();
  const bytes = base32Decode(text);
  if (bytes.length !== 36) throw new InvalidArgumentError("invalid NKey seed: wrong length");
  const body = bytes.subarray(0, 34);
  const crc = bytes[34] | (bytes[35] << 8);
  if (crc16(body) !== crc) throw new InvalidArgumentError("invalid NKey seed: checksum mismatch");
  if ((body[0] & 0xf8) !== SEED_PREFIX) throw new InvalidArgumentError("invalid NKey seed: not a seed");
  const prefix = ((body[0] & 7) << 5) | ((body[1] & 0xf8) >> 3);
  return { prefix, raw: body.slice(2, 34) };
}

function encodeKey(prefix: number, key: Uint8Array): string {
  const body = new Uint8Array(33);
  body[0] = prefix;
  body.set(key, 1);
  const crc = crc16(body);
  const all = new Uint8Array(35);
  all.set(body);
  all[33] = crc & 0xff;
  all[34] = crc >> 8;
  return base32Encode(all);
}

function fromBase64Url(text: string): Uint8Array {
  const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** An Ed25519 key opened from a seed: its public NKey and a signer. */
export interface NKeySigner {
  /** The public key (`U…` for a user seed). */
  publicKey: string;
  /** Signs bytes; resolves with the 64-byte signature. */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

/**
 * Opens a seed for signing with the runtime's Ed25519 (WebCrypto).
 *
 * @example
 * ```ts ignore
 * const signer = await openSeed(seed);
 * const sig = await signer.sign(new TextEncoder().encode(nonce));
 * ```
 */
export async function openSeed(seed: string | Uint8Array): Promise<NKeySigner> {
  const { prefix, raw } = decodeSeed(seed);
  const pkcs8 = new Uint8Array(PKCS8_ED25519.length + 32);
  pkcs8.set(PKCS8_ED25519);
  pkcs8.set(raw, PKCS8_ED25519.length);
  raw.fill(0);
  let key: CryptoKey;
  try {
    key = await crypto.subtle.importKey("pkcs8", pkcs8, { name: "Ed25519" }, true, ["sign"]);
  } catch (err) {
    throw new InvalidArgumentError(`this runtime cannot use Ed25519 keys: ${(err as Error).message}`, { cause: err });
  } finally {
    pkcs8.fill(0);
  }
  const jwk = await crypto.subtle.exportKey("jwk", key);
  const publicKey = encodeKey(prefix, fromBase64Url(jwk.x!));
  return {
    publicKey,
    sign: async (data) =>
      new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, key, data as Uint8Array<ArrayBuffer>)),
  };
}
