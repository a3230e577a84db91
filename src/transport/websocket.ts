/**
 * WebSocket transport on the web-platform `WebSocket` (Deno, browsers, Node 22+). The NATS
 * protocol runs unchanged inside binary frames; frames have no relation to protocol messages, so
 * reads hand the parser a byte stream: received frames are queued and copied into the caller's
 * view (the parser's memory), a frame larger than the view being kept for the next read.
 *
 * @module
 */
import { drainChunks } from "./chunks.ts";
import type { Dialer, DialTarget, Transport } from "./transport.ts";
import { ConnectionError } from "../errors.ts";
import { deferred, utf8Encoder } from "../encoding.ts";

/** A socket opened by a {@link WsFactory}, with what to release once it is closed. */
export interface WsSocket {
  /** The socket, not yet open. */
  socket: WebSocket;
  /** Releases resources tied to the socket (e.g. an HTTP client); called once it has closed. */
  dispose?: () => void;
}

/** Opens a WebSocket to `url` for `target`; runtimes use it to add TLS settings. */
export type WsFactory = (url: string, target: DialTarget) => WsSocket;

/** Bytes the socket may buffer before `write()` waits for them to drain. */
const HIGH_WATER = 4 * 1024 * 1024;
/** Milliseconds between checks of `bufferedAmount` while waiting. */
const DRAIN_POLL_MS = 2;

/**
 * The URL to open for `target`: `wss` for `wss://` and `tls://` servers or when TLS options are
 * set, `ws` otherwise; the path is kept.
 *
 * @example
 * ```ts
 * import { wsUrl } from "./websocket.ts";
 * console.log(wsUrl({ hostname: "::1", port: 8080, path: "/nats", scheme: "ws", tlsFirst: false }));
 * // ws://[::1]:8080/nats
 * ```
 */
export function wsUrl(target: DialTarget): string {
  const secure = target.scheme === "wss" || target.scheme === "tls" || target.tls !== undefined;
  const host = target.hostname.includes(":") ? `[${target.hostname}]` : target.hostname;
  return `${secure ? "wss" : "ws"}://${host}:${target.port}${target.path ?? ""}`;
}

class WsTransport implements Transport {
  readonly encrypted: boolean;
  readonly #ws: WebSocket;
  readonly #chunks: Uint8Array[] = [];
  #reader: { into: Uint8Array; resolve: (n: number | null) => void } | undefined;
  #ended = false;

  constructor(ws: WebSocket, encrypted: boolean) {
    this.#ws = ws;
    this.encrypted = encrypted;
  }

  /** Queues a received frame, or hands it straight to a waiting read. */
  received(data: ArrayBuffer | string): void {
    if (this.#ended) return;
    const bytes = typeof data === "string" ? utf8Encoder.encode(data) : new Uint8Array(data);
    if (bytes.length === 0) return;
    this.#chunks.push(bytes);
    const r = this.#reader;
    if (r) {
      this.#reader = undefined;
      r.resolve(this.#fill(r.into));
    }
  }

  /** The socket closed (either side): pending and later reads see the end of the stream. */
  ended(): void {
    this.#ended = true;
    const r = this.#reader;
    this.#reader = undefined;
    r?.resolve(this.#chunks.length ? this.#fill(r.into) : null);
  }

  #fill(into: Uint8Array): number {
    const n = drainChunks(this.#chunks, into);
    return n;
  }

  read(into: Uint8Array): Promise<number | null> {
    if (this.#chunks.length) return Promise.resolve(this.#fill(into));
    if (this.#ended) return Promise.resolve(null);
    if (this.#reader) return Promise.reject(new ConnectionError("a read is already pending"));
    return new Promise((resolve) => this.#reader = { into, resolve });
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.#ended || this.#ws.readyState !== 1 /* OPEN; no global WebSocket on Node 20 */) {
      throw new ConnectionError("connection closed while writing");
    }
    try {
      this.#ws.send(bytes as Uint8Array<ArrayBuffer>);
    } catch (err) {
      throw new ConnectionError(`write failed: ${(err as Error).message}`, { cause: err });
    }
    while (this.#ws.bufferedAmount > HIGH_WATER && !this.#ended) {
      await new Promise((r) => setTimeout(r, DRAIN_POLL_MS));
    }
  }

  close(): void {
    if (this.#ended) return;
    this.#chunks.length = 0;
    this.ended();
    try {
      this.#ws.close(1000);
    } catch {
      // already closing
    }
  }
}

/**
 * Makes a WebSocket dialer whose sockets come from `factory` (default: `new WebSocket(url)`).
 *
 * @example
 * ```ts ignore
 * const dial = wsDialer((url) => ({ socket: new WebSocket(url, { headers: { "X-Tenant": "a" } }) }));
 * const nc = await NatsConnection.connect({ servers: "ws://127.0.0.1:8080" }, dial);
 * ```
 */
export function wsDialer(factory: WsFactory = defaultFactory): Dialer {
  return (target) => dialWith(factory, target);
}

function defaultFactory(url: string, target: DialTarget): WsSocket {
  const tls = target.tls;
  if (tls?.caCerts?.length || tls?.cert || tls?.key) {
    throw new ConnectionError(
      "the standard WebSocket cannot use custom CA or client certificates: " +
        "trust the CA in the runtime, or on Deno use denoWsDial",
    );
  }
  return { socket: new WebSocket(url) };
}

function dialWith(factory: WsFactory, target: DialTarget): Promise<Transport> {
  const url = wsUrl(target);
  let opened: WsSocket;
  try {
    opened = factory(url, target);
  } catch (err) {
    if (err instanceof ConnectionError) return Promise.reject(err);
    return Promise.reject(new ConnectionError(`cannot connect to ${url}: ${(err as Error).message}`, { cause: err }));
  }
  const { socket: ws, dispose } = opened;
  ws.binaryType = "arraybuffer";
  const t = new WsTransport(ws, url.startsWith("wss:"));
  const { promise, resolve, reject } = deferred<Transport>();
  let open = false;
  ws.onopen = () => {
    open = true;
    resolve(t);
  };
  ws.onmessage = (ev: MessageEvent) => t.received(ev.data as ArrayBuffer | string);
  ws.onerror = (ev: Event) => {
    if (open) return;
    const why = (ev as ErrorEvent).message || "WebSocket error";
    reject(new ConnectionError(`cannot connect to ${url}: ${why}`));
  };
  ws.onclose = (ev: CloseEvent) => {
    t.ended();
    dispose?.();
    if (!open) reject(new ConnectionError(`cannot connect to ${url}: closed (code ${ev.code})`));
  };
  if (ws.readyState === 1) { // a factory handed over a socket that is already open
    open = true;
    resolve(t);
  }
  return promise;
}

/**
 * Dials a server's WebSocket port (`ws://host:port/path`, or `wss://` for TLS) with the standard
 * `WebSocket`. Custom CA or client certificates need a runtime hook (`denoWsDial` on Deno).
 *
 * @example
 * ```ts ignore
 * const nc = await NatsConnection.connect({ servers: "ws://127.0.0.1:8080" }, wsDial);
 * ```
 */
export function wsDial(target: DialTarget): Promise<Transport> {
  return dialWith(defaultFactory, target);
}
