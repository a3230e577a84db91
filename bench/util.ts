/** Small helpers for the benchmark harness: payloads, percentiles, memory, waiting. */

/** A payload of `size` bytes (printable, deterministic). */
export function payload(size: number): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = 97 + (i % 26);
  return b;
}

/** The median of `xs` (0 for none). */
export function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The `p`-th percentile (0..100) of sorted values, nearest rank. */
export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

/** Peak resident set size of this process in MiB (Linux VmHWM; falls back to current RSS). */
export function peakRssMiB(): number {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(status);
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux
  }
  return Deno.memoryUsage().rss / (1024 * 1024);
}

/** Current resident set size in MiB. */
export function rssMiB(): number {
  return Deno.memoryUsage().rss / (1024 * 1024);
}

/** Resolves after `ms` milliseconds. */
export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Polls `progress()` every 10 ms until it reaches `target`; gives up when it has not moved for
 * `stallMs`. Returns the last value seen.
 */
export async function waitCount(progress: () => number, target: number, stallMs = 10_000): Promise<number> {
  let last = progress();
  let since = performance.now();
  while (last < target) {
    await delay(10);
    const now = progress();
    if (now !== last) {
      last = now;
      since = performance.now();
    } else if (performance.now() - since > stallMs) {
      break;
    }
  }
  return last;
}

/** A resolvable promise. */
export function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => resolve = r);
  return { promise, resolve };
}
