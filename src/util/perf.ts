/**
 * {@link Perf}: named time marks and the durations between them.
 *
 * @module
 */

/**
 * Records marks (`performance.now()` under a key) and measures (the time between two marks).
 *
 * @example
 * ```ts
 * import { Perf } from "./perf.ts";
 * const perf = new Perf();
 * perf.mark("start");
 * perf.mark("end");
 * perf.measure("work", "start", "end");
 * console.log(perf.getEntries()); // [{ name: "work", duration: … }]
 * ```
 */
export class Perf {
  /** Marks by key, in milliseconds from `performance.timeOrigin`. */
  timers: Map<string, number> = new Map();
  /** Measured durations by name, in milliseconds. */
  measures: Map<string, number> = new Map();

  /** Records the current time under `key`. */
  mark(key: string): void {
    this.timers.set(key, performance.now());
  }

  /** Records as `key` the time from mark `startKey` to mark `endKey`; throws if either is missing. */
  measure(key: string, startKey: string, endKey: string): void {
    const start = this.timers.get(startKey);
    if (start === undefined) throw new Error(`${startKey} is not defined`);
    const end = this.timers.get(endKey);
    if (end === undefined) throw new Error(`${endKey} is not defined`);
    this.measures.set(key, end - start);
  }

  /** The measures, in the order they were first recorded. */
  getEntries(): { name: string; duration: number }[] {
    return [...this.measures].map(([name, duration]) => ({ name, duration }));
  }
}
