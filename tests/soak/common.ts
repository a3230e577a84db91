/**
 * Shared parts of the soak: the seeded random source, the violation report, a growable bitset for
 * sequence numbers, sleeping and the connection options every workload uses.
 *
 * @module
 */
import type { ConnectionOptions } from "../../mod.ts";

/** A seeded pseudo-random source (mulberry32): the same seed gives the same faults. */
export class Rng {
  #s: number;

  /** Creates the source from `seed`. */
  constructor(seed: number) {
    this.#s = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#s = (this.#s + 0x6d2b79f5) >>> 0;
    let t = this.#s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** One of `items`. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
}

/** Violations found, by workload (the first few of each kept in full). */
export class Report {
  readonly #kept = new Map<string, string[]>();
  readonly #counts = new Map<string, number>();

  /** Records a violation of `workload`. */
  violation(workload: string, what: string): void {
    this.#counts.set(workload, (this.#counts.get(workload) ?? 0) + 1);
    const kept = this.#kept.get(workload) ?? [];
    if (kept.length < 10) kept.push(what);
    this.#kept.set(workload, kept);
  }

  /** Violations so far. */
  get total(): number {
    let n = 0;
    for (const c of this.#counts.values()) n += c;
    return n;
  }

  /** One line per kept violation, with the count of those not kept. */
  lines(): string[] {
    const out: string[] = [];
    for (const [w, kept] of this.#kept) {
      for (const k of kept) out.push(`  [${w}] ${k}`);
      const more = this.#counts.get(w)! - kept.length;
      if (more > 0) out.push(`  [${w}] … and ${more} more`);
    }
    return out;
  }
}

/** A set of small non-negative integers (sequence numbers), growing as needed. */
export class Bitset {
  #bits = new Uint8Array(1024);
  #size = 0;

  /** Adds `n`; false when it was already there. */
  add(n: number): boolean {
    const byte = n >>> 3;
    if (byte >= this.#bits.length) {
      const grown = new Uint8Array(Math.max(this.#bits.length * 2, byte + 1));
      grown.set(this.#bits);
      this.#bits = grown;
    }
    const mask = 1 << (n & 7);
    if (this.#bits[byte] & mask) return false;
    this.#bits[byte] |= mask;
    this.#size++;
    return true;
  }

  /** True when `n` was added. */
  has(n: number): boolean {
    const byte = n >>> 3;
    return byte < this.#bits.length && (this.#bits[byte] & (1 << (n & 7))) !== 0;
  }

  /** How many numbers were added. */
  get size(): number {
    return this.#size;
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.max(0, ms)));
}

/** Polls `check` every 100 ms until it is true or `timeout` ms pass; resolves with the last result. */
export async function until(check: () => boolean | Promise<boolean>, timeout: number): Promise<boolean> {
  const deadline = Date.now() + timeout;
  while (true) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(100);
  }
}

/** Retries `work` (bounded) until it succeeds: for setup calls while the cluster elects leaders. */
export async function retrying<T>(what: string, work: () => Promise<T>, timeout = 30_000): Promise<T> {
  const deadline = Date.now() + timeout;
  while (true) {
    try {
      return await work();
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`${what}: ${err}`, { cause: err });
      await sleep(250);
    }
  }
}

/** The name of an error's class (for counting errors by kind). */
export function errorName(err: unknown): string {
  return err instanceof Error ? err.constructor.name : typeof err;
}

/**
 * Options of every soak connection: the whole cluster, reconnecting forever, and PINGs often
 * enough that a frozen (SIGSTOPped) server is noticed within a few seconds.
 */
export function connectOptions(urls: string[], name: string): ConnectionOptions {
  return {
    servers: urls,
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    reconnectJitter: 100,
    pingInterval: 1000,
    maxPingOut: 2,
    timeout: 5000,
  };
}

/** What every workload offers the soak driver. */
export interface Workload {
  /** Short name used in the summary and in violations. */
  readonly name: string;
  /** Stops producing (the faults are over). */
  stop(): Promise<void>;
  /** Waits, up to `timeout` ms, for the consumers to catch up, then checks the end state. */
  verify(report: Report, timeout: number): Promise<void>;
  /** One summary line. */
  summary(): string;
  /** Closes the workload's connections. */
  close(): Promise<void>;
}
