/**
 * The write side of a connection: the bounded outbound buffer, the write loop that hands it to the
 * current socket, and PING bookkeeping (each flush or keepalive waits for its PONG, in order).
 * While no socket is attached, frames stay buffered and PINGs stay requested; they go out when the
 * next socket is attached.
 */
import { Outbound } from "../protocol/outbound.ts";
import { ConnectionError, OutboundBufferFullError } from "../errors.ts";
import { utf8Encoder } from "../encoding.ts";
import type { Transport } from "../transport/transport.ts";

const PING = utf8Encoder.encode("PING\r\n");
const EMPTY = new Uint8Array(0);
/** Microtask hops a small write waits for more frames. */
const COALESCE_HOPS = 32;
/** Milliseconds a deferred frame may wait for a write to leave with. */
const DEFER_MS = 1;
/** Writes at least this large go out without waiting. */
const COALESCE_BYTES = 16 * 1024;
/** A socket that accepts nothing for this long while the buffer is over its limit is stalled. */
const STALL_MS = 1000;
/** While connected the buffer never holds more than this many times its limit, stalled or not. */
const HARD_LIMIT_FACTOR = 16;

function pingBytes(n: number): Uint8Array {
  if (n === 1) return PING;
  const out = new Uint8Array(PING.length * n);
  for (let i = 0; i < n; i++) out.set(PING, i * PING.length);
  return out;
}

/** Called with the error when a PONG cannot come any more, or without one when it came. */
export type PongWaiter = (err?: Error) => void;

/**
 * Buffers frames and writes them to the attached socket.
 *
 * The limit while connected (`maxOutbound`) is a limit for a socket that does not drain: a
 * publish past it succeeds while the socket keeps taking bytes, so a synchronous loop of millions
 * of publishes (which gives the write loop no turn until it ends) just works, up to
 * `HARD_LIMIT_FACTOR` times the limit. Once the buffer is past the limit, a probe checks after
 * `STALL_MS` whether any write completed meanwhile; if none did, the socket is stalled and every
 * publish past the limit throws `OutboundBufferFullError` until a write completes again. The
 * limit given while disconnected (the reconnect buffer) is a hard one.
 */
export class Writer {
  readonly #out: Outbound = new Outbound();
  readonly #maxOutbound: number;
  readonly #stats: { outBytes: number };
  /** Called when a write fails on `t`: the connection treats it as lost. */
  readonly #onWriteError: (t: Transport, err: Error) => void;
  #transport: Transport | undefined;
  #writing = false;
  #queued = false;
  #pongs: PongWaiter[] = [];
  /** PINGs requested and not yet handed to the socket; their waiters are the newest in #pongs. */
  #pingsPending = 0;
  #writableWaiters: Array<() => void> = [];
  /** Starts a write for deferred frames that no other write took along. */
  #deferTimer: ReturnType<typeof setTimeout> | undefined;
  /** Something buffered must go now (not only deferred frames). */
  #urgent = false;
  /** No write completed for `STALL_MS` while the buffer was over the limit. */
  #stalled = false;
  #stallProbe: ReturnType<typeof setTimeout> | undefined;

  /** Creates the writer; `stats.outBytes` is counted here. */
  constructor(maxOutbound: number, stats: { outBytes: number }, onWriteError: (t: Transport, err: Error) => void) {
    this.#maxOutbound = maxOutbound;
    this.#stats = stats;
    this.#onWriteError = onWriteError;
  }

  /** Bytes buffered and not yet written. */
  get pending(): number {
    return this.#out.pending;
  }

  /** Starts writing to `t` (after the handshake), `first` (resubscriptions) before anything buffered. */
  attach(t: Transport, first?: Uint8Array): void {
    if (first) this.#out.unshift([first]);
    this.#transport = t;
    this.#urgent = true;
    this.#schedule();
  }

  /**
   * Stops writing (the socket is gone). Returns the waiters whose PINGs reached that socket: their
   * PONGs will never come. Waiters of PINGs not yet written stay, for the next socket.
   */
  detach(): PongWaiter[] {
    this.#transport = undefined;
    this.#endStallProbe();
    return this.#pongs.splice(0, this.#pongs.length - this.#pingsPending);
  }

  /**
   * Appends a publish frame; throws `OutboundBufferFullError` (nothing buffered) past `limit`
   * bytes. A `deferred` frame (a JetStream ack) does not start a write of its own: it leaves with
   * the next write, or after at most one timer tick, so the acks of a stream of messages go out
   * together instead of a few per socket write.
   */
  pub(
    subject: Uint8Array,
    reply: Uint8Array | undefined,
    headers: Uint8Array | undefined,
    data: Uint8Array,
    limit: number,
    deferred = false,
  ): void {
    const size = Outbound.pubSize(subject, reply, headers ? headers.length : 0, data.length);
    if (this.#out.pending + size > limit) this.#overLimit(size, limit);
    this.#out.pub(subject, reply, headers, data, size);
    if (!deferred) this.#urgent = true;
    if (this.#queued || this.#writing || !this.#transport) return;
    if (!this.#due()) return this.#deferWrite();
    this.#queued = true;
    queueMicrotask(() => this.#writeLoop());
  }

  /** A frame of `size` bytes would pass `limit`: throws unless the socket is draining (see the class). */
  #overLimit(size: number, limit: number): void {
    if (!this.#transport || this.#stalled) throw new OutboundBufferFullError(size, limit);
    const hard = limit * HARD_LIMIT_FACTOR;
    if (this.#out.pending + size > hard) throw new OutboundBufferFullError(size, hard);
    this.#armStallProbe();
  }

  #armStallProbe(): void {
    if (this.#stallProbe !== undefined) return;
    const written = this.#stats.outBytes;
    this.#stallProbe = setTimeout(() => {
      this.#stallProbe = undefined;
      if (this.#out.pending <= this.#maxOutbound || !this.#transport) return;
      if (this.#stats.outBytes === written) this.#stalled = true;
      this.#armStallProbe();
    }, STALL_MS);
  }

  #endStallProbe(): void {
    clearTimeout(this.#stallProbe);
    this.#stallProbe = undefined;
    this.#stalled = false;
  }

  /** True when what is buffered must be written now: PINGs, urgent frames, or a chunk's worth. */
  #due(): boolean {
    return this.#pingsPending > 0 || (this.#out.pending > 0 && (this.#urgent || this.#out.pending >= COALESCE_BYTES));
  }

  /** Writes the deferred frames after `DEFER_MS` unless another write takes them first. */
  #deferWrite(): void {
    this.#deferTimer ??= setTimeout(() => {
      this.#deferTimer = undefined;
      this.#urgent = true;
      this.#schedule();
    }, DEFER_MS);
  }

  /** Appends protocol bytes (SUB, UNSUB, PONG). */
  raw(bytes: Uint8Array): void {
    this.#out.raw(bytes);
    this.#urgent = true;
    this.#schedule();
  }

  /** Requests a PING; `waiter` runs when its PONG arrives (or with an error when it cannot). */
  ping(waiter: PongWaiter): void {
    this.#pongs.push(waiter);
    this.#pingsPending++;
    this.#schedule();
  }

  /** A PONG arrived: the oldest waiter is done. */
  pong(): void {
    this.#pongs.shift()?.();
  }

  /** Resolves once the buffer is at most half full. */
  writable(): Promise<void> {
    if (this.#out.pending <= this.#maxOutbound / 2) return Promise.resolve();
    return new Promise((resolve) => this.#writableWaiters.push(resolve));
  }

  /** Writes what is buffered to `t` (best effort, at close), then drops everything and fails every waiter. */
  async close(t: Transport | undefined, err: Error): Promise<void> {
    if (t && this.#transport === t && this.#out.pending > 0 && !this.#writing) {
      try {
        for (const c of this.#out.take()) await t.write(c);
      } catch {
        // the connection is going away anyway
      }
    }
    this.#transport = undefined;
    this.#endStallProbe();
    clearTimeout(this.#deferTimer);
    this.#deferTimer = undefined;
    this.#out.clear();
    this.#pingsPending = 0;
    for (const w of this.#pongs.splice(0)) w(err);
    for (const w of this.#writableWaiters.splice(0)) w();
  }

  #schedule(): void {
    if (this.#queued || this.#writing || !this.#transport) return;
    this.#queued = true;
    queueMicrotask(() => this.#writeLoop());
  }

  #wakeWritable(): void {
    if (this.#writableWaiters.length === 0 || this.#out.pending > this.#maxOutbound / 2) return;
    const waiters = this.#writableWaiters;
    this.#writableWaiters = [];
    for (const w of waiters) w();
  }

  async #writeLoop(): Promise<void> {
    // Little to write: let the microtasks queued behind this one run first (callers resuming from
    // awaited replies publish more), so a pipeline of small requests becomes one write, at the cost
    // of a few microtask hops.
    for (let i = 0; i < COALESCE_HOPS && this.#out.pending < COALESCE_BYTES; i++) await null;
    this.#queued = false;
    const t = this.#transport;
    if (this.#writing || !t) return;
    this.#writing = true;
    let chunks: Uint8Array[] = [];
    let pingChunk: Uint8Array | undefined;
    let pings = 0;
    try {
      while (this.#due() && this.#transport === t) {
        this.#urgent = false;
        chunks = this.#out.take();
        pings = this.#pingsPending;
        this.#pingsPending = 0;
        pingChunk = pings > 0 ? pingBytes(pings) : undefined;
        if (pingChunk) chunks.push(pingChunk);
        for (let i = 0; i < chunks.length; i++) {
          const c = chunks[i];
          await t.write(c);
          this.#stats.outBytes += c.length;
          this.#stalled = false;
          if (c === pingChunk) pingChunk = undefined;
          else this.#out.recycle(c);
          chunks[i] = EMPTY;
        }
        chunks = [];
        this.#wakeWritable();
      }
    } catch (err) {
      // Unsent frames go back to the front of the buffer for the next socket; unsent PINGs are
      // requested again. The loss is reported here and now: waiting for the read loop to notice
      // would let writes retry in a tight microtask loop that never yields to I/O.
      const unsent = chunks.filter((c) => c !== EMPTY && c !== pingChunk);
      if (unsent.length) this.#out.unshift(unsent);
      if (pingChunk) this.#pingsPending += pings;
      if (this.#transport === t) {
        this.#onWriteError(t, err instanceof Error ? err : new ConnectionError(String(err)));
      } else t.close();
    } finally {
      this.#writing = false;
      this.#wakeWritable();
      if (this.#due()) this.#schedule();
      else if (this.#out.pending > 0) this.#deferWrite();
    }
  }
}
