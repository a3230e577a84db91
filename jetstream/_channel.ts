/**
 * A single-reader FIFO with an async iterator (the consumer's message buffer), and a fan-out of
 * bounded notification streams.
 *
 * @module
 */

/** A FIFO read with `for await`; `onTake` runs as each item is handed over. */
export class Channel<T> implements AsyncIterable<T>, AsyncIterator<T> {
  #items: T[] = [];
  #head = 0;
  #waiter: PromiseWithResolvers<IteratorResult<T>> | undefined;
  #done = false;
  #error: unknown;
  #iterating = false;
  /** Runs when the reader takes an item. */
  onTake: ((item: T) => void) | undefined;
  /** Runs once when the reader stops early (break/return). */
  onReturn: (() => void) | undefined;

  /** Items waiting. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  /** True once ended. */
  get ended(): boolean {
    return this.#done;
  }

  /** Adds an item (ignored once ended). */
  push(item: T): void {
    if (this.#done) return;
    const w = this.#waiter;
    if (w) {
      this.#waiter = undefined;
      this.onTake?.(item);
      w.resolve({ done: false, value: item });
    } else this.#items.push(item);
  }

  /** Drops the oldest item, if any. */
  shift(): T | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const item = this.#items[this.#head++];
    this.#compact();
    return item;
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

  #compact(): void {
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
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
      this.#compact();
      this.onTake?.(item);
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
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.resolve({ done: true, value: undefined });
    if (!wasDone) this.onReturn?.();
    return Promise.resolve({ done: true, value: undefined });
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    if (this.#iterating) throw new TypeError("this iterator is already being consumed");
    this.#iterating = true;
    return this;
  }
}

/** Fans notifications out to every listener; each keeps at most `limit` (oldest dropped). */
export class Notifier<T> {
  #listeners = new Set<Channel<T>>();
  #ended = false;
  readonly #limit: number;

  /** Creates the fan-out. */
  constructor(limit = 256) {
    this.#limit = limit;
  }

  /** A new listener; it ends when the notifier ends. */
  listen(): AsyncIterable<T> {
    const c = new Channel<T>();
    if (this.#ended) c.end();
    else {
      this.#listeners.add(c);
      c.onReturn = () => this.#listeners.delete(c);
    }
    return c;
  }

  /** Sends `item` to every listener. */
  emit(item: T): void {
    for (const c of this.#listeners) {
      if (c.length >= this.#limit) c.shift();
      c.push(item);
    }
  }

  /** Ends every listener. */
  end(): void {
    this.#ended = true;
    for (const c of this.#listeners) c.end();
    this.#listeners.clear();
  }
}
