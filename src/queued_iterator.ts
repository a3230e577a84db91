/**
 * An iterator that a producer fills and one reader empties, with nats.js's `QueuedIterator`
 * surface: `stop()`, and counters of what went through it.
 *
 * @module
 */
import type { QueuedIterator } from "./api_shapes.ts";
import { InvalidOperationError } from "./errors.ts";
import { AsyncQueue } from "./queue.ts";

/**
 * A {@link QueuedIterator} fed with `push()` and closed with `end()` by its producer. The reader
 * may stop it early with `stop()` or by leaving its `for await` loop; either way the queued values
 * are dropped and `onStop` runs once, so the producer can release what feeds it.
 *
 * @example
 * ```ts
 * import { QueuedIteratorImpl } from "./queued_iterator.ts";
 * const it = new QueuedIteratorImpl<number>();
 * it.push(1);
 * it.push(2);
 * it.end();
 * for await (const n of it) console.log(n); // 1, 2
 * console.log(it.getProcessed()); // 2
 * ```
 */
export class QueuedIteratorImpl<T> implements QueuedIterator<T> {
  readonly #q = new AsyncQueue<T>();
  readonly #onStop: ((err?: Error) => void) | undefined;
  #received = 0;
  #processed = 0;
  #iterating = false;
  #stopped = false;

  /** Creates the iterator; `onStop` runs once when the reader stops it or leaves its loop. */
  constructor(onStop?: (err?: Error) => void) {
    this.#onStop = onStop;
    this.#q.onTake = () => this.#processed++;
    this.#q.onReturn = () => this.stop();
  }

  /** True once the producer ended it or the reader stopped it. */
  get ended(): boolean {
    return this.#q.ended;
  }

  /** Queues `value` for the reader (ignored once ended). */
  push(value: T): void {
    if (this.#q.ended) return;
    this.#received++;
    this.#q.push(value);
  }

  /** The producer is done: the values queued are still handed over, then the iteration ends (or throws `err`). */
  end(err?: Error): void {
    this.#q.end(err);
  }

  /** Ends the iteration now, dropping the values queued; with `err`, the reader's next step throws it. */
  stop(err?: Error): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#q.discard();
    this.#q.end(err);
    this.#onStop?.(err);
  }

  /** Values handed to the reader. */
  getProcessed(): number {
    return this.#processed;
  }

  /** Values queued and not yet handed to the reader. */
  getPending(): number {
    return this.#q.length;
  }

  /** Values pushed by the producer. */
  getReceived(): number {
    return this.#received;
  }

  /** The values; one reader only (a second throws `InvalidOperationError`). */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    if (this.#iterating) throw new InvalidOperationError("this iterator is already being read");
    this.#iterating = true;
    return this.#q;
  }
}
