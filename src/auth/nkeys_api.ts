/**
 * NKeys with nats.js's `nkeys` API (the `nkeys` export of the core entry): create and open key
 * pairs, sign and verify synchronously (Ed25519), and seal and open messages with curve keys
 * (X25519, XSalsa20-Poly1305), byte for byte as nats.js's library does, in plain TypeScript.
 *
 * @example
 * ```ts
 * import * as nkeys from "./nkeys_api.ts";
 * const user = nkeys.createUser();
 * const data = new TextEncoder().encode("nonce");
 * const sig = user.sign(data);
 * console.log(user.getPublicKey().startsWith("U"), nkeys.fromPublic(user.getPublicKey()).verify(data, sig));
 * ```
 *
 * @module
 */
import { CLIENT_VERSION } from "../connection/info.ts";
import { publicKeyOf, sign, verify } from "../crypto/ed25519.ts";
import { box, boxOpen } from "../crypto/nacl_box.ts";
import { x25519Base } from "../crypto/x25519.ts";
import {
  decodeKey,
  decodeSeedKey,
  encodeKey,
  encodeSeed,
  NKeysError,
  NKeysErrorCode,
  Prefix,
  Prefixes,
} from "./nkey_codec.ts";

export { NKeysError, NKeysErrorCode, Prefix, Prefixes };

/** The version of this NKeys implementation (natsw's). */
export const version: string = CLIENT_VERSION;

/** A key pair, or a public key alone. Methods throw {@link NKeysError}. */
export interface KeyPair {
  /** The public key (`U…`, `A…`, `X…`, …). */
  getPublicKey(): string;
  /** The private key, encoded (`P…`), as text bytes. */
  getPrivateKey(): Uint8Array;
  /** The seed, encoded (`S…`), as text bytes. */
  getSeed(): Uint8Array;
  /** The 64-byte Ed25519 signature of `input` (not for curve keys). */
  sign(input: Uint8Array): Uint8Array;
  /** True when `sig` is this key's signature of `input` (not for curve keys). */
  verify(input: Uint8Array, sig: Uint8Array): boolean;
  /** Zeroes the secret; the pair cannot be used afterwards. */
  clear(): void;
  /** Encrypts `input` for the public curve key `recipient` (curve keys only). */
  seal(input: Uint8Array, recipient: string, nonce?: Uint8Array): Uint8Array;
  /** Decrypts what `sender` sealed for this key, or `null` when it does not authenticate (curve keys only). */
  open(message: Uint8Array, sender: string): Uint8Array | null;
}

const utf8 = new TextEncoder();
const XKEY_V1 = utf8.encode("xkv1");
const NONCE_LEN = 24;

/** An Ed25519 pair held as its encoded seed (cleared by `clear()`, as nats.js does). */
class SeedPair implements KeyPair {
  #seed: Uint8Array | undefined;

  constructor(seed: Uint8Array) {
    this.#seed = seed;
  }

  #open(): { buf: Uint8Array; prefix: Prefix } {
    if (!this.#seed) throw new NKeysError(NKeysErrorCode.ClearedPair);
    return decodeSeedKey(this.#seed);
  }

  getSeed(): Uint8Array {
    this.#open();
    return this.#seed!;
  }

  getPublicKey(): string {
    const { buf, prefix } = this.#open();
    return new TextDecoder().decode(encodeKey(prefix, publicKeyOf(buf)));
  }

  getPrivateKey(): Uint8Array {
    const { buf } = this.#open();
    const secret = new Uint8Array(64);
    secret.set(buf);
    secret.set(publicKeyOf(buf), 32);
    return encodeKey(Prefix.Private, secret);
  }

  sign(input: Uint8Array): Uint8Array {
    return sign(input, this.#open().buf);
  }

  verify(input: Uint8Array, sig: Uint8Array): boolean {
    return verify(input, sig, publicKeyOf(this.#open().buf));
  }

  clear(): void {
    this.#seed?.fill(0);
    this.#seed = undefined;
  }

  seal(): Uint8Array {
    throw new NKeysError(NKeysErrorCode.InvalidNKeyOperation);
  }

  open(): Uint8Array | null {
    throw new NKeysError(NKeysErrorCode.InvalidNKeyOperation);
  }
}

/** A public key alone (encoded text bytes). */
class PublicKey implements KeyPair {
  #key: Uint8Array | undefined;

  constructor(key: Uint8Array) {
    this.#key = key;
  }

  #get(): Uint8Array {
    if (!this.#key) throw new NKeysError(NKeysErrorCode.ClearedPair);
    return this.#key;
  }

  getPublicKey(): string {
    return new TextDecoder().decode(this.#get());
  }

  getPrivateKey(): Uint8Array {
    this.#get();
    throw new NKeysError(NKeysErrorCode.PublicKeyOnly);
  }

  getSeed(): Uint8Array {
    this.#get();
    throw new NKeysError(NKeysErrorCode.PublicKeyOnly);
  }

  sign(): Uint8Array {
    this.#get();
    throw new NKeysError(NKeysErrorCode.CannotSign);
  }

  verify(input: Uint8Array, sig: Uint8Array): boolean {
    return verify(input, sig, decodeKey(this.#get()).slice(1));
  }

  clear(): void {
    this.#key?.fill(0);
    this.#key = undefined;
  }

  seal(): Uint8Array {
    throw new NKeysError(NKeysErrorCode.InvalidNKeyOperation);
  }

  open(): Uint8Array | null {
    throw new NKeysError(NKeysErrorCode.InvalidNKeyOperation);
  }
}

/** The raw 32-byte public key of the encoded public curve key `src`. */
function curvePublic(src: string): Uint8Array {
  try {
    const raw = decodeKey(utf8.encode(src));
    if (raw.length !== 33) throw new NKeysError(NKeysErrorCode.InvalidCurveKey);
    if (raw[0] !== Prefix.Curve) throw new NKeysError(NKeysErrorCode.InvalidPublicKey);
    return raw.slice(1);
  } catch (err) {
    throw new NKeysError(NKeysErrorCode.InvalidRecipient, { cause: err });
  }
}

/** A curve (X25519) pair held as its raw 32-byte secret. */
class CurvePair implements KeyPair {
  #seed: Uint8Array | undefined;

  constructor(seed: Uint8Array) {
    this.#seed = seed;
  }

  #get(): Uint8Array {
    if (!this.#seed) throw new NKeysError(NKeysErrorCode.ClearedPair);
    return this.#seed;
  }

  getPublicKey(): string {
    return new TextDecoder().decode(encodeKey(Prefix.Curve, x25519Base(this.#get())));
  }

  getPrivateKey(): Uint8Array {
    return encodeKey(Prefix.Private, this.#get());
  }

  getSeed(): Uint8Array {
    return encodeSeed(Prefix.Curve, this.#get());
  }

  sign(): Uint8Array {
    throw new NKeysError(NKeysErrorCode.InvalidCurveOperation);
  }

  verify(): boolean {
    throw new NKeysError(NKeysErrorCode.InvalidCurveOperation);
  }

  clear(): void {
    this.#seed?.fill(0);
    this.#seed = undefined;
  }

  seal(input: Uint8Array, recipient: string, nonce?: Uint8Array): Uint8Array {
    const secret = this.#get();
    const n = nonce ?? crypto.getRandomValues(new Uint8Array(NONCE_LEN));
    const sealed = box(input, n, curvePublic(recipient), secret);
    const out = new Uint8Array(XKEY_V1.length + NONCE_LEN + sealed.length);
    out.set(XKEY_V1);
    out.set(n.subarray(0, NONCE_LEN), XKEY_V1.length);
    out.set(sealed, XKEY_V1.length + NONCE_LEN);
    return out;
  }

  open(message: Uint8Array, sender: string): Uint8Array | null {
    const secret = this.#get();
    if (message.length <= NONCE_LEN + XKEY_V1.length || XKEY_V1.some((b, i) => message[i] !== b)) {
      throw new NKeysError(NKeysErrorCode.InvalidEncrypted);
    }
    const nonce = message.subarray(XKEY_V1.length, XKEY_V1.length + NONCE_LEN);
    return boxOpen(message.subarray(XKEY_V1.length + NONCE_LEN), nonce, curvePublic(sender), secret);
  }
}

/**
 * A new random pair of kind `prefix` (a public-key prefix). Throws {@link NKeysError} for another.
 *
 * @example
 * ```ts
 * import { createPair, Prefix } from "./nkeys_api.ts";
 * console.log(createPair(Prefix.Account).getPublicKey()[0]); // "A"
 * ```
 */
export function createPair(prefix: Prefix): KeyPair {
  const raw = crypto.getRandomValues(new Uint8Array(32));
  const seed = encodeSeed(prefix, raw);
  return prefix === Prefix.Curve ? new CurvePair(raw) : new SeedPair(seed);
}

/** A new random operator pair (`O…`). */
export function createOperator(): KeyPair {
  return createPair(Prefix.Operator);
}

/** A new random account pair (`A…`). */
export function createAccount(): KeyPair {
  return createPair(Prefix.Account);
}

/** A new random user pair (`U…`). */
export function createUser(): KeyPair {
  return createPair(Prefix.User);
}

/** A new random cluster pair (`C…`). */
export function createCluster(): KeyPair {
  return createPair(Prefix.Cluster);
}

/** A new random server pair (`N…`). */
export function createServer(): KeyPair {
  return createPair(Prefix.Server);
}

/** A new random curve pair (`X…`), which seals and opens messages. */
export function createCurve(): KeyPair {
  return createPair(Prefix.Curve);
}

/**
 * A public key alone (it can verify, not sign). Throws {@link NKeysError} unless `src` is an
 * encoded public key.
 *
 * @example
 * ```ts
 * import { createUser, fromPublic } from "./nkeys_api.ts";
 * console.log(fromPublic(createUser().getPublicKey()).getPublicKey()[0]); // "U"
 * ```
 */
export function fromPublic(src: string): KeyPair {
  const bytes = utf8.encode(src);
  const raw = decodeKey(bytes);
  if (!Prefixes.isValidPublicPrefix(Prefixes.parsePrefix(raw[0]))) {
    throw new NKeysError(NKeysErrorCode.InvalidPublicKey);
  }
  return new PublicKey(bytes);
}

/** The curve pair of an encoded curve seed (`SX…`, as text bytes). */
export function fromCurveSeed(src: Uint8Array): KeyPair {
  const { buf, prefix } = decodeSeedKey(src);
  if (prefix !== Prefix.Curve) throw new NKeysError(NKeysErrorCode.InvalidCurveSeed);
  if (buf.byteLength !== 32) throw new NKeysError(NKeysErrorCode.InvalidSeedLen);
  return new CurvePair(buf);
}

/**
 * The pair of an encoded seed (`SU…`, `SA…`, `SX…`, … as text bytes). The pair keeps `src` and
 * zeroes it on `clear()`.
 *
 * @example
 * ```ts
 * import { createUser, fromSeed } from "./nkeys_api.ts";
 * const u = createUser();
 * console.log(fromSeed(u.getSeed()).getPublicKey() === u.getPublicKey()); // true
 * ```
 */
export function fromSeed(src: Uint8Array): KeyPair {
  const { prefix } = decodeSeedKey(src);
  return prefix === Prefix.Curve ? fromCurveSeed(src) : new SeedPair(src);
}

/**
 * Standard base64 of `bytes`.
 *
 * @example
 * ```ts
 * import { decode, encode } from "./nkeys_api.ts";
 * console.log(decode(encode(new Uint8Array([1, 2])))); // Uint8Array [ 1, 2 ]
 * ```
 */
export function encode(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** The bytes of standard base64 text. */
export function decode(b64str: string): Uint8Array {
  return Uint8Array.from(atob(b64str), (c) => c.charCodeAt(0));
}
