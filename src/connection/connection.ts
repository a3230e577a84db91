/**
 * The one owner of a socket: read loop, write loop, handshake, keepalive, subscriptions and
 * reconnect. Everything above it (the public client, JetStream, …) goes through this class.
 */
import { FrameReader } from "../protocol/reader.ts";
import { Writer } from "./writer.ts";
import { type FrameHandler, walkFrames } from "../protocol/frame_walk.ts";
import {
  AuthorizationError,
  ClosedConnectionError,
  ConnectionError,
  DrainingConnectionError,
  errorFromServer,
  InvalidArgumentError,
  isRecoverableServerError,
  MaxPayloadExceededError,
  NatsError,
  PermissionViolationError,
  ProtocolError,
  TimeoutError,
  UserAuthenticationExpiredError,
} from "../errors.ts";
import { type Deferred, deferred, utf8Encoder } from "../encoding.ts";
import type { MsgImpl, Responder } from "../msg.ts";
import { type SubscriptionHost, SubscriptionImpl, type SubscriptionOptions } from "../subscription.ts";
import { StatusHub } from "../status.ts";
import type { Auth, ResolvedOptions } from "../options.ts";
import type { Dialer, DialTarget, Transport } from "../transport/transport.ts";
import { connectLine, type ServerInfo } from "./info.ts";
import { type ServerEntry, ServerPool } from "./servers.ts";
import { checkQueue, checkSubscribeSubject } from "../validate.ts";

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
export class Connection implements SubscriptionHost, FrameHandler<SubscriptionImpl> {
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
  readonly #pool: ServerPool;
  readonly #reader: FrameReader = new FrameReader();
  readonly #subs: Map<number, SubscriptionImpl> = new Map();
  readonly #writer: Writer;
  #nextSid = 1;
  #transport: Transport | undefined;
  #connected = false;
  #handshake: Deferred<void> | undefined;
  #upgrade: Promise<Transport> | undefined;
  #awaitingInfo = false;
  #readLoops: Set<Promise<void>> = new Set();
  #pingsOut = 0;
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  #drainingSubs = false;
  #drainingPubs = false;
  #closing = false;
  #closed: Deferred<void | Error> = deferred();
  #lastError: NatsError | undefined;
  #sleep: { timer: ReturnType<typeof setTimeout>; done: () => void } | undefined;
  #reconnecting: Promise<void> | undefined;
  #lastAuthError: string | undefined;

  constructor(options: ResolvedOptions, dial: Dialer) {
    this.options = options;
    this.#dial = dial;
    this.#pool = new ServerPool(options.servers, !options.noRandomize);
    this.#writer = new Writer(options.maxOutboundBytes, this.stats, (t, err) => this.#lost(t, err));
  }

  // ---------------------------------------------------------------- connect

  /** Connects to the first server of the pool that accepts (retrying when `waitOnFirstConnect`). */
  async start(): Promise<void> {
    let lastErr: Error | undefined;
    const tried = new Set<ServerEntry>();
    while (!this.#closing) {
      const server = this.#pool.next();
      if (!server) break;
      if (!this.options.waitOnFirstConnect && tried.has(server)) break;
      if (this.options.waitOnFirstConnect && tried.has(server)) {
        await this.#wait(this.#delayFor(server));
        if (this.#closing) break;
      }
      tried.add(server);
      try {
        await this.#connectTo(server);
        return;
      } catch (err) {
        lastErr = err as Error;
        server.reconnects++;
        if (err instanceof AuthorizationError && !this.options.waitOnFirstConnect) break;
        if (this.options.waitOnFirstConnect && this.#exhausted(server)) this.#pool.remove(server);
      }
    }
    const err = lastErr instanceof NatsError
      ? lastErr
      : new ConnectionError(lastErr ? lastErr.message : "no server could be reached", { cause: lastErr });
    await this.close(err);
    throw err;
  }

  #target(server: ServerEntry): DialTarget {
    const tlsWanted = server.scheme === "tls" || server.scheme === "wss" || this.options.tls !== undefined;
    return {
      hostname: server.hostname,
      port: server.port,
      scheme: server.scheme,
      path: server.path,
      tls: tlsWanted ? (this.options.tls ?? {}) : undefined,
      tlsFirst: this.options.tls?.handshakeFirst === true,
    };
  }

  async #connectTo(server: ServerEntry): Promise<void> {
    server.lastAttempt = Date.now();
    const timeout = this.options.timeout;
    const hs = deferred<void>();
    const timer = setTimeout(() => hs.reject(new TimeoutError("connect", timeout)), timeout);
    this.#handshake = hs;
    this.#awaitingInfo = true;
    this.#reader.reset();
    const dialing = this.#dial(this.#target(server));
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
    server.didConnect = true;
    server.reconnects = 0;
    this.#lastAuthError = undefined;
    this.#connected = true;
    this.#resendState(this.#transport!);
    this.#startPings();
    hs.resolve();
  }

  /** After the first PONG: resubscribe, then write what was buffered and the PINGs requested. */
  #resendState(t: Transport): void {
    let lines = "";
    for (const sub of this.#subs.values()) {
      lines += this.#subLine(sub);
      if (sub.max !== undefined) lines += `UNSUB ${sub.sid} ${Math.max(sub.max - sub.received, 0)}\r\n`;
    }
    this.#writer.attach(t, lines ? utf8Encoder.encode(lines) : undefined);
  }

  async #sendConnect(t: Transport, server: ServerEntry): Promise<void> {
    const info = this.info!;
    let auth: Auth = {};
    const auths = this.options.authenticator;
    if (auths) {
      for (const a of Array.isArray(auths) ? auths : [auths]) auth = { ...auth, ...(await a(info.nonce)) };
    }
    const line = connectLine(this.options, info, server, auth, t.encrypted);
    await t.write(utf8Encoder.encode(line + "PING\r\n"));
  }

  #onFirstInfo(t: Transport, server: ServerEntry): void {
    const info = this.info!;
    const target = this.#target(server);
    const wantTls = target.tls !== undefined;
    if (!t.encrypted && (info.tls_required || wantTls)) {
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
        await this.#sendConnect(tls, server);
        return tls;
      });
      this.#upgrade = upgrading;
      return;
    }
    this.#sendConnect(t, server).catch((err) => this.#handshake?.reject(err));
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
    this.#pingsOut = 0;
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
    let info: ServerInfo;
    try {
      info = JSON.parse(text) as ServerInfo;
    } catch (err) {
      throw new ProtocolError("INFO is not valid JSON", { cause: err });
    }
    const first = this.#awaitingInfo;
    this.info = first ? info : { ...this.info, ...info };
    this.#reader.maxPayload = this.info.max_payload ?? this.#reader.maxPayload;
    if (first) {
      this.#awaitingInfo = false;
      this.#onFirstInfo(t, server);
    }
    if (info.connect_urls && !this.options.ignoreClusterUpdates) {
      const change = this.#pool.update(info.connect_urls, server.scheme === "tls" ? "nats" : server.scheme);
      if (change.added.length || change.deleted.length) this.statusHub.emit({ type: "update", ...change });
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
      if (err.operation === "subscription") {
        for (const sub of this.#subs.values()) {
          if (sub.subject === err.subject && (sub.queue ?? undefined) === (err.queue ?? undefined)) {
            this.#subs.delete(sub.sid);
            sub.close(err);
          }
        }
      } else {
        this.onPublishDenied?.(err);
      }
      return;
    }
    if (!isRecoverableServerError(err)) this.#lastError = err;
  }

  // ---------------------------------------------------------------- write side

  /** Resolves once the outbound buffer is at most half full (backpressure for publish loops). */
  writable(): Promise<void> {
    if (this.#closing) return Promise.reject(new ClosedConnectionError());
    return this.#writer.writable();
  }

  /** Bytes waiting in the outbound buffer. */
  get outboundPending(): number {
    return this.#writer.pending;
  }

  /** Publishes pre-encoded parts (subject and reply already validated). */
  publishBytes(
    subject: Uint8Array,
    reply: Uint8Array | undefined,
    headers: Uint8Array | undefined,
    data: Uint8Array,
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
    );
    this.stats.outMsgs++;
  }

  /** Round trip to the server: resolves when the PONG for a new PING arrives. */
  flush(): Promise<void> {
    if (this.#closing) return Promise.reject(new ClosedConnectionError());
    const d = deferred<void>();
    this.#writer.ping((err) => err ? d.reject(err) : d.resolve());
    return d.promise;
  }

  // ---------------------------------------------------------------- subscriptions

  #subLine(sub: SubscriptionImpl): string {
    return sub.queue ? `SUB ${sub.subject} ${sub.queue} ${sub.sid}\r\n` : `SUB ${sub.subject} ${sub.sid}\r\n`;
  }

  #sendLine(line: string): void {
    if (!this.#connected) return; // resent from the subscription table after reconnecting
    this.#writer.raw(utf8Encoder.encode(line));
  }

  /** Creates a subscription and sends SUB. */
  subscribe(subject: string, opts: SubscriptionOptions = {}): SubscriptionImpl {
    if (this.#closing) throw new ClosedConnectionError();
    if (this.#drainingSubs) throw new DrainingConnectionError();
    checkSubscribeSubject(subject);
    if (opts.queue !== undefined) checkQueue(opts.queue);
    if (opts.max !== undefined && !(opts.max > 0)) throw new InvalidArgumentError("max must be a positive number");
    const sub = new SubscriptionImpl(this, this.#nextSid++, subject, {
      maxPendingMsgs: this.options.maxPendingMsgs,
      maxPendingBytes: this.options.maxPendingBytes,
      ...opts,
    });
    this.#subs.set(sub.sid, sub);
    this.#sendLine(this.#subLine(sub) + (sub.max !== undefined ? `UNSUB ${sub.sid} ${sub.max}\r\n` : ""));
    return sub;
  }

  unsubscribe(sub: SubscriptionImpl, max?: number): void {
    if (!this.#subs.has(sub.sid)) return;
    if (max !== undefined && max > sub.received) {
      sub.max = max;
      this.#sendLine(`UNSUB ${sub.sid} ${max}\r\n`);
      return;
    }
    this.#subs.delete(sub.sid);
    this.#sendLine(`UNSUB ${sub.sid}\r\n`);
    sub.close();
  }

  async drainSubscription(sub: SubscriptionImpl): Promise<void> {
    if (!this.#subs.has(sub.sid)) return;
    this.#sendLine(`UNSUB ${sub.sid}\r\n`);
    try {
      await this.flush();
    } finally {
      this.#subs.delete(sub.sid);
      sub.close();
    }
  }

  slowConsumer(sub: SubscriptionImpl): void {
    this.statusHub.emit({ type: "slowConsumer", sub, pending: sub.pendingMsgs, dropped: sub.dropped });
  }

  callbackError(sub: SubscriptionImpl, err: unknown): void {
    const error = err instanceof NatsError
      ? err
      : new NatsError(`callback of subscription ${sub.sid} ('${sub.subject}') threw: ${err}`, { cause: err });
    this.statusHub.emit({ type: "error", error });
  }

  /** The live subscriptions. */
  subscriptions(): SubscriptionImpl[] {
    return [...this.#subs.values()];
  }

  // ---------------------------------------------------------------- keepalive

  #startPings(): void {
    this.#stopPings();
    this.#pingsOut = 0;
    this.#pingTimer = setInterval(() => this.#pingTick(), this.options.pingInterval);
  }

  #stopPings(): void {
    if (this.#pingTimer !== undefined) clearInterval(this.#pingTimer);
    this.#pingTimer = undefined;
  }

  #pingTick(): void {
    if (!this.#connected) return;
    if (this.#pingsOut >= this.options.maxPingOut) {
      this.statusHub.emit({ type: "staleConnection" });
      this.#transport?.close();
      return;
    }
    this.#pingsOut++;
    this.statusHub.emit({ type: "ping", pendingPings: this.#pingsOut });
    this.#writer.ping(() => {});
  }

  // ---------------------------------------------------------------- loss and reconnect

  #lost(t: Transport, error: Error | undefined): void {
    this.#transport = undefined;
    t.close();
    const wasConnected = this.#connected;
    this.#connected = false;
    this.#stopPings();
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
    this.#reconnecting = this.#reconnectLoop().finally(() => this.#reconnecting = undefined);
  }

  #exhausted(server: ServerEntry): boolean {
    const max = this.options.maxReconnectAttempts;
    return max >= 0 && server.reconnects >= max;
  }

  #delayFor(server: ServerEntry): number {
    if (this.options.reconnectDelayHandler) return this.options.reconnectDelayHandler();
    const tls = this.options.tls !== undefined || server.scheme === "tls" || server.scheme === "wss";
    const jitterMax = tls ? this.options.reconnectJitterTLS : this.options.reconnectJitter;
    const jitter = Math.random() * jitterMax;
    const since = Date.now() - server.lastAttempt;
    return Math.max(0, this.options.reconnectTimeWait - since) + jitter;
  }

  #wait(ms: number): Promise<void> {
    if (ms <= 0 || this.#closing) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.#sleep = undefined;
        resolve();
      };
      this.#sleep = { timer: setTimeout(done, ms), done };
    });
  }

  async #reconnectLoop(): Promise<void> {
    let attempt = 0;
    this.#lastError = undefined;
    while (!this.#closing) {
      const server = this.#pool.next();
      if (!server) {
        await this.close(this.#lastError ?? new ConnectionError("no servers left to reconnect to"));
        return;
      }
      await this.#wait(this.#delayFor(server));
      if (this.#closing) return;
      attempt++;
      this.statusHub.emit({ type: "reconnecting", server: server.hostport, attempt });
      try {
        await this.#connectTo(server);
        this.stats.reconnects++;
        this.statusHub.emit({ type: "reconnect", server: server.hostport });
        return;
      } catch (err) {
        server.reconnects++;
        const error = err instanceof NatsError ? err : new ConnectionError(String(err), { cause: err });
        this.statusHub.emit({ type: "error", error });
        if (error instanceof AuthorizationError || error instanceof UserAuthenticationExpiredError) {
          if (this.#lastAuthError === error.message) {
            await this.close(error);
            return;
          }
          this.#lastAuthError = error.message;
        }
        this.#lastError = error;
        if (this.#exhausted(server)) this.#pool.remove(server);
      }
    }
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

  /** Every server in the pool (`host:port`). */
  get servers(): string[] {
    return this.#pool.servers.map((s) => s.hostport);
  }

  /** Resolves once the connection is closed, with the error that closed it (if any). */
  get closed(): Promise<void | Error> {
    return this.#closed.promise;
  }

  /** Drains every subscription, then publishes, then closes. */
  async drain(): Promise<void> {
    if (this.#closing) throw new ClosedConnectionError();
    if (this.#drainingSubs) throw new DrainingConnectionError();
    this.#drainingSubs = true;
    this.statusHub.emit({ type: "draining" });
    await Promise.all([...this.#subs.values()].map((s) => s.drain()));
    this.#drainingPubs = true;
    await this.flush();
    await this.close();
  }

  /** Writes what is buffered (best effort), closes the socket and ends everything. Never rejects. */
  async close(err?: NatsError): Promise<void> {
    if (this.#closing) {
      await this.#closed.promise;
      return;
    }
    this.#closing = true;
    if (err) this.#lastError = err;
    this.#stopPings();
    if (this.#sleep) {
      clearTimeout(this.#sleep.timer);
      this.#sleep.done();
    }
    const t = this.#transport;
    const closedErr = new ClosedConnectionError();
    await this.#writer.close(this.#connected ? t : undefined, closedErr);
    this.#connected = false;
    this.#transport = undefined;
    t?.close();
    this.#handshake?.reject(closedErr);
    for (const sub of this.#subs.values()) sub.close();
    this.#subs.clear();
    this.onClose?.(closedErr);
    await Promise.allSettled([...this.#readLoops]);
    if (this.#reconnecting) await this.#reconnecting;
    this.statusHub.emit({ type: "close", error: this.#lastError });
    this.statusHub.end();
    this.#closed.resolve(this.#lastError);
  }
}
