/**
 * The NKey text encoding as nats.js's `nkeys` library defines it: a prefix byte (two for seeds),
 * the key, a CRC-16 and base32, with the library's prefixes, error codes and error class.
 *
 * @module
 */
import { NatsError } from "../errors.ts";
import { base32Decode, base32Encode, crc16 } from "./nkeys.ts";

/** The NKey prefix bytes (the first character of the encoded key). */
export enum Prefix {
  /** Not a known prefix. */
  Unknown = -1,
  /** A seed (`S…`). */
  Seed = 144,
  /** A private key (`P…`). */
  Private = 120,
  /** An operator (`O…`). */
  Operator = 112,
  /** A server (`N…`). */
  Server = 104,
  /** A cluster (`C…`). */
  Cluster = 16,
  /** An account (`A…`). */
  Account = 0,
  /** A user (`U…`). */
  User = 160,
  /** A curve (X25519) key (`X…`). */
  Curve = 184,
}

/** Checks on {@link Prefix} values. */
export class Prefixes {
  /** True for the prefixes of public keys (operator, server, cluster, account, user, curve). */
  static isValidPublicPrefix(prefix: Prefix): boolean {
    return prefix === Prefix.Server || prefix === Prefix.Operator || prefix === Prefix.Cluster ||
      prefix === Prefix.Account || prefix === Prefix.User || prefix === Prefix.Curve;
  }

  /** True when `s` starts with the character of a known prefix. */
  static startsWithValidPrefix(s: string): boolean {
    return "SPONCAUX".includes(s[0] ?? "-");
  }

  /** True for any known prefix. */
  static isValidPrefix(prefix: Prefix): boolean {
    return Prefixes.parsePrefix(prefix) !== Prefix.Unknown;
  }

  /** `v` as a {@link Prefix}, or `Prefix.Unknown`. */
  static parsePrefix(v: number): Prefix {
    return Object.values(Prefix).includes(v) && v !== Prefix.Unknown ? v as Prefix : Prefix.Unknown;
  }
}

/** Why an NKey operation failed (each value is the error's message). */
export enum NKeysErrorCode {
  /** The prefix byte is not valid here. */
  InvalidPrefixByte = "nkeys: invalid prefix byte",
  /** Not a valid key. */
  InvalidKey = "nkeys: invalid key",
  /** Not a valid public key. */
  InvalidPublicKey = "nkeys: invalid public key",
  /** A seed of the wrong length. */
  InvalidSeedLen = "nkeys: invalid seed length",
  /** Not a seed. */
  InvalidSeed = "nkeys: invalid seed",
  /** Not a curve seed. */
  InvalidCurveSeed = "nkeys: invalid curve seed",
  /** Not a curve key. */
  InvalidCurveKey = "nkeys: not a valid curve key",
  /** Curve keys cannot sign or verify. */
  InvalidCurveOperation = "nkeys: curve key is not valid for sign/verify",
  /** Only curve keys seal and open. */
  InvalidNKeyOperation = "keys: only curve key can seal/open",
  /** Not a valid encoding. */
  InvalidEncoding = "nkeys: invalid encoded key",
  /** Not a public curve key to seal for. */
  InvalidRecipient = "nkeys: not a valid recipient public curve key",
  /** Not a sealed message. */
  InvalidEncrypted = "nkeys: encrypted input is not valid",
  /** A public key cannot sign. */
  CannotSign = "nkeys: cannot sign, no private key available",
  /** A public key has no seed or private key. */
  PublicKeyOnly = "nkeys: no seed or private key available",
  /** The checksum does not match. */
  InvalidChecksum = "nkeys: invalid checksum",
  /** The key could not be encoded. */
  SerializationError = "nkeys: serialization error",
  /** A call was made with invalid arguments. */
  ApiError = "nkeys: api error",
  /** The key pair was cleared. */
  ClearedPair = "nkeys: pair is cleared",
}

/**
 * An NKey operation failed; `code` says why.
 *
 * @example
 * ```ts
 * import { NKeysError, NKeysErrorCode } from "./nkey_codec.ts";
 * console.log(new NKeysError(NKeysErrorCode.InvalidChecksum).message); // "nkeys: invalid checksum"
 * ```
 */
export class NKeysError extends NatsError {
  /** Why it failed (also the message). */
  code: string;
  /** Creates the error for `code`. */
  constructor(code: NKeysErrorCode, options?: ErrorOptions) {
    super(code, options);
    this.code = code;
  }
}

const utf8 = new TextEncoder();

/** base32 of `raw` plus its little-endian CRC-16, as text bytes. */
function withChecksum(raw: Uint8Array): Uint8Array {
  const all = new Uint8Array(raw.length + 2);
  all.set(raw);
  const crc = crc16(raw);
  all[raw.length] = crc & 0xff;
  all[raw.length + 1] = crc >> 8;
  return utf8.encode(base32Encode(all));
}

/** The encoded key of `src` under `prefix` (text bytes). */
export function encodeKey(prefix: Prefix, src: Uint8Array): Uint8Array {
  if (!(src instanceof Uint8Array)) throw new NKeysError(NKeysErrorCode.SerializationError);
  if (!Prefixes.isValidPrefix(prefix)) throw new NKeysError(NKeysErrorCode.InvalidPrefixByte);
  const raw = new Uint8Array(src.length + 1);
  raw[0] = prefix;
  raw.set(src, 1);
  return withChecksum(raw);
}

/** The encoded seed of a `role` key with the 32 bytes `src` (text bytes). */
export function encodeSeed(role: Prefix, src: Uint8Array): Uint8Array {
  if (!src) throw new NKeysError(NKeysErrorCode.ApiError);
  if (!Prefixes.isValidPublicPrefix(role)) throw new NKeysError(NKeysErrorCode.InvalidPrefixByte);
  if (src.byteLength !== 32) throw new NKeysError(NKeysErrorCode.InvalidSeedLen);
  const raw = new Uint8Array(34);
  raw[0] = Prefix.Seed | (role >> 5);
  raw[1] = (role & 31) << 3;
  raw.set(src, 2);
  return withChecksum(raw);
}

/** The checked bytes of an encoded key (prefix and key, without the checksum). */
export function decodeKey(src: Uint8Array): Uint8Array {
  if (src.byteLength < 4) throw new NKeysError(NKeysErrorCode.InvalidEncoding);
  let raw: Uint8Array;
  try {
    raw = base32Decode(new TextDecoder().decode(src));
  } catch (err) {
    throw new NKeysError(NKeysErrorCode.InvalidEncoding, { cause: err });
  }
  const body = raw.slice(0, raw.length - 2);
  if (crc16(body) !== (raw[raw.length - 2] | (raw[raw.length - 1] << 8))) {
    throw new NKeysError(NKeysErrorCode.InvalidChecksum);
  }
  return body;
}

/** The role and the 32 raw bytes of an encoded seed. */
export function decodeSeedKey(src: Uint8Array): { buf: Uint8Array; prefix: Prefix } {
  const raw = decodeKey(src);
  const kind = raw[0] & 248;
  const role = ((raw[0] & 7) << 5) | ((raw[1] & 248) >> 3);
  if (kind !== Prefix.Seed) throw new NKeysError(NKeysErrorCode.InvalidSeed);
  if (!Prefixes.isValidPublicPrefix(role)) throw new NKeysError(NKeysErrorCode.InvalidPrefixByte);
  return { buf: raw.slice(2), prefix: role };
}
