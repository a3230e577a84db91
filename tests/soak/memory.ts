/**
 * The soak's memory bound: RSS is sampled every second while the faults run; the highest sample
 * of the last third may exceed the highest of the first third by at most 25 % plus 32 MiB. The
 * first third holds the warm-up (JIT, buffers, every workload at full speed, the first faults), so
 * a steady process stays well inside; a leak of a few KiB per message or per fault does not.
 *
 * @module
 */
import type { Report } from "./common.ts";

const MIB = 1024 * 1024;

/** Samples RSS and checks the bound. */
export class MemoryWatch {
  readonly #samples: number[] = [];
  #timer: ReturnType<typeof setInterval> | undefined;

  /** Starts sampling. */
  start(): void {
    this.#sample();
    this.#timer = setInterval(() => this.#sample(), 1000);
  }

  #sample(): void {
    this.#samples.push(Deno.memoryUsage().rss);
  }

  /** Stops sampling. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #thirds(): { first: number; last: number } | undefined {
    const n = this.#samples.length;
    if (n < 3) return undefined;
    const third = Math.floor(n / 3);
    return { first: Math.max(...this.#samples.slice(0, third)), last: Math.max(...this.#samples.slice(n - third)) };
  }

  /** Records a violation when the last third's peak is past the bound. */
  check(report: Report): void {
    const t = this.#thirds();
    if (!t) return;
    const limit = t.first * 1.25 + 32 * MIB;
    if (t.last > limit) {
      report.violation(
        "memory",
        `RSS peak ${mib(t.last)} in the last third, over ${mib(limit)} (first third ${mib(t.first)})`,
      );
    }
  }

  /** One summary line. */
  summary(): string {
    const t = this.#thirds();
    if (!t) return "rss: too few samples";
    return `rss: first third peak ${mib(t.first)}, last third peak ${mib(t.last)}, ${this.#samples.length} samples`;
  }
}

function mib(bytes: number): string {
  return `${(bytes / MIB).toFixed(1)} MiB`;
}
