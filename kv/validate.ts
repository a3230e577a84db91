/**
 * Key and bucket name rules (ADR-8), checked before anything is sent.
 *
 * @module
 */
import { InvalidBucketError, InvalidKeyError } from "./errors.ts";

const BUCKET = /^[-\w]+$/;
const KEY_CHARS = /^[-/=.\w]+$/;
const SEARCH_CHARS = /^[-/=.\w*>]+$/;

/**
 * Throws {@link InvalidBucketError} unless `name` is a valid bucket name.
 *
 * @example
 * ```ts
 * import { validateBucket } from "./validate.ts";
 * validateBucket("config_v2");
 * ```
 */
export function validateBucket(name: string): void {
  if (typeof name !== "string" || !BUCKET.test(name)) throw new InvalidBucketError(String(name));
}

function checkShape(key: string): void {
  if (key.startsWith(".")) throw new InvalidKeyError(key, "must not start with '.'");
  if (key.endsWith(".")) throw new InvalidKeyError(key, "must not end with '.'");
  if (key.includes("..")) throw new InvalidKeyError(key, "must not contain empty tokens ('..')");
}

/**
 * Throws {@link InvalidKeyError} unless `key` is a valid key for writing or reading one value.
 *
 * @example
 * ```ts
 * import { validateKey } from "./validate.ts";
 * validateKey("users.42/profile");
 * ```
 */
export function validateKey(key: string): void {
  if (typeof key !== "string" || key.length === 0) throw new InvalidKeyError(String(key), "must not be empty");
  if (!KEY_CHARS.test(key)) throw new InvalidKeyError(key, "only A-Z, a-z, 0-9 and '-/_=.' are allowed");
  checkShape(key);
  if (key.startsWith("_kv")) throw new InvalidKeyError(key, "keys starting with '_kv' are reserved");
}

/**
 * Throws {@link InvalidKeyError} unless `filter` is a valid key filter (a key where whole tokens
 * may be `*`, and the last token may be `>`).
 *
 * @example
 * ```ts
 * import { validateSearchKey } from "./validate.ts";
 * validateSearchKey("users.*.profile");
 * ```
 */
export function validateSearchKey(filter: string): void {
  if (typeof filter !== "string" || filter.length === 0) {
    throw new InvalidKeyError(String(filter), "must not be empty");
  }
  if (!SEARCH_CHARS.test(filter)) throw new InvalidKeyError(filter, "only A-Z, a-z, 0-9, '-/_=.' and '*', '>'");
  checkShape(filter);
  const tokens = filter.split(".");
  tokens.forEach((t, i) => {
    if ((t.includes("*") || t.includes(">")) && t.length > 1) {
      throw new InvalidKeyError(filter, "wildcards must be whole tokens");
    }
    if (t === ">" && i !== tokens.length - 1) throw new InvalidKeyError(filter, "'>' must be the last token");
  });
}

/**
 * True when `key` contains a `*` or `>` wildcard.
 *
 * @example
 * ```ts
 * import { hasWildcards } from "./validate.ts";
 * console.log(hasWildcards("a.>")); // true
 * ```
 */
export function hasWildcards(key: string): boolean {
  return key.includes("*") || key.includes(">");
}

/**
 * Throws {@link InvalidKeyError} unless `key` is a valid key, or a valid filter when it holds
 * wildcards (the argument of `delete()` and `purge()`).
 *
 * @example
 * ```ts
 * import { validateKeyOrFilter } from "./validate.ts";
 * validateKeyOrFilter("users.*");
 * ```
 */
export function validateKeyOrFilter(key: string): void {
  if (typeof key === "string" && hasWildcards(key)) validateSearchKey(key);
  else validateKey(key);
}
