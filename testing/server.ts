/**
 * A real nats-server process on 127.0.0.1 for tests, with faults: pause/resume (SIGSTOP/SIGCONT),
 * kill, restart on the same port and store, lame duck mode, config reload.
 * @module
 */
import { type CertFiles, makeCertsWith, type TestCerts, writeCertsWith } from "./certs.ts";
import { type ConfigParts, configText, type ServerAuth } from "./config.ts";
import { defaultHost } from "./default_host.ts";
import { findServerWith } from "./find.ts";
import type { Host, HostProcess } from "./host.ts";
import { httpGet } from "./http.ts";

/** Options for {@link NatsServer.start}. */
export interface ServerOptions {
  /** Enable JetStream, its store in the server's temp folder (removed by `stop()`). */
  jetstream?: boolean;
  /** Serve TLS with throwaway certificates (`verify: true` also asks clients for a certificate). */
  tls?: boolean | { verify?: boolean };
  /** Open a WebSocket port too (TLS when `tls` is on). */
  websocket?: boolean;
  /** Users, a token, nkeys or accounts. */
  auth?: ServerAuth;
  /** Extra configuration text appended to the generated config file. */
  config?: string;
  /** Extra command line arguments. */
  args?: string[];
  /** Binary to run (default: found as {@link findServer} does). */
  bin?: string;
  /** Fixed client port (default: a free one). */
  port?: number;
  /** Server name. */
  name?: string;
  /** Enable the HTTP monitoring endpoint on a free loopback port (see {@link NatsServer.healthz}). */
  monitor?: boolean;
  /** How long to wait for the server to listen, in ms (default 10000). */
  startTimeout?: number;
  /** The runtime services to use (default: the current runtime's). */
  host?: Host;
}

/** Signals {@link NatsServer.signal} can send. */
export type ServerSignal = "SIGKILL" | "SIGTERM" | "SIGSTOP" | "SIGCONT" | "SIGHUP" | "SIGUSR2";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A running nats-server on 127.0.0.1 with its own temp folder (config, log, JetStream store).
 *
 * Lifecycle words: `pause()`/`resume()` freeze and thaw the process (SIGSTOP/SIGCONT; its sockets
 * stay open and nothing answers); `kill()` crashes it (SIGKILL) keeping its folder; `restart()`
 * starts it again on the same port with the same config and store; `stop()` kills it AND removes
 * its folder, for good (what `await using` does).
 *
 * @example
 * ```ts
 * import { NatsServer } from "@natsw/natsw/testing";
 * import { connect } from "@natsw/natsw";
 *
 * await using server = await NatsServer.start({ jetstream: true });
 * const nc = await connect({ servers: server.url });
 * await nc.close();
 * ```
 */
export class NatsServer implements AsyncDisposable {
  /** Client port. */
  readonly port: number;
  /** The server's temp folder. */
  readonly dir: string;
  /** Path of the generated config file. */
  readonly configFile: string;
  /** Path of the server log. */
  readonly logFile: string;
  /** The binary that runs. */
  readonly bin: string;
  /** Extra command line arguments. */
  readonly args: string[];
  /** The HTTP monitoring port, when started with `monitor`. */
  readonly monitorPort: number | undefined;
  /** The WebSocket port, when started with `websocket`. */
  readonly wsPort: number | undefined;
  /** The certificates, when started with `tls` (`certs.ca` is the CA to hand to the client). */
  readonly certs: TestCerts | undefined;
  readonly #host: Host;
  readonly #parts: ConfigParts;
  readonly #files: CertFiles | undefined;
  readonly #startTimeout: number;
  #proc: HostProcess | undefined;
  #exited = true;

  private constructor(
    host: Host,
    bin: string,
    dir: string,
    parts: ConfigParts,
    opts: ServerOptions,
    files?: CertFiles,
  ) {
    this.#host = host;
    this.bin = bin;
    this.dir = dir;
    this.port = parts.port;
    this.monitorPort = parts.monitorPort;
    this.wsPort = parts.wsPort;
    this.configFile = `${dir}/server.conf`;
    this.logFile = `${dir}/server.log`;
    this.args = opts.args ?? [];
    this.certs = files?.pem;
    this.#files = files;
    this.#parts = parts;
    this.#startTimeout = opts.startTimeout ?? 10_000;
  }

  /** `127.0.0.1:port`. */
  get hostport(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** `nats://127.0.0.1:port` (`tls://` with `tls`). */
  get url(): string {
    return `${this.certs ? "tls" : "nats"}://127.0.0.1:${this.port}`;
  }

  /** `ws://127.0.0.1:wsPort` (`wss://` with `tls`); throws without `websocket`. */
  get wsUrl(): string {
    if (!this.wsPort) throw new Error("wsUrl needs a server started with websocket: true");
    return `${this.certs ? "wss" : "ws"}://127.0.0.1:${this.wsPort}`;
  }

  /** The PEM of the CA that signed the server certificate (with `tls`). */
  get ca(): string | undefined {
    return this.certs?.ca;
  }

  /** The process id (throws when no process runs). */
  get pid(): number {
    if (!this.#proc) throw new Error("nats-server is not running");
    return this.#proc.pid;
  }

  /** True while the process runs (also while paused). */
  get running(): boolean {
    return this.#proc !== undefined && !this.#exited;
  }

  /** Starts a server and waits until it accepts connections. */
  static async start(opts: ServerOptions = {}): Promise<NatsServer> {
    const host = opts.host ?? defaultHost;
    const bin = opts.bin ?? await findServerWith(host);
    const dir = await host.makeTempDir("natsw-server-");
    let files: CertFiles | undefined;
    try {
      if (opts.tls) files = await writeCertsWith(host, await makeCertsWith(host));
      const verify = typeof opts.tls === "object" && opts.tls.verify === true;
      const parts: ConfigParts = {
        port: opts.port ?? await host.freePort(),
        name: opts.name,
        storeDir: opts.jetstream ? `${dir}/js` : undefined,
        monitorPort: opts.monitor ? await host.freePort() : undefined,
        wsPort: opts.websocket ? await host.freePort() : undefined,
        tls: files
          ? { cert: files.path("serverCert"), key: files.path("serverKey"), ca: files.path("ca"), verify }
          : undefined,
        auth: opts.auth,
        extra: opts.config,
      };
      const server = new NatsServer(host, bin, dir, parts, opts, files);
      await host.writeTextFile(server.configFile, configText(parts));
      await server.#spawn();
      return server;
    } catch (err) {
      if (files) await files[Symbol.asyncDispose]();
      await host.remove(dir);
      throw err;
    }
  }

  async #spawn(): Promise<void> {
    const proc = this.#host.spawn(this.bin, ["-c", this.configFile, "-l", this.logFile, ...this.args]);
    this.#proc = proc;
    this.#exited = false;
    proc.exited.then(() => {
      if (this.#proc === proc) this.#exited = true;
    });
    const deadline = Date.now() + this.#startTimeout;
    const ports = [this.port, this.wsPort, this.monitorPort].filter((p): p is number => p !== undefined);
    while (ports.length && !this.#exited && Date.now() < deadline) {
      try {
        (await this.#host.connect(ports[0])).close();
        ports.shift();
      } catch {
        await sleep(25);
      }
    }
    if (ports.length) {
      await this.#kill();
      // a config error goes to stderr, not the log: ask the server to check the config file
      const test = await this.#host.run(this.bin, ["-c", this.configFile, "-t"]).catch(() => undefined);
      const why = test && !test.success ? `${test.stdout}${test.stderr}`.trim() + "\n" : "";
      throw new Error(`nats-server did not start on port ${this.port}:\n${why}${await this.log()}`);
    }
  }

  async #kill(): Promise<void> {
    const proc = this.#proc;
    if (!proc) return;
    proc.signal("SIGCONT");
    proc.signal("SIGKILL");
    await proc.exited;
    this.#proc = undefined;
    this.#exited = true;
  }

  /** The server log so far ("" when there is none yet). */
  async log(): Promise<string> {
    return await this.#host.readTextFile(this.logFile).catch(() => "");
  }

  /** Prints the server log to stderr (e.g. when a test failed). */
  async printLog(): Promise<void> {
    console.error(`--- nats-server log (${this.hostport}) ---\n${await this.log()}--- end of log ---`);
  }

  /** Sends a signal to the process (nothing when it does not run). */
  signal(sig: ServerSignal): void {
    this.#proc?.signal(sig);
  }

  /**
   * Freezes the process (SIGSTOP): its sockets stay open, nothing is answered. Resolves once the
   * process is seen stopped (its state in `/proc`, checked for up to 2 s; where there is no
   * `/proc`, at once), so that nothing sent after it is answered.
   */
  async pause(): Promise<void> {
    const proc = this.#proc;
    this.signal("SIGSTOP");
    if (!proc || this.#exited) return;
    for (let i = 0; i < 400; i++) {
      let stat: string;
      try {
        stat = await this.#host.readTextFile(`/proc/${proc.pid}/stat`);
      } catch {
        return; // no /proc here
      }
      // the state is the field after the command name, which is in parentheses
      const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
      if (state === "T" || state === "t") return;
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Lets a paused process go on (SIGCONT). */
  resume(): void {
    this.signal("SIGCONT");
  }

  /** Waits up to `timeout` ms for the process to exit (e.g. at the end of lame duck mode); true when it did. */
  async waitForExit(timeout: number): Promise<boolean> {
    const proc = this.#proc;
    if (!proc || this.#exited) return true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<false>((r) => timer = setTimeout(() => r(false), timeout));
    try {
      return await Promise.race([proc.exited.then(() => true), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * True when the monitoring endpoint answers `/healthz` with 200 (the server is up and, with
   * JetStream, current); false when it does not within `timeout` ms. Needs `monitor`.
   */
  async healthz(timeout = 2000): Promise<boolean> {
    if (!this.monitorPort) throw new Error("healthz needs a server started with monitor: true");
    const r = await httpGet(`http://127.0.0.1:${this.monitorPort}/healthz`, timeout);
    return r?.status === 200;
  }

  /** Kills the process (SIGKILL, as a crash would), keeping its folder so it can be restarted. */
  async kill(): Promise<void> {
    await this.#kill();
  }

  /** Enters lame duck mode (SIGUSR2): the server announces `ldm`, closes clients over a while, then exits. */
  lameDuck(): void {
    this.signal("SIGUSR2");
  }

  /** Starts the process again (killing it first if it runs) on the same port with the same config and store. */
  async restart(): Promise<void> {
    await this.#kill();
    await this.#spawn();
  }

  /**
   * Replaces the extra configuration text (the `config` option) with `config`, rewrites the
   * config file and sends SIGHUP; resolves once the log says the server reloaded it, rejects
   * (with the log) when it did not within `timeout` ms.
   */
  async reload(config: string, timeout = 5000): Promise<void> {
    const count = async () => (await this.log()).split("Reloaded server configuration").length;
    const before = await count();
    this.#parts.extra = config;
    await this.#host.writeTextFile(this.configFile, configText(this.#parts));
    this.signal("SIGHUP");
    const deadline = Date.now() + timeout;
    while (Date.now() < deadline) {
      if (await count() > before) return;
      await sleep(25);
    }
    throw new Error(`nats-server did not reload its config within ${timeout} ms:\n${await this.log()}`);
  }

  /** Kills the process and removes its folder (and certificates): nothing is left behind. */
  async stop(): Promise<void> {
    await this.#kill();
    if (this.#files) await this.#files[Symbol.asyncDispose]();
    await this.#host.remove(this.dir);
  }

  /** Same as {@link NatsServer.stop}. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

/**
 * Starts a server, runs `fn` with it and stops it; when `fn` throws, prints the server log first,
 * then rethrows.
 *
 * @example
 * ```ts
 * import { withServer } from "@natsw/natsw/testing";
 * import { connect } from "@natsw/natsw";
 *
 * await withServer({}, async (server) => {
 *   const nc = await connect({ servers: server.url });
 *   await nc.flush();
 *   await nc.close();
 * });
 * ```
 */
export async function withServer<T>(opts: ServerOptions, fn: (server: NatsServer) => Promise<T>): Promise<T> {
  const server = await NatsServer.start(opts);
  try {
    return await fn(server);
  } catch (err) {
    await server.printLog();
    throw err;
  } finally {
    await server.stop();
  }
}
