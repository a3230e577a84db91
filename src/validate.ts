/**
 * Subject, queue and name validation (ADR-6). Valid subjects are encoded once and cached, so a
 * publish to a known subject costs one map lookup.
 */
import { InvalidArgumentError, InvalidSubjectError } from "./errors.ts";
import { asciiOrUtf8, utf8Decoder, utf8Length } from "./encoding.ts";

/**
 * The server's default `max_control_line` in bytes. INFO does not announce it, and a longer
 * protocol line makes the server close the connection ("Maximum Control Line Exceeded").
 */
const SERVER_MAX_CONTROL_LINE = 4096;
/**
 * The most bytes the subject and reply of one publish may take together: what is left of
 * {@link SERVER_MAX_CONTROL_LINE} by `HPUB <subject> <reply> <hdrlen> <total>\r\n` with both sizes at
 * their widest (10 digits each), so that whether a subject is accepted never depends on the payload.
 */
export const MAX_PUBLISH_SUBJECTS = SERVER_MAX_CONTROL_LINE - "HPUB    \r\n".length - 2 * 10;
/**
 * The most bytes the subject and queue group of one subscription may take together: what is left of
 * {@link SERVER_MAX_CONTROL_LINE} by `SUB <subject> <queue> <sid>\r\n` with the sid at its widest (16 digits).
 */
export const MAX_SUBSCRIBE_SUBJECTS = SERVER_MAX_CONTROL_LINE - "SUB   \r\n".length - 16;

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
  if (i === n && tokenStart < n && !(tokenStart === n - 1 && isWildcardCode(out[tokenStart]))) {
    return fitsPublishLine(subject, out);
  }
  // empty, a problem, or not ASCII: the careful path says which
  const why = subjectProblem(subject, false);
  if (why) throw new InvalidSubjectError(String(subject), why);
  return fitsPublishLine(subject, asciiOrUtf8(subject));
}

/** `bytes` (of `subject`) when a publish line has room for them; throws {@link InvalidSubjectError}. */
function fitsPublishLine(subject: string, bytes: Uint8Array): Uint8Array {
  if (bytes.length > MAX_PUBLISH_SUBJECTS) throw new InvalidSubjectError(subject, tooLong("", bytes.length, "PUB"));
  return bytes;
}

/** Why a line is too long: `bytes` (with `what` before them, if anything) do not fit in a `line` line. */
function tooLong(what: string, bytes: number, line: "PUB" | "SUB"): string {
  const max = line === "PUB" ? MAX_PUBLISH_SUBJECTS : MAX_SUBSCRIBE_SUBJECTS;
  return `${what}${bytes} bytes, more than the ${max} a ${line} line has room for within the server's ` +
    `max_control_line of ${SERVER_MAX_CONTROL_LINE} bytes`;
}

/**
 * Throws {@link InvalidSubjectError} when a subject and reply (validated bytes) are together longer
 * than a PUB line has room for ({@link MAX_PUBLISH_SUBJECTS}). One compare: called on every publish.
 *
 * @example
 * ```ts ignore
 * checkPublishLine(publishSubjectBytes("orders.new"), replyBytes);
 * ```
 */
export function checkPublishLine(subject: Uint8Array, reply: Uint8Array | undefined): void {
  if (subject.length + (reply ? reply.length : 0) > MAX_PUBLISH_SUBJECTS) throw publishLineError(subject, reply);
}

function publishLineError(subject: Uint8Array, reply: Uint8Array | undefined): InvalidSubjectError {
  if (!reply || subject.length > MAX_PUBLISH_SUBJECTS) {
    return new InvalidSubjectError(utf8Decoder.decode(subject), tooLong("", subject.length, "PUB"));
  }
  const why = tooLong("with its subject, ", subject.length + reply.length, "PUB");
  return new InvalidSubjectError(utf8Decoder.decode(reply), why, "reply subject");
}

function isWildcardCode(c: number): boolean {
  return c === 0x2a || c === 0x3e;
}

/** Validates a subject to subscribe to (wildcards allowed). Throws {@link InvalidSubjectError}. */
export function checkSubscribeSubject(subject: string): void {
  const why = subjectProblem(subject, true);
  if (why) throw new InvalidSubjectError(String(subject), why);
}

/**
 * Throws {@link InvalidSubjectError} when the SUB line of `subject` and `queue` (both valid) would
 * be longer than the server's `max_control_line` (see {@link MAX_SUBSCRIBE_SUBJECTS}).
 */
export function checkSubscribeLine(subject: string, queue: string | undefined): void {
  // UTF-8 takes at most 3 bytes per UTF-16 unit: short lines need no counting
  if ((subject.length + (queue ? queue.length : 0)) * 3 <= MAX_SUBSCRIBE_SUBJECTS) return;
  const s = utf8Length(subject);
  if (s > MAX_SUBSCRIBE_SUBJECTS) throw new InvalidSubjectError(subject, tooLong("", s, "SUB"));
  const n = s + (queue ? utf8Length(queue) : 0);
  if (n > MAX_SUBSCRIBE_SUBJECTS) {
    throw new InvalidSubjectError(queue!, tooLong("with its subject, ", n, "SUB"), "queue group");
  }
}

/**
 * Validates a list of subjects to subscribe to or filter on (wildcards allowed), such as a
 * stream's `subjects`: each must be a valid subject. `kind` names them in the error. Throws
 * {@link InvalidSubjectError}, or `InvalidArgumentError` when `subjects` is not an array.
 */
export function checkSubjectList(subjects: readonly string[] | undefined, kind: string): void {
  if (subjects === undefined) return;
  if (!Array.isArray(subjects)) throw new InvalidArgumentError(`${kind}s must be an array of subjects`);
  for (const s of subjects) {
    const why = subjectProblem(s, true);
    if (why) throw new InvalidSubjectError(String(s), why, kind);
  }
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
