/**
 * {@link syncIterator}: pull values from an async iterable one call at a time.
 *
 * @module
 */

/** An iterator whose `next()` resolves to the next value, or `null` once the source has ended. */
export type SyncIterator<T> = {
  /** The next value, or `null` when there are no more. */
  next(): Promise<T | null>;
};

/**
 * Wraps `src` so that each `next()` call reads one value (`null` at the end). Start it before
 * any `for await` over the same iterable: both would read from one iterator.
 *
 * @example
 * ```ts
 * import { syncIterator } from "./sync_iterator.ts";
 * async function* three() {
 *   yield 1;
 *   yield 2;
 *   yield 3;
 * }
 * const it = syncIterator(three());
 * console.log(await it.next(), await it.next(), await it.next(), await it.next()); // 1 2 3 null
 * ```
 */
export function syncIterator<T>(src: AsyncIterable<T>): SyncIterator<T> {
  const iter = src[Symbol.asyncIterator]();
  return {
    async next(): Promise<T | null> {
      const r = await iter.next();
      return r.done ? null : r.value;
    },
  };
}
