/**
 * TCP and TLS transport on Node's networking (`node:net`, `node:tls`). Only the Node entry
 * (`node/mod.ts`) imports it. Received buffers are queued and copied into the caller's view (the
 * parser's memory); the socket is paused while too much is queued, and `write()` resolves once
 * Node has handed the bytes to the kernel, so the caller may reuse its buffer.
 *
 * @module
 */
import { drainChunks } from "./chunks.ts";
import * as net from "node:net";
import * as tls from "node:tls";
import type { DialTarget, Transport } from "./transport.ts";
import { ConnectionError } from "../errors.ts";

/** Queued bytes above which the socket is paused until reads catch up. */
const PAUSE_AT = 4 * 1024 * 1024;

interface PendingRead {
  into: Uint8Array;
  resolve: (n: number | null) => void;
  reject: (err: Error) => void;
}

class NodeTransport implements Transport {
  readonly encrypted: boolean;
  readonly #socket: net.Socket;
  readonly #chunks: Uint8Array[] = [];
  #queued = 0;
  #reader: PendingRead | undefined;
  #ended = false;
  #closed = false;
  #error: Error | undefined;
  readonly #onData = (b: Uint8Array): void => this.#received(b);
  readonly #onEnd = (): void => this.#finish(undefined);
  readonly #onError = (err: Error): void => this.#finish(err);

  constructor(socket: net.Socket, encrypted: boolean) {
    this.#socket = socket;
    this.encrypted = encrypted;
    socket.setNoDelay(true);
    socket.on("data", this.#onData);
    socket.on("end", this.#onEnd);
    socket.on("close", this.#onEnd);
    socket.on("error", this.#onError);
  }

  #received(b: Uint8Array): void {
    const r = this.#reader;
    if (r && this.#chunks.length === 0) {
      this.#reader = undefined;
      const n = Math.min(b.length, r.into.length);
      r.into.set(n === b.length ? b : b.subarray(0, n));
      if (n < b.length) this.#queue(b.subarray(n));
      r.resolve(n);
      return;
    }
    this.#queue(b);
  }

  #queue(b: Uint8Array): void {
    this.#chunks.push(b);
    this.#queued += b.length;
    if (this.#queued > PAUSE_AT) this.#socket.pause();
  }

  /** The stream ended (peer closed, or an error): pending and later reads see it. */
  #finish(err: Error | undefined): void {
    if (err && !this.#error && !this.#closed) {
      this.#error = new ConnectionError(`read failed: ${err.message}`, { cause: err });
    }
    this.#ended = true;
    const r = this.#reader;
    if (!r) return;
    this.#reader = undefined;
    if (this.#chunks.length) r.resolve(this.#fill(r.into));
    else if (this.#error) r.reject(this.#error);
    else r.resolve(null);
  }

  #fill(into: Uint8Array): number {
    const n = drainChunks(this.#chunks, into);
    this.#queued -= n;
    if (this.#queued <= PAUSE_AT && this.#socket.isPaused() && !this.#ended) this.#socket.resume();
    return n;
  }

  read(into: Uint8Array): Promise<number | null> {
    if (this.#chunks.length) return Promise.resolve(this.#fill(into));
    if (this.#closed) return Promise.resolve(null);
    if (this.#error) return Promise.reject(this.#error);
    if (this.#ended) return Promise.resolve(null);
    if (this.#reader) return Promise.reject(new ConnectionError("a read is already pending"));
    return new Promise((resolve, reject) => this.#reader = { into, resolve, reject });
  }

  write(bytes: Uint8Array): Promise<void> {
    if (this.#closed || this.#ended || this.#socket.destroyed) {
      return Promise.reject(new ConnectionError("connection closed while writing"));
    }
    return new Promise((resolve, reject) => {
      // The callback runs once the bytes left Node's buffers (or failed); until then Node holds
      // a reference to `bytes`, so resolving earlier would let the caller overwrite them.
      this.#socket.write(bytes, (err) => {
        if (err) reject(new ConnectionError(`write failed: ${err.message}`, { cause: err }));
        else resolve();
      });
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#chunks.length = 0;
    this.#queued = 0;
    this.#finish(undefined);
    this.#socket.destroy();
  }

  /** Stops listening to the plain socket so the TLS socket can take it over. */
  #release(): net.Socket {
    const s = this.#socket;
    s.off("data", this.#onData);
    s.off("end", this.#onEnd);
    s.off("close", this.#onEnd);
    s.off("error", this.#onError);
    this.#closed = true;
    return s;
  }

  async startTls(target: DialTarget): Promise<Transport> {
    if (this.#chunks.length) {
      this.close();
      throw new ConnectionError("server sent data before the TLS upgrade");
    }
    const socket = this.#release();
    try {
      return await opened(tls.connect(tlsOptions(target, socket)), "secureConnect", true);
    } catch (err) {
      socket.destroy();
      throw err;
    }
  }
}

function tlsOptions(target: DialTarget, socket?: net.Socket): tls.ConnectionOptions {
  const t = target.tls;
  return {
    socket,
    host: target.hostname,
    port: socket ? undefined : target.port,
    servername: net.isIP(target.hostname) ? undefined : target.hostname,
    ca: t?.caCerts?.length ? t.caCerts : undefined,
    cert: t?.cert,
    key: t?.key,
  };
}

/**
 * Resolves with a transport over `socket` once `ready` fires. The transport is made inside the
 * event handler, so its listeners are in place before any later event (e.g. a TLS alert right
 * after the handshake).
 */
function opened(socket: net.Socket, ready: "connect" | "secureConnect", encrypted: boolean): Promise<Transport> {
  return new Promise((resolve, reject) => {
    const fail = (err: Error): void => {
      socket.destroy();
      const what = encrypted ? `TLS handshake failed: ${err.message}` : err.message;
      reject(new ConnectionError(what, { cause: err }));
    };
    socket.once("error", fail);
    socket.once(ready, () => {
      socket.off("error", fail);
      resolve(new NodeTransport(socket, encrypted));
    });
  });
}

/**
 * Dials a server over TCP with Node's `node:net`, or TLS (`node:tls`) when `target.tlsFirst` is
 * set; `startTls()` upgrades after INFO and can present a client certificate (mutual TLS).
 *
 * @example
 * ```ts ignore
 * import { NatsConnection } from "natsw";
 * const nc = await NatsConnection.connect({ servers: "127.0.0.1:4222" }, nodeDial);
 * ```
 */
export async function nodeDial(target: DialTarget): Promise<Transport> {
  try {
    if (target.tlsFirst) return await opened(tls.connect(tlsOptions(target)), "secureConnect", true);
    return await opened(net.connect({ host: target.hostname, port: target.port }), "connect", false);
  } catch (err) {
    const e = err as Error;
    throw new ConnectionError(`cannot connect to ${target.hostname}:${target.port}: ${e.message}`, {
      cause: e.cause ?? e,
    });
  }
}
