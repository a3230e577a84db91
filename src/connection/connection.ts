/**
 * The one owner of a socket: the read loop and frame dispatch, the handshake, publish and flush,
 * loss and close. It composes the parts that each do one job: the write side ({@link Writer}), the
 * server pool ({@link ServerPool}), the subscription table ({@link SubscriptionTable}), keepalive
 * ({@link Keepalive}) and the connect/reconnect policy ({@link Reconnector}). Everything above it
 * (the public client, JetStream, …) goes through this class.
 *
 * @module
 */
import { FrameReader } from "../protocol/reader.ts";
import { Writer } from "./writer.ts";
import { type FrameHandler, walkFrames } from "../protocol/frame_walk.ts";
import {
  ClosedConnectionError,
  ConnectionError,
  DrainingConnectionError,
  errorFromServer,
  InvalidArgumentError,
  MaxPayloadExceededError,
  NatsError,
  PermissionViolationError,
  ProtocolError,
  serverErrorAction,
  TimeoutError,
} from "../errors.ts";
import { type Deferred, deferred, utf8Encoder } from "../encoding.ts";
import type { MsgImpl, Responder } from "../msg.ts";
import type { SubscriptionImpl, SubscriptionOptions } from "../subscription.ts";
import { StatusHub } from "../status.ts";
import type { ResolvedOptions } from "../options.ts";
import type { Dialer, Transport } from "../transport/transport.ts";
import { parseInfo, type ServerInfo, writeConnect } from "./info.ts";
import { dialTarget, type ServerEntry, ServerPool } from "./servers.ts";
import { Keepalive } from "./keepalive.ts";
import { Reconnector } from "./reconnect.ts";
import { SubscriptionTable } from "./subscription_table.ts";
import { type ProtocolTraceSink, tracedTransport, traceSink } from "./protocol_trace.ts";

const PONG = utf8Encoder.encode("PONG\r\n");

/** Counters over the connection's whole life (they survive reconnects). */
export interface Stats {
  /** Bytes read from sockets. */
  inBytes: number;
  /** Bytes written to sockets. */
  outBytes: number;
  /** Messages received (MSG and HMSG). */
  inMsgs: number;
  /** Messages published. */
  outMsgs: number;
  /** Successful reconnects. */
  reconnects: number;
}

/** The protocol engine behind a `NatsConnection`. */
export class Connection implements FrameHandler<SubscriptionImpl> {
  readonly options: ResolvedOptions;
  readonly statusHub: StatusHub = new StatusHub();
  readonly stats: Stats = { inBytes: 0, outBytes: 0, inMsgs: 0, outMsgs: 0, reconnects: 0 };
  info: ServerInfo | undefined;
  /** Responds for received messages (the public connection). */
  responder!: Responder;
  /** Called when the transport is lost while connected (pending requests fail here). */
  onDisconnect: ((err: NatsError) => void) | undefined;
  /** Called when a publish permission violation arrives (requests to that subject fail here). */
  onPublishDenied: ((err: PermissionViolationError) => void) | undefined;
  /** Called once the connection is closed. */
  onClose: ((err: NatsError) => void) | undefined;

  readonly #dial: Dialer;
  readonly #trace: ProtocolTraceSink | undefined;
  readonly #pool: ServerPool;
  readonly #reader: FrameReader = new FrameReader();
  readonly #writer: Writer;
  readonly #table: SubscriptionTable;
  /** The table's map, read directly by the read path. */
  readonly #subs: Map<number, SubscriptionImpl>;
  readonly #keepalive: Keepalive;
  readonly #reconnect: Reconnector;
  #transport: Transport | undefined;
  #connected = false;
  #handshake: Deferred<void> | undefined;
  #upgrade: Promise<Transport> | undefined;
  #awaitingInfo = false;
  #readLoops: Set<Promise<void>> = new Set();
  #drainingSubs = false;
  #drainingPubs = false;
  #closing = false;
  #closed: Deferred<void | Error> = deferred();
  #lastError: NatsError | undefined;

  constructor(options: ResolvedOptions, dial: Dialer) {
    this.options = options;
    this.#dial = dial;
    this.#trace = traceSink(options.debug);
    this.#pool = new ServerPool(options.servers, !options.noRandomize);
    this.#writer = new Writer(options.maxOutboundBytes, this.stats, (t, err) => this.#lost(t, err));
    this.#table = new SubscriptionTable(options, this.#writer, this.statusHub, {
      connected: () => this.#connected,
      flush: () => this.flush(),
    });
    this.#subs = this.#table.bySid;
    this.#keepalive = new Keepalive(options, this.#writer, this.statusHub, {
      connected: () => this.#connected,
      dropSocket: () => this.#transport?.close(),
    });
    this.#reconnect = new Reconnector(options, this.#pool, this.statusHub, this.stats, {
      connect: (server) => this.#connectTo(server),
      lastError: () => this.#lastError,
      setLastError: (err) => this.#lastError = err,
      close: (err) => this.close(err),
    });
  }

  // ---------------------------------------------------------------- connect

  /** Connects to the first server of the pool that accepts (retrying when `waitOnFirstConnect`). */
  start(): Promise<void> {
    return this.#reconnect.connectFirst();
  }

  /** Dials `server` and runs the handshake (the reconnect policy picks the server). */
  async #connectTo(server: ServerEntry): Promise<void> {
    const timeout = this.options.timeout;
    const hs = deferred<void>();
    const timer = setTimeout(() => hs.reject(new TimeoutError("connect", timeout)), timeout);
    this.#handshake = hs;
    this.#awaitingInfo = true;
    this.#reader.reset();
    const trace = this.#trace;
    const dialing = this.#dial(dialTarget(server, this.options.tls)).then((t) => trace ? tracedTransport(t, trace) : t);
    let t: Transport | undefined;
    try {
      t = await Promise.race([dialing, hs.promise.then(() => undefined)]);
      if (!t) throw new ConnectionError("connect aborted");
      if (this.#closing) throw new ClosedConnectionError();
      this.#transport = t;
      const loop = this.#readLoop(t, server);
      this.#readLoops.add(loop);
      loop.finally(() => this.#readLoops.delete(loop));
      await hs.promise;
    } catch (err) {
      // a dial that completes after the timeout must not leak its socket
      dialing.then((late) => late !== t && late.close(), () => {});
      if (this.#handshake === hs) this.#handshake = undefined;
      const current = this.#transport;
      this.#transport = undefined;
      this.#connected = false;
      current?.close();
      t?.close();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The first PONG arrived: the connection is up. Runs inside frame processing, synchronously. */
  #handshakeDone(server: ServerEntry): void {
    const hs = this.#handshake!;
    this.#handshake = undefined;
    this.#reconnect.connected(server);
    this.#connected = true;
    this.#lastError = undefined;
    // resubscribe, then write what was buffered and the PINGs requested
    const lines = this.#table.resendLines();
    this.#writer.attach(this.#transport!, lines ? utf8Encoder.encode(lines) : undefined);
    this.#keepalive.start();
    hs.resolve();
  }

  #onFirstInfo(t: Transport, server: ServerEntry): void {
    const info = this.info!;
    const target = dialTarget(server, this.options.tls);
    const wantTls = target.tls !== undefined;
    if (!t.encrypted && (info.tls_required || wantTls)) {
      if (this.options.tls === null) {
        throw new ConnectionError(`server ${server.hostport} requires TLS, and the tls option is null (never TLS)`);
      }
      if (!info.tls_required && !info.tls_available) {
        throw new ConnectionError(`server ${server.hostport} does not support TLS`);
      }
      if (!t.startTls) throw new ConnectionError("this transport cannot upgrade to TLS");
      const upgrading = t.startTls(target).then(async (tls) => {
        if (this.#transport !== t) {
          tls.close();
          throw new ConnectionError("connection replaced during the TLS upgrade");
        }
        this.#transport = tls;
        await writeConnect(tls, this.options, this.info!, server);
        return tls;
      });
      this.#upgrade = upgrading;
      return;
    }
    writeConnect(t, this.options, info, server).catch((err) => this.#handshake?.reject(err));
  }

  // ---------------------------------------------------------------- read side

  async #readLoop(t: Transport, server: ServerEntry): Promise<void> {
    let error: Error | undefined;
    try {
      while (this.#transport === t) {
        const n = await t.read(this.#reader.readTarget());
        if (n === null) {
          error = new ConnectionError(`connection to ${server.hostport} closed`);
          break;
        }
        this.stats.inBytes += n;
        this.#reader.commit(n);
        this.#processFrames(t, server);
        if (this.#upgrade) {
          const upgrading = this.#upgrade;
          this.#upgrade = undefined;
          t = await upgrading;
        }
      }
    } catch (err) {
      error = err as Error;
    }
    if (this.#transport === t) this.#lost(t, error);
  }

  #processFrames(t: Transport, server: ServerEntry): void {
    this.#walking = t;
    this.#walkingServer = server;
    walkFrames(this.#reader, this, this.responder);
  }

  // FrameHandler: called by walkFrames for the transport being read.
  #walking: Transport | undefined;
  #walkingServer!: ServerEntry;

  /** True when the socket being read was closed or replaced (stop dispatching). */
  get halted(): boolean {
    return this.#transport !== this.#walking;
  }

  /** The subscription for `sid` (counts the message). */
  target(sid: number): SubscriptionImpl | undefined {
    this.stats.inMsgs++;
    return this.#subs.get(sid);
  }

  /** Delivers a message and retires a subscription that reached its max. */
  msgFrame(sub: SubscriptionImpl, msg: MsgImpl, size: number): void {
    sub.deliver(msg, size);
    this.#retireAtMax(sub);
  }

  /** Delivers a raw frame to a subscription that copies it into its queue (or drops it), as `msgFrame`. */
  rawFrame(
    sub: SubscriptionImpl,
    bytes: Uint8Array,
    off: number,
    size: number,
    hlen: number,
    code: number,
    subject: string,
    reply: string | undefined,
  ): void {
    sub.deliverFrame(bytes, off, size, hlen, code, subject, reply, this.responder);
    this.#retireAtMax(sub);
  }

  #retireAtMax(sub: SubscriptionImpl): void {
    if (sub.max !== undefined && sub.received >= sub.max) {
      this.#subs.delete(sub.sid);
      sub.close();
    }
  }

  /** Answers a server PING. */
  pingFrame(): void {
    this.#writer.raw(PONG);
  }

  /** Completes the handshake or a flush. */
  pongFrame(): void {
    this.#keepalive.pong();
    if (this.#handshake && !this.#connected) this.#handshakeDone(this.#walkingServer);
    else this.#writer.pong();
  }

  /** Handles INFO. */
  infoFrame(text: string): void {
    this.#onInfo(this.#walking!, this.#walkingServer, text);
  }

  /** Handles -ERR. */
  errFrame(text: string): void {
    this.#onServerError(text);
  }

  #onInfo(t: Transport, server: ServerEntry, text: string): void {
    const info = parseInfo(text);
    const first = this.#awaitingInfo;
    this.info = first ? info : { ...this.info, ...info };
    this.#reader.maxPayload = this.info.max_payload ?? this.#reader.maxPayload;
    if (first) {
      this.#awaitingInfo = false;
      this.#onFirstInfo(t, server);
    }
    if (info.connect_urls && !this.options.ignoreClusterUpdates) {
      const { added, deleted, invalid } = this.#pool.update(info.connect_urls, server.scheme);
      for (const url of invalid) {
        const error = new ProtocolError(`the server announced a URL that cannot be dialed ('${url}'); skipped`);
        this.statusHub.emit({ type: "error", error });
      }
      if (added.length || deleted.length) this.statusHub.emit({ type: "update", added, deleted });
    }
    if (info.ldm && !first) {
      this.statusHub.emit({ type: "ldm", server: server.hostport });
      if (this.#pool.servers.length > 1) queueMicrotask(() => this.reconnect(false));
    }
  }

  #onServerError(text: string): void {
    const err = errorFromServer(text);
    if (this.#handshake && !this.#connected) {
      this.#handshake.reject(err);
      return;
    }
    this.statusHub.emit({ type: "error", error: err });
    if (err instanceof PermissionViolationError) {
      if (err.operation === "subscription") this.#table.deny(err);
      else this.onPublishDenied?.(err);
      return;
    }
    const action = serverErrorAction(err);
    const t = this.#walking;
    if (action === "stay" || t === undefined || this.#transport !== t) return;
    // the server is ending this connection: do not wait for it to close the socket
    if (action === "reconnect") this.#lost(t, err);
    else void this.close(err);
  }

  // ---------------------------------------------------------------- write side

  /** Resolves once the outbound buffer is at most half full (backpressure for publish loops). */
  writable(): Promise<void> {
    if (this.#closing) return Promise.reject(new ClosedConnectionError());
    return this.#writer.writable();
  }

  /** Publishes pre-encoded parts (subject and reply already validated). */
  publishBytes(
    subject: Uint8Array,
    reply: Uint8Array | undefined,
    headers: Uint8Array | undefined,
    data: Uint8Array,
    deferred = false,
  ): void {
    if (this.#closing) throw new ClosedConnectionError();
    if (this.#drainingPubs) throw new DrainingConnectionError();
    const hlen = headers ? headers.length : 0;
    const info = this.info!;
    if (hlen > 0 && !info.headers) throw new InvalidArgumentError("the server does not support headers");
    const total = hlen + data.length;
    if (total > info.max_payload) throw new MaxPayloadExceededError(total, info.max_payload);
    this.#writer.pub(
      subject,
      reply,
      headers,
      data,
      this.#connected ? this.options.maxOutboundBytes : this.options.reconnectBufSize,
      deferred,
    );
    this.stats.outMsgs++;
  }

  /**
   * Round trip to the server: resolves when the PONG for a new PING arrives; rejects with
   * `TimeoutError` after `timeout` ms (a frozen server never answers).
   */
  flush(timeout: number = this.options.flushTimeout): Promise<void> {
    if (this.#closing) return Promise.reject(new ClosedConnectionError());
    const d = deferred<void>();
    const timer = setTimeout(() => d.reject(new TimeoutError("flush", timeout)), timeout);
    this.#writer.ping((err) => {
      clearTimeout(timer);
      if (err) d.reject(err);
      else d.resolve();
    });
    return d.promise;
  }

  // ---------------------------------------------------------------- subscriptions

  /** Creates a subscription and sends SUB. */
  subscribe(subject: string, opts: SubscriptionOptions = {}): SubscriptionImpl {
    if (this.#closing) throw new ClosedConnectionError();
    if (this.#drainingSubs) throw new DrainingConnectionError();
    return this.#table.add(subject, opts);
  }

  // ---------------------------------------------------------------- loss and reconnect

  #lost(t: Transport, error: Error | undefined): void {
    this.#transport = undefined;
    t.close();
    const wasConnected = this.#connected;
    this.#connected = false;
    this.#keepalive.stop();
    const err = error instanceof NatsError
      ? error
      : new ConnectionError(error?.message ?? "connection lost", { cause: error });
    // PINGs that reached the old socket will never be answered: those flushes cannot be confirmed.
    const flushErr = new ConnectionError("connection lost before the server confirmed the flush", { cause: err });
    for (const w of this.#writer.detach()) w(flushErr);
    if (this.#handshake) {
      this.#handshake.reject(this.#lastError ?? err);
      return;
    }
    if (this.#closing || !wasConnected) return;
    const server = this.#pool.current?.hostport ?? "";
    this.statusHub.emit({ type: "disconnect", server, error: err });
    this.onDisconnect?.(err);
    if (err instanceof ProtocolError) this.#lastError = err;
    if (!this.options.reconnect) {
      this.close(this.#lastError ?? err);
      return;
    }
    this.#reconnect.begin();
  }

  /** Drops the current connection and reconnects (to another server when `sameServer` is false). */
  reconnect(emit = true): Promise<void> {
    if (this.#closing) return Promise.reject(new ClosedConnectionError());
    if (emit) this.statusHub.emit({ type: "forceReconnect" });
    const t = this.#transport;
    if (t && this.#connected) this.#lost(t, new ConnectionError("reconnect requested"));
    return Promise.resolve();
  }

  // ---------------------------------------------------------------- drain and close

  /** True once `close()` started. */
  get isClosed(): boolean {
    return this.#closing;
  }

  /** True while draining. */
  get isDraining(): boolean {
    return this.#drainingSubs && !this.#closing;
  }

  /** True while connected. */
  get connected(): boolean {
    return this.#connected;
  }

  /** The server connected to (`host:port`). */
  get server(): string {
    return this.#connected ? this.#pool.current?.hostport ?? "" : "";
  }

  /** Replaces the server pool (used from the next reconnect on; the live connection stays). */
  setServers(urls: readonly string[]): void {
    this.#pool.setServers(urls);
  }

  /** Every server in the pool (`host:port`). */
  get servers(): string[] {
    return this.#pool.servers.map((s) => s.hostport);
  }

  /** Resolves once the connection is closed, with the error that closed it (if any). */
  get closed(): Promise<void | Error> {
    return this.#closed.promise;
  }

  /**
   * Drains every subscription, then publishes, then closes, within `drainTimeout` ms. Whatever
   * happens the connection ends closed: a drain that times out (`TimeoutError`) or is cut short by
   * a connection loss closes with that error, and rejects with it.
   */
  async drain(): Promise<void> {
    if (this.#closing) throw new ClosedConnectionError();
    if (this.#drainingSubs) throw new DrainingConnectionError();
    this.#drainingSubs = true;
    this.statusHub.emit({ type: "draining" });
    const timeout = this.options.drainTimeout;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError("drain", timeout)), timeout);
    });
    try {
      await Promise.race([this.#drainSteps(), expired]);
    } catch (err) {
      const error = err instanceof NatsError ? err : new ConnectionError("drain failed", { cause: err });
      await this.close(error);
      throw error;
    } finally {
      clearTimeout(timer);
    }
    await this.close();
  }

  async #drainSteps(): Promise<void> {
    await Promise.all([...this.#subs.values()].map((s) => s.drain()));
    this.#drainingPubs = true;
    await this.flush(this.options.drainTimeout);
  }

  /** Writes what is buffered (best effort), closes the socket and ends everything. Never rejects. */
  async close(err?: NatsError): Promise<void> {
    if (this.#closing) {
      await this.#closed.promise;
      return;
    }
    this.#closing = true;
    // a close the user asks for reports no error; an error of an earlier outage is not this close's
    this.#lastError = err;
    this.#keepalive.stop();
    this.#reconnect.stop();
    const t = this.#transport;
    const closedErr = new ClosedConnectionError();
    await this.#writer.close(this.#connected ? t : undefined, closedErr);
    this.#connected = false;
    this.#transport = undefined;
    t?.close();
    this.#handshake?.reject(closedErr);
    this.#table.closeAll();
    this.onClose?.(closedErr);
    await Promise.allSettled([...this.#readLoops]);
    const reconnecting = this.#reconnect.running;
    if (reconnecting) await reconnecting;
    this.statusHub.emit({ type: "close", error: this.#lastError });
    this.statusHub.end();
    this.#closed.resolve(this.#lastError);
  }
}
