/**
 * A loopback TCP proxy to put between a client and a server, to make the network misbehave:
 * cut connections, delay or throttle traffic, or black-hole it (sockets stay open, nothing
 * comes back, as with a stale load balancer).
 * @module
 */
import { defaultHost } from "./default_host.ts";
import type { Host, HostListener, HostSocket } from "./host.ts";

/** Options for {@link TcpProxy.start}. */
export interface ProxyOptions {
  /** The runtime services to use (default: the current runtime's). */
  host?: Host;
}

interface Link {
  client: HostSocket;
  server: HostSocket;
}

/**
 * Forwards 127.0.0.1:`port` to 127.0.0.1:`target`.
 *
 * @example
 * ```ts
 * import { NatsServer, TcpProxy } from "@natsw/natsw/testing";
 * import { connect } from "@natsw/natsw";
 *
 * await using server = await NatsServer.start();
 * await using proxy = await TcpProxy.start(server.port);
 * const nc = await connect({ servers: proxy.url });
 * proxy.blackhole(); // the connection stays open, but nothing gets through any more
 * proxy.heal();
 * await nc.close();
 * ```
 */
export class TcpProxy implements AsyncDisposable {
  /** The port clients connect to. */
  readonly port: number;
  /** The port traffic goes to. */
  readonly target: number;
  readonly #host: Host;
  readonly #listener: HostListener;
  readonly #links = new Set<Link>();
  readonly #pumps = new Set<Promise<void>>();
  readonly #timers = new Map<ReturnType<typeof setTimeout>, () => void>();
  readonly #accepting: Promise<void>;
  #delay = 0;
  #rate = 0;
  #blackhole = false;
  #refuse = false;
  #closed = false;

  private constructor(host: Host, listener: HostListener, target: number) {
    this.#host = host;
    this.#listener = listener;
    this.port = listener.port;
    this.target = target;
    this.#accepting = this.#accept();
  }

  /** Starts a proxy on a free port in front of 127.0.0.1:`target`. */
  static async start(target: number, opts: ProxyOptions = {}): Promise<TcpProxy> {
    const host = opts.host ?? defaultHost;
    return new TcpProxy(host, await host.listen(0), target);
  }

  /** `nats://127.0.0.1:port`. */
  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** `127.0.0.1:port`. */
  get hostport(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** How many client connections are open through the proxy. */
  get connections(): number {
    return this.#links.size;
  }

  /** Closes every open connection; with `refuse`, new ones are closed at once too until {@link heal}. */
  cut(refuse = false): void {
    this.#refuse = refuse;
    for (const link of this.#links) this.#close(link);
  }

  /** Holds every chunk `ms` milliseconds before passing it on (0: no delay). */
  delay(ms: number): void {
    this.#delay = ms;
  }

  /** Passes at most `bytesPerSecond` in each direction of each connection (0: no limit). */
  throttle(bytesPerSecond: number): void {
    this.#rate = bytesPerSecond;
  }

  /** Drops all traffic both ways while keeping every socket open. */
  blackhole(): void {
    this.#blackhole = true;
  }

  /** Back to a plain proxy: no delay, throttle, black hole or refusal. */
  heal(): void {
    this.#delay = 0;
    this.#rate = 0;
    this.#blackhole = false;
    this.#refuse = false;
  }

  async #accept(): Promise<void> {
    while (!this.#closed) {
      const client = await this.#listener.accept().catch(() => null);
      if (!client) return;
      if (this.#refuse) {
        client.close();
        continue;
      }
      let server: HostSocket;
      try {
        server = await this.#host.connect(this.target);
      } catch {
        client.close();
        continue;
      }
      const link: Link = { client, server };
      this.#links.add(link);
      const done = Promise.all([this.#pump(link, client, server), this.#pump(link, server, client)]).then(() => {
        this.#pumps.delete(done);
      });
      this.#pumps.add(done);
    }
  }

  async #pump(link: Link, from: HostSocket, to: HostSocket): Promise<void> {
    const buf = new Uint8Array(64 * 1024);
    try {
      for (;;) {
        const n = await from.read(buf);
        if (n === null) break;
        if (this.#blackhole) continue;
        let chunk = buf.slice(0, n);
        if (this.#delay) await this.#sleep(this.#delay);
        while (chunk.length && !this.#closed) {
          const size = this.#rate ? Math.max(1, Math.min(chunk.length, Math.ceil(this.#rate / 10))) : chunk.length;
          if (!this.#blackhole) await to.write(chunk.subarray(0, size));
          chunk = chunk.subarray(size);
          if (this.#rate) await this.#sleep((size / this.#rate) * 1000);
        }
      }
    } catch {
      // either side went away
    }
    this.#close(link);
  }

  #sleep(ms: number): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        resolve();
      }, ms);
      this.#timers.set(timer, resolve);
    });
  }

  #close(link: Link): void {
    this.#links.delete(link);
    link.client.close();
    link.server.close();
  }

  /** Stops listening, closes every connection and waits until all forwarding has ended. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#listener.close();
    for (const [timer, resolve] of this.#timers) {
      clearTimeout(timer);
      resolve();
    }
    this.#timers.clear();
    for (const link of this.#links) this.#close(link);
    await this.#accepting;
    await Promise.all(this.#pumps);
  }

  /** Same as {@link TcpProxy.close}. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
