/**
 * Subject, queue and name validation (ADR-6). Valid subjects are encoded once and cached, so a
 * publish to a known subject costs one map lookup.
 */
import { InvalidSubjectError } from "./errors.ts";
import { asciiOrUtf8 } from "./encoding.ts";

const CACHE_LIMIT = 4096;
const publishCache = new Map<string, Uint8Array>();

function isBlankCode(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a || c === 0x0c || c === 0x0b;
}

/** Why `subject` is not valid (empty string when it is); wildcards allowed when `wild`. */
export function subjectProblem(subject: string, wild: boolean): string {
  if (typeof subject !== "string" || subject.length === 0) return "empty subject";
  let tokenStart = 0;
  for (let i = 0; i <= subject.length; i++) {
    const c = i < subject.length ? subject.charCodeAt(i) : 0x2e;
    if (c === 0x2e) {
      const len = i - tokenStart;
      if (len === 0) return "empty token";
      if (len === 1) {
        const t = subject.charCodeAt(tokenStart);
        if (t === 0x2a || t === 0x3e) {
          if (!wild) return "wildcards are not allowed here";
          if (t === 0x3e && i !== subject.length) return "'>' must be the last token";
        }
      }
      tokenStart = i + 1;
    } else if (isBlankCode(c)) {
      return "contains whitespace";
    }
  }
  return "";
}

/**
 * Validates a subject to publish to (no wildcards) and returns its bytes (cached).
 * Throws {@link InvalidSubjectError}.
 */
export function publishSubjectBytes(subject: string): Uint8Array {
  const hit = publishCache.get(subject);
  if (hit !== undefined) return hit;
  const bytes = oneOffSubjectBytes(subject);
  if (publishCache.size >= CACHE_LIMIT) publishCache.clear();
  publishCache.set(subject, bytes);
  return bytes;
}

/**
 * Validates a subject to publish to and returns its bytes without caching them: for subjects used
 * once (JetStream ack subjects), which would only churn the cache. Checks and encodes in one pass
 * when the subject is ASCII. Throws {@link InvalidSubjectError}.
 */
export function oneOffSubjectBytes(subject: string): Uint8Array {
  const n = typeof subject === "string" ? subject.length : 0;
  const out = new Uint8Array(n);
  let tokenStart = 0;
  let i = 0;
  for (; i < n; i++) {
    const c = subject.charCodeAt(i);
    if (c === 0x2e) {
      if (i === tokenStart || (i === tokenStart + 1 && isWildcardCode(out[tokenStart]))) break;
      tokenStart = i + 1;
    } else if (c >= 0x80 || isBlankCode(c)) {
      break;
    }
    out[i] = c;
  }
  // every character seen, and the last token is neither empty nor a lone wildcard
  if (i === n && tokenStart < n && !(tokenStart === n - 1 && isWildcardCode(out[tokenStart]))) return out;
  // empty, a problem, or not ASCII: the careful path says which
  const why = subjectProblem(subject, false);
  if (why) throw new InvalidSubjectError(String(subject), why);
  return asciiOrUtf8(subject);
}

function isWildcardCode(c: number): boolean {
  return c === 0x2a || c === 0x3e;
}

/** Validates a subject to subscribe to (wildcards allowed). Throws {@link InvalidSubjectError}. */
export function checkSubscribeSubject(subject: string): void {
  const why = subjectProblem(subject, true);
  if (why) throw new InvalidSubjectError(String(subject), why);
}

/** Validates a queue group name (non-empty, no whitespace). Throws {@link InvalidSubjectError}. */
export function checkQueue(queue: string): void {
  if (typeof queue !== "string" || queue.length === 0) {
    throw new InvalidSubjectError(String(queue), "empty queue group", "queue group");
  }
  for (let i = 0; i < queue.length; i++) {
    if (isBlankCode(queue.charCodeAt(i))) {
      throw new InvalidSubjectError(queue, "contains whitespace", "queue group");
    }
  }
}

/** Validates an inbox prefix (a subject with no wildcards). Throws {@link InvalidSubjectError}. */
export function checkInboxPrefix(prefix: string): void {
  const why = subjectProblem(prefix, false);
  if (why) throw new InvalidSubjectError(String(prefix), why, "inbox prefix");
}
