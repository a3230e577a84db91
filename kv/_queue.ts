/**
 * A small single-reader async queue (internal).
 *
 * @module
 */

/** A FIFO read with `for await`; `onStop` runs once when the reader stops early. */
export class Queue<T> implements AsyncIterator<T> {
  #items: T[] = [];
  #head = 0;
  #waiter: PromiseWithResolvers<IteratorResult<T>> | undefined;
  #done = false;
  #error: unknown;
  /** Runs once when the reader breaks out of its loop. */
  onStop: (() => void) | undefined;

  /** Items waiting. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Adds an item (ignored once ended). */
  push(item: T): void {
    if (this.#done) return;
    const w = this.#waiter;
    if (w) {
      this.#waiter = undefined;
      w.resolve({ done: false, value: item });
    } else this.#items.push(item);
  }

  /** Ends: waiting items are still handed over, then iteration ends (or throws `error`). */
  end(error?: unknown): void {
    if (this.#done) return;
    this.#done = true;
    this.#error = error;
    const w = this.#waiter;
    if (w && this.length === 0) {
      this.#waiter = undefined;
      this.#settle(w);
    }
  }

  #settle(w: PromiseWithResolvers<IteratorResult<T>>): void {
    const err = this.#error;
    this.#error = undefined;
    if (err !== undefined) w.reject(err);
    else w.resolve({ done: true, value: undefined });
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#head < this.#items.length) {
      const item = this.#items[this.#head++];
      if (this.#head === this.#items.length) {
        this.#items = [];
        this.#head = 0;
      } else if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
        this.#items = this.#items.slice(this.#head);
        this.#head = 0;
      }
      return Promise.resolve({ done: false, value: item });
    }
    const w = Promise.withResolvers<IteratorResult<T>>();
    if (this.#done) this.#settle(w);
    else this.#waiter = w;
    return w.promise;
  }

  return(): Promise<IteratorResult<T>> {
    const wasDone = this.#done;
    this.#done = true;
    this.#items = [];
    this.#head = 0;
    this.#waiter?.resolve({ done: true, value: undefined });
    this.#waiter = undefined;
    if (!wasDone) this.onStop?.();
    return Promise.resolve({ done: true, value: undefined });
  }
}
