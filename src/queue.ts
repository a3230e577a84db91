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
const ARENA_CHUNK = 64 * 1024;
/**
 * Queued messages longer than this are kept as messages with buffers of their own instead of
 * arena space (their object costs little next to their bytes). Below 2¹⁴: sizes are packed in 14 bits.
 */
const OWN_BUFFER_OVER = 8 * 1024;
/** Messages up to this size are copied byte by byte, larger ones a word at a time up to `COPY_WORDS_MAX`. */
const COPY_LOOP_MAX = 16;
/**
 * Messages larger than this are copied with `set` (memcpy; its view costs an allocation, which
 * matters only for small messages).
 */
const COPY_WORDS_MAX = 256;
/** Entries per segment of the queue (6 KiB of numbers and slots). */
const SEGMENT = 256;

/** How an entry's slot is to be read. */
const SLOT_MSG = 0; // the message as it arrived (or with a buffer of its own)
const SLOT_NONE = 1; // packed; the queue's subject, no reply
const SLOT_REPLY = 2; // packed; the queue's subject, the slot is the reply
const SLOT_SUBJECT = 3; // packed; the slot is the subject, no reply
const SLOT_BOTH = 4; // packed; the slot is [subject, reply]

/** A slot: see the SLOT_ kinds. */
type Slot = MsgImpl | string | [string, string] | undefined;

/**
 * Copies `size` bytes of `src` at `off` into `dst` at `at`, where `at` and `from` (the same source
 * bytes' offset in their whole buffer) agree mod 4: bytes up to a word boundary, then whole words
 * through `dst32` and `src32` (word views over both whole buffers), then the last bytes.
 */
function copyAligned(
  dst: Uint8Array,
  dst32: Int32Array,
  at: number,
  src: Uint8Array,
  src32: Int32Array,
  off: number,
  from: number,
  size: number,
): void {
  let k = 0;
  const head = Math.min(size, (4 - (at & 3)) & 3);
  for (; k < head; k++) dst[at + k] = src[off + k];
  const words = (size - k) >> 2;
  for (let w = (at + k) >> 2, r = (from + k) >> 2, end = w + words; w < end; w++, r++) dst32[w] = src32[r];
  k += words << 2;
  for (; k < size; k++) dst[at + k] = src[off + k];
}

/**
 * `SEGMENT` queue entries. Per entry, four numbers: the arena chunk's sequence number, the offset
 * in it, size | header size << 14, status code | slot kind << 10.
 */
class Segment {
  readonly nums = new Int32Array(SEGMENT * 4);
  readonly slots: Slot[] = new Array(SEGMENT);
  next: Segment | undefined;
}

/**
 * The FIFO of a subscription read with `for await`, kept compact. A message queued while the
 * queue is short is kept as it arrived (its payload a view on the read batch); a message queued
 * behind `inlineMsgs` others or `inlineBytes` bytes is packed: its bytes are copied into a shared arena chunk, and four
 * numbers and at most one string slot are kept (24 bytes beyond its bytes); its `MsgImpl` is built
 * again when it is taken. Arena chunks are never rewritten, so a taken message stays valid; a chunk
 * is freed once no queued or taken message refers to it. Entries live in fixed-size segments, so
 * the queue never copies itself to grow.
 */
export class MsgQueue implements AsyncIterable<Msg>, AsyncIterator<Msg> {
  readonly #inlineMsgs: number;
  readonly #inlineBytes: number;
  readonly #subject: string;
  /** The oldest segment (created on the first entry). */
  #head: Segment | undefined;
  #headIdx = 0;
  #tail: Segment | undefined;
  #tailIdx = 0;
  /** One emptied segment kept for reuse. */
  #spare: Segment | undefined;
  #length = 0;
  /** Header and payload bytes waiting. */
  #bytes = 0;
  #sid = 0;
  #responder: Responder | undefined;
  /** Arena chunks that queued entries may refer to, oldest first; the last one is being filled. */
  #chunks: ArrayBuffer[] = [];
  /** The sequence number of `#chunks[0]`. */
  #chunkBase = 0;
  #fill: Uint8Array<ArrayBuffer> | undefined;
  /** `#fill` as words. */
  #fill32: Int32Array | undefined;
  #fillPos = 0;
  /** The buffer messages were last copied from (WASM memory), and a word view over it. */
  #srcBuffer: ArrayBuffer | undefined;
  #src32: Int32Array | undefined;
  #waiter: Deferred<IteratorResult<Msg>> | undefined;
  #done = false;
  #error: unknown;
  /** Called with the message's `size` after the consumer took it (to update counters). */
  onTake: ((size: number) => void) | undefined;
  /** Called when a consumer leaves a `for await` loop early (break/return). */
  onReturn: (() => void) | undefined;

  /**
   * Creates the queue of a subscription to `subject`; messages queued behind `inlineMsgs` others or
   * `inlineBytes` bytes are packed.
   */
  constructor(inlineMsgs: number, inlineBytes: number, subject: string) {
    this.#inlineMsgs = inlineMsgs;
    this.#inlineBytes = inlineBytes;
    this.#subject = subject;
  }

  /** Messages waiting. */
  get length(): number {
    return this.#length;
  }

  /** True when the next `push` copies its message's bytes (or ignores it) instead of keeping the message. */
  get packs(): boolean {
    return this.#done ||
      (this.#waiter === undefined && (this.#length >= this.#inlineMsgs || this.#bytes >= this.#inlineBytes));
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
    this.#append(msg, SLOT_MSG << 10, msg.size);
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
    if (size > OWN_BUFFER_OVER) {
      const buf = src.slice(off, off + size).buffer;
      this.#append(new MsgImpl(subject, sid, reply, responder, buf, 0, size, hlen, code), SLOT_MSG << 10, size);
      return;
    }
    // the copy lands at the source's alignment (mod 4), so it can move four bytes at a time
    const from = src.byteOffset + off;
    let fill = this.#fill;
    let at = this.#fillPos;
    at += (from - at) & 3;
    if (fill === undefined || at + size > fill.length) {
      fill = this.#fill = new Uint8Array(ARENA_CHUNK);
      this.#fill32 = new Int32Array(fill.buffer);
      this.#chunks.push(fill.buffer);
      at = from & 3;
    }
    if (size <= COPY_LOOP_MAX) {
      for (let k = 0; k < size; k++) fill[at + k] = src[off + k];
    } else if (size > COPY_WORDS_MAX) {
      fill.set(src.subarray(off, off + size), at);
    } else {
      const buf = src.buffer as ArrayBuffer;
      if (buf !== this.#srcBuffer) {
        this.#srcBuffer = buf;
        this.#src32 = new Int32Array(buf, 0, buf.byteLength >> 2);
      }
      copyAligned(fill, this.#fill32!, at, src, this.#src32!, off, from, size);
    }
    this.#fillPos = at + size;
    this.#sid = sid;
    this.#responder = responder;
    let kind: number;
    let slot: Slot;
    if (subject === this.#subject) {
      kind = reply === undefined ? SLOT_NONE : SLOT_REPLY;
      slot = reply;
    } else if (reply === undefined) {
      kind = SLOT_SUBJECT;
      slot = subject;
    } else {
      kind = SLOT_BOTH;
      slot = [subject, reply];
    }
    const n = this.#append(slot, code | (kind << 10), size);
    const nums = this.#tail!.nums;
    nums[n] = this.#chunkBase + this.#chunks.length - 1;
    nums[n + 1] = at;
    nums[n + 2] = size | (hlen << 14);
  }

  /** Appends an entry for a message of `size` bytes; returns the index of its numbers in the tail segment. */
  #append(slot: Slot, codeAndKind: number, size: number): number {
    let tail = this.#tail;
    if (tail === undefined) {
      tail = this.#head = this.#tail = new Segment();
    } else if (this.#tailIdx === SEGMENT) {
      const seg = this.#spare ?? new Segment();
      this.#spare = undefined;
      seg.next = undefined;
      tail = tail.next = this.#tail = seg;
      this.#tailIdx = 0;
    }
    const i = this.#tailIdx++;
    this.#length++;
    this.#bytes += size;
    tail.slots[i] = slot;
    tail.nums[i * 4 + 3] = codeAndKind;
    return i * 4;
  }

  /** Removes the oldest message (the queue must not be empty). */
  #take(): MsgImpl {
    if (this.#headIdx === SEGMENT) {
      const done = this.#head!;
      this.#head = done.next;
      this.#headIdx = 0;
      this.#spare = done;
    }
    const seg = this.#head!;
    const i = this.#headIdx++;
    const slot = seg.slots[i];
    seg.slots[i] = undefined;
    if (--this.#length === 0) {
      // empty: start again at the head segment's beginning
      this.#tail = seg;
      seg.next = undefined;
      this.#headIdx = this.#tailIdx = 0;
    }
    const n = i * 4;
    const nums = seg.nums;
    const kind = nums[n + 3] >> 10;
    if (kind === SLOT_MSG) return slot as MsgImpl;
    let subject = this.#subject;
    let reply: string | undefined;
    if (kind === SLOT_REPLY) reply = slot as string;
    else if (kind === SLOT_SUBJECT) subject = slot as string;
    else if (kind === SLOT_BOTH) [subject, reply] = slot as [string, string];
    // chunks before this entry's are no longer referred to by the queue
    const seq = nums[n];
    if (seq > this.#chunkBase) {
      this.#chunks.splice(0, seq - this.#chunkBase);
      this.#chunkBase = seq;
    }
    const packed = nums[n + 2];
    return new MsgImpl(
      subject,
      this.#sid,
      reply,
      this.#responder!,
      this.#chunks[0],
      nums[n + 1],
      packed & 0x3fff,
      packed >>> 14,
      nums[n + 3] & 0x3ff,
    );
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
      const size = msg.size;
      this.#bytes -= size;
      this.onTake?.(size);
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
