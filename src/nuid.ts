/**
 * NUID: 22-character unique identifiers (12 random base62 characters, then a 10-character
 * sequence that advances by a random step), as the other NATS clients make them.
 *
 * @module
 */

const DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BASE = 62n;
const PRE_LEN = 12;
const SEQ_LEN = 10;
const MAX_SEQ = 62n ** 10n;
const MIN_INC = 33n;
const MAX_INC = 333n;

function randomBig(max: bigint): bigint {
  const buf = new BigUint64Array(1);
  crypto.getRandomValues(buf);
  return buf[0] % max;
}

/**
 * A NUID generator.
 *
 * @example
 * ```ts
 * import { Nuid } from "./nuid.ts";
 * const id = new Nuid().next();
 * console.log(id.length); // 22
 * ```
 */
export class Nuid {
  #pre = "";
  #seq = 0n;
  #inc = 0n;

  /** Creates a generator with a random prefix. */
  constructor() {
    this.#reset();
  }

  #reset(): void {
    const bytes = new Uint8Array(PRE_LEN);
    crypto.getRandomValues(bytes);
    let pre = "";
    for (const b of bytes) pre += DIGITS[b % 62];
    this.#pre = pre;
    this.#seq = randomBig(MAX_SEQ);
    this.#inc = MIN_INC + randomBig(MAX_INC - MIN_INC);
  }

  /** The next identifier. */
  next(): string {
    this.#seq += this.#inc;
    if (this.#seq >= MAX_SEQ) this.#reset();
    let s = "";
    let v = this.#seq;
    for (let i = 0; i < SEQ_LEN; i++) {
      s = DIGITS[Number(v % BASE)] + s;
      v /= BASE;
    }
    return this.#pre + s;
  }
}

/** The process-wide generator. */
export const nuid: Nuid = new Nuid();

/**
 * Creates an inbox subject `<prefix>.<nuid>`.
 *
 * @example
 * ```ts
 * import { createInbox } from "./nuid.ts";
 * console.log(createInbox().startsWith("_INBOX."));
 * ```
 */
export function createInbox(prefix = "_INBOX"): string {
  return `${prefix}.${nuid.next()}`;
}
