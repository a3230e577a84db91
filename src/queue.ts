/**
 * An unbounded-by-itself FIFO with a fast async iterator; callers enforce their own bounds.
 * `push` never allocates a promise when a consumer is not waiting.
 */
import { type Deferred, deferred } from "./encoding.ts";
import { type Msg, MsgImpl, type Responder } from "./msg.ts";

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

/** Bytes in each arena chunk that queued messages are copied into. */
const ARENA_CHUNK = 256 * 1024;
/** Queued messages longer than this get a buffer of their own instead of arena space. */
const OWN_BUFFER_OVER = 8 * 1024;
/** Messages up to this size are copied byte by byte (cheaper than creating a view to `set` from). */
const COPY_LOOP_MAX = 256;
/** Ring capacity to start with, and to shrink back to when a ring larger than `RING_KEEP` empties. */
const RING_START = 64;
/** Ring capacity that is kept when the ring empties (about 640 KiB). */
const RING_KEEP = 16 * 1024;

/**
 * The FIFO of a subscription read with `for await`, kept compact. A message queued while the
 * queue is short is kept as it arrived (its payload a view on the read batch); a message queued
 * behind `inlineLimit` others is packed: its bytes are copied into a shared arena chunk and only
 * its numbers and strings are kept, and its `MsgImpl` is built again when it is taken. Arena chunks
 * are never rewritten, so a taken message stays valid; a chunk is freed once no queued or taken
 * message refers to it.
 */
export class MsgQueue implements AsyncIterable<Msg>, AsyncIterator<Msg> {
  /** Entries kept as they arrived before the queue starts packing. */
  readonly #inlineLimit: number;
  #cap = RING_START;
  #head = 0;
  #length = 0;
  /** Per entry: offset, size, header size and status code of a packed message. */
  #nums = new Int32Array(RING_START * 4);
  /** Per entry: the message itself (kept as it arrived), or the buffer holding a packed one. */
  #objs: (MsgImpl | ArrayBuffer | undefined)[] = new Array(RING_START);
  #subjects: (string | undefined)[] = new Array(RING_START);
  #replies: (string | undefined)[] = new Array(RING_START);
  #sid = 0;
  #responder: Responder | undefined;
  #chunk: Uint8Array<ArrayBuffer> | undefined;
  #chunkPos = 0;
  #waiter: Deferred<IteratorResult<Msg>> | undefined;
  #done = false;
  #error: unknown;
  /** Called with the message's `size` after the consumer took it (to update counters). */
  onTake: ((size: number) => void) | undefined;
  /** Called when a consumer leaves a `for await` loop early (break/return). */
  onReturn: (() => void) | undefined;

  /** Creates the queue; messages queued behind `inlineLimit` others are packed. */
  constructor(inlineLimit: number) {
    this.#inlineLimit = inlineLimit;
  }

  /** Messages waiting. */
  get length(): number {
    return this.#length;
  }

  /** True when the next `push` copies its message's bytes (or ignores it) instead of keeping the message. */
  get packs(): boolean {
    return this.#done || (this.#waiter === undefined && this.#length >= this.#inlineLimit);
  }

  /** Adds a message (ignored after `end()`); it is kept as given unless the queue `packs`. */
  push(msg: MsgImpl): void {
    if (this.packs) {
      const size = msg.size;
      const hlen = msg.headerSize;
      this.pushFrame(msg.rawBytes(), 0, size, hlen, msg.statusCode, msg.subject, msg.reply, msg.sid, msg.responder);
      return;
    }
    const w = this.#waiter;
    if (w) {
      this.#waiter = undefined;
      this.onTake?.(msg.size);
      w.resolve({ done: false, value: msg });
      return;
    }
    if (this.#length === this.#cap) this.#grow();
    this.#objs[(this.#head + this.#length++) & (this.#cap - 1)] = msg;
  }

  /**
   * Adds a message given as `size` bytes (headers, `hlen` of them with status `code`, then payload)
   * of `src` at `off`, copying them: into the arena, or into a buffer of their own when large.
   * Ignored after `end()`. Only when the queue `packs` (a waiting consumer is given messages as is).
   */
  pushFrame(
    src: Uint8Array,
    off: number,
    size: number,
    hlen: number,
    code: number,
    subject: string,
    reply: string | undefined,
    sid: number,
    responder: Responder,
  ): void {
    if (this.#done) return;
    if (this.#length === this.#cap) this.#grow();
    const i = (this.#head + this.#length++) & (this.#cap - 1);
    let buf: ArrayBuffer;
    let at: number;
    if (size > OWN_BUFFER_OVER) {
      buf = src.slice(off, off + size).buffer;
      at = 0;
    } else {
      let chunk = this.#chunk;
      if (chunk === undefined || this.#chunkPos + size > chunk.length) {
        chunk = this.#chunk = new Uint8Array(ARENA_CHUNK);
        this.#chunkPos = 0;
      }
      at = this.#chunkPos;
      if (size <= COPY_LOOP_MAX) for (let k = 0; k < size; k++) chunk[at + k] = src[off + k];
      else chunk.set(src.subarray(off, off + size), at);
      this.#chunkPos = at + size;
      buf = chunk.buffer;
    }
    this.#sid = sid;
    this.#responder = responder;
    const n = i * 4;
    this.#nums[n] = at;
    this.#nums[n + 1] = size;
    this.#nums[n + 2] = hlen;
    this.#nums[n + 3] = code;
    this.#objs[i] = buf;
    this.#subjects[i] = subject;
    this.#replies[i] = reply;
  }

  /** Doubles the full ring, keeping the order of its entries. */
  #grow(): void {
    const old = this.#cap;
    const cap = old * 2;
    const head = this.#head;
    const nums = new Int32Array(cap * 4);
    nums.set(this.#nums.subarray(head * 4), 0);
    nums.set(this.#nums.subarray(0, head * 4), (old - head) * 4);
    const objs: (MsgImpl | ArrayBuffer | undefined)[] = new Array(cap);
    const subjects: (string | undefined)[] = new Array(cap);
    const replies: (string | undefined)[] = new Array(cap);
    for (let k = 0; k < old; k++) {
      const from = (head + k) & (old - 1);
      objs[k] = this.#objs[from];
      subjects[k] = this.#subjects[from];
      replies[k] = this.#replies[from];
    }
    this.#cap = cap;
    this.#head = 0;
    this.#nums = nums;
    this.#objs = objs;
    this.#subjects = subjects;
    this.#replies = replies;
  }

  /** Removes the oldest message (the queue must not be empty). */
  #take(): MsgImpl {
    const i = this.#head;
    const obj = this.#objs[i]!;
    this.#objs[i] = undefined;
    let msg: MsgImpl;
    if (obj instanceof ArrayBuffer) {
      const n = i * 4;
      const nums = this.#nums;
      msg = new MsgImpl(
        this.#subjects[i]!,
        this.#sid,
        this.#replies[i],
        this.#responder!,
        obj,
        nums[n],
        nums[n + 1],
        nums[n + 2],
        nums[n + 3],
      );
      this.#subjects[i] = undefined;
      this.#replies[i] = undefined;
    } else {
      msg = obj;
    }
    this.#head = (i + 1) & (this.#cap - 1);
    if (--this.#length === 0) {
      this.#head = 0;
      // after a big burst, give the ring's memory back (a small ring is kept for the next one)
      if (this.#cap > RING_KEEP) this.#reset();
    }
    return msg;
  }

  /** Empties the ring at its starting capacity. */
  #reset(): void {
    this.#cap = RING_START;
    this.#head = 0;
    this.#length = 0;
    this.#nums = new Int32Array(RING_START * 4);
    this.#objs = new Array(RING_START);
    this.#subjects = new Array(RING_START);
    this.#replies = new Array(RING_START);
  }

  /** Ends the queue: waiting messages are still delivered, then iteration ends (or throws `error`). */
  end(error?: unknown): void {
    if (this.#done) return;
    this.#done = true;
    this.#error = error;
    const w = this.#waiter;
    if (w && this.#length === 0) {
      this.#waiter = undefined;
      this.#finish(w);
    }
  }

  #finish(w: Deferred<IteratorResult<Msg>>): void {
    const err = this.#error;
    this.#error = undefined;
    if (err !== undefined) w.reject(err);
    else w.resolve({ done: true, value: undefined });
  }

  next(): Promise<IteratorResult<Msg>> {
    if (this.#length > 0) {
      const msg = this.#take();
      this.onTake?.(msg.size);
      return Promise.resolve({ done: false, value: msg });
    }
    const w = deferred<IteratorResult<Msg>>();
    if (this.#done) this.#finish(w);
    else this.#waiter = w;
    return w.promise;
  }

  return(): Promise<IteratorResult<Msg>> {
    this.onReturn?.();
    const w = this.#waiter;
    if (w) {
      this.#waiter = undefined;
      w.resolve({ done: true, value: undefined });
    }
    return Promise.resolve({ done: true, value: undefined });
  }

  [Symbol.asyncIterator](): AsyncIterator<Msg> {
    return this;
  }
}
