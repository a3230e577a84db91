/**
 * Checks of service names, versions and group prefixes (ADR-32).
 *
 * @module
 */
import { InvalidArgumentError } from "../src/errors.ts";

const NAME = /^[A-Za-z0-9_-]+$/;
// The regular expression suggested by semver.org (SemVer 2.0.0).
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** Throws {@link InvalidArgumentError} unless `name` has only `A-Z a-z 0-9 _ -`. */
export function checkName(what: string, name: string): void {
  if (typeof name !== "string" || !NAME.test(name)) {
    throw new InvalidArgumentError(`invalid ${what} name '${name}': only A-Z, a-z, 0-9, '_' and '-' are allowed`);
  }
}

/** Throws {@link InvalidArgumentError} unless `version` is a SemVer 2.0 version. */
export function checkVersion(version: string): void {
  if (typeof version !== "string" || !SEMVER.test(version)) {
    throw new InvalidArgumentError(`invalid service version '${version}': not a SemVer 2.0 version`);
  }
}

/** Throws {@link InvalidArgumentError} unless `prefix` is empty or a subject without `>` or blanks. */
export function checkGroupPrefix(prefix: string): void {
  if (prefix === "") return;
  const bad = typeof prefix !== "string" || /\s/.test(prefix) ||
    prefix.split(".").some((t) => t === "" || t === ">");
  if (bad) {
    throw new InvalidArgumentError(`invalid group name '${prefix}': a subject without '>' or blanks is required`);
  }
}

/** Joins a group prefix and a subject with a dot (either may be empty). */
export function joinSubject(prefix: string, subject: string): string {
  if (prefix === "") return subject;
  if (subject === "") return prefix;
  return `${prefix}.${subject}`;
}
