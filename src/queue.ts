/**
 * An unbounded-by-itself FIFO with a fast async iterator; callers enforce their own bounds.
 * `push` never allocates a promise when a consumer is not waiting.
 */
import { type Deferred, deferred } from "./encoding.ts";

/** A FIFO that one consumer reads with `for await`. */
export class AsyncQueue<T> implements AsyncIterable<T>, AsyncIterator<T> {
  #items: (T | undefined)[] = [];
  #head = 0;
  #waiter: Deferred<IteratorResult<T>> | undefined;
  #done = false;
  #error: unknown;
  /** Called after the consumer took an item (to update counters). */
  onTake: ((item: T) => void) | undefined;
  /**
   * Called when a consumer leaves a `for await` loop early (break/return). Without it the queue
   * stays open and can be iterated again.
   */
  onReturn: (() => void) | undefined;

  /** Items waiting. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  /** True once `end()` was called. */
  get ended(): boolean {
    return this.#done;
  }

  /** Adds an item (ignored after `end()`). */
  push(item: T): void {
    if (this.#done) return;
    const w = this.#waiter;
    if (w) {
      this.#waiter = undefined;
      this.onTake?.(item);
      w.resolve({ done: false, value: item });
      return;
    }
    this.#items.push(item);
  }

  /** Ends the queue: waiting items are still delivered, then iteration ends (or throws `error`). */
  end(error?: unknown): void {
    if (this.#done) return;
    this.#done = true;
    this.#error = error;
    const w = this.#waiter;
    if (w && this.length === 0) {
      this.#waiter = undefined;
      this.#finish(w);
    }
  }

  /** Removes and returns the oldest waiting item. */
  shift(): T | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const item = this.#items[this.#head] as T;
    this.#items[this.#head++] = undefined;
    if (this.#head === this.#items.length) {
      this.#items.length = 0;
      this.#head = 0;
    }
    return item;
  }

  /** Drops every waiting item; returns them. */
  discard(): T[] {
    const out = this.#items.slice(this.#head) as T[];
    this.#items = [];
    this.#head = 0;
    return out;
  }

  #finish(w: Deferred<IteratorResult<T>>): void {
    const err = this.#error;
    this.#error = undefined;
    if (err !== undefined) w.reject(err);
    else w.resolve({ done: true, value: undefined });
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#head < this.#items.length) {
      const item = this.#items[this.#head] as T;
      this.#items[this.#head++] = undefined;
      if (this.#head === this.#items.length) {
        this.#items.length = 0;
        this.#head = 0;
      } else if (this.#head >= 4096 && this.#head * 2 >= this.#items.length) {
        this.#items = this.#items.slice(this.#head);
        this.#head = 0;
      }
      this.onTake?.(item);
      return Promise.resolve({ done: false, value: item });
    }
    const w = deferred<IteratorResult<T>>();
    if (this.#done) this.#finish(w);
    else this.#waiter = w;
    return w.promise;
  }

  return(): Promise<IteratorResult<T>> {
    this.onReturn?.();
    const w = this.#waiter;
    if (w) {
      this.#waiter = undefined;
      w.resolve({ done: true, value: undefined });
    }
    return Promise.resolve({ done: true, value: undefined });
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this;
  }
}

/** Fans items out to listeners; each listener keeps at most `limit` items (the oldest are dropped). */
export class Broadcaster<T> {
  #listeners = new Set<AsyncQueue<T>>();
  #ended = false;
  readonly #limit: number;

  /** Creates the fan-out with a per-listener limit. */
  constructor(limit = 1024) {
    this.#limit = limit;
  }

  /**
   * A new listener. It starts buffering when iteration starts (an iterable that is never iterated
   * costs nothing), and ends when the broadcaster ends or when its reader breaks out.
   */
  listen(): AsyncIterable<T> {
    let q: AsyncQueue<T> | undefined;
    return { [Symbol.asyncIterator]: () => q ??= this.#attach() };
  }

  #attach(): AsyncQueue<T> {
    const q = new AsyncQueue<T>();
    if (this.#ended) q.end();
    else {
      this.#listeners.add(q);
      q.onReturn = () => {
        this.#listeners.delete(q);
        q.end();
        q.discard();
      };
    }
    return q;
  }

  /** Listeners being iterated. */
  get listenerCount(): number {
    return this.#listeners.size;
  }

  /** Sends an item to every listener. */
  emit(item: T): void {
    for (const q of this.#listeners) {
      if (q.length >= this.#limit) q.shift();
      q.push(item);
    }
  }

  /** Ends every listener. */
  end(): void {
    this.#ended = true;
    for (const q of this.#listeners) q.end();
    this.#listeners.clear();
  }
}
