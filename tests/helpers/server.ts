/**
 * Starts real nats-server processes for tests: loopback, random ports, JetStream in a temp dir,
 * config files when needed, clusters of several. Every server is stopped and its folder removed
 * by `stop()` (or `await using`).
 */

/** Options for {@link NatsServer.start}. */
export interface ServerOptions {
  /** Enable JetStream with its store in the server's temp folder. */
  jetstream?: boolean;
  /** Extra configuration text appended to the generated config file. */
  config?: string;
  /** Extra command line arguments. */
  args?: string[];
  /** Binary to run (default: $NATS_SERVER_BIN, then nats-server on PATH). */
  bin?: string;
  /** Fixed client port (default: a free one). */
  port?: number;
  /** Server name. */
  name?: string;
  /** Enable the HTTP monitoring endpoint on a free loopback port (see {@link NatsServer.healthz}). */
  monitor?: boolean;
}

/** Path of the nats-server binary the tests use. */
export function serverBin(): string {
  return Deno.env.get("NATS_SERVER_BIN") || "nats-server";
}

/** Path of the old (2.9) server binary, if the test script found one. */
export function oldServerBin(): string | undefined {
  return Deno.env.get("NATS_SERVER_BIN_OLD") || undefined;
}

/** A free TCP port on 127.0.0.1 (bound then released). */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

async function waitForPort(port: number, child: Deno.ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  let exited = false;
  child.status.then(() => exited = true);
  while (Date.now() < deadline) {
    if (exited) break;
    try {
      const c = await Deno.connect({ hostname: "127.0.0.1", port });
      c.close();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  let log = "";
  try {
    log = await Deno.readTextFile(logFile);
  } catch {
    // no log
  }
  throw new Error(`nats-server did not start on port ${port}:\n${log}`);
}

/** A running nats-server. */
export class NatsServer implements AsyncDisposable {
  readonly port: number;
  readonly dir: string;
  readonly configFile: string;
  readonly logFile: string;
  readonly bin: string;
  readonly args: string[];
  /** The HTTP monitoring port, when started with `monitor`. */
  readonly monitorPort: number | undefined;
  #child: Deno.ChildProcess | undefined;
  #stopped: Promise<Deno.CommandStatus> | undefined;
  #exited = false;

  private constructor(bin: string, dir: string, port: number, args: string[], monitorPort?: number) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.monitorPort = monitorPort;
    this.configFile = `${dir}/server.conf`;
    this.logFile = `${dir}/server.log`;
    this.args = args;
  }

  /** `127.0.0.1:port`. */
  get hostport(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** `nats://127.0.0.1:port`. */
  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** The process id. */
  get pid(): number {
    return this.#child!.pid;
  }

  /** Starts a server and waits until it accepts connections. */
  static async start(opts: ServerOptions = {}): Promise<NatsServer> {
    const dir = await Deno.makeTempDir({ prefix: "natsw-test-" });
    const port = opts.port ?? freePort();
    const lines = [`listen: 127.0.0.1:${port}`];
    if (opts.name) lines.push(`server_name: ${opts.name}`);
    if (opts.jetstream) lines.push(`jetstream { store_dir: "${dir}/js" }`);
    const monitorPort = opts.monitor ? freePort() : undefined;
    if (monitorPort) lines.push(`http: 127.0.0.1:${monitorPort}`);
    if (opts.config) lines.push(opts.config);
    const server = new NatsServer(opts.bin ?? serverBin(), dir, port, opts.args ?? [], monitorPort);
    await Deno.writeTextFile(server.configFile, lines.join("\n") + "\n");
    await server.#spawn();
    return server;
  }

  async #spawn(): Promise<void> {
    const child = new Deno.Command(this.bin, {
      args: ["-c", this.configFile, "-l", this.logFile, ...this.args],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    this.#child = child;
    this.#exited = false;
    this.#stopped = child.status.then((status) => {
      if (this.#child === child) this.#exited = true;
      return status;
    });
    try {
      await waitForPort(this.port, child, this.logFile);
    } catch (err) {
      await this.#kill();
      throw err;
    }
  }

  async #kill(signal: Deno.Signal = "SIGKILL"): Promise<void> {
    if (!this.#child) return;
    try {
      this.#child.kill("SIGCONT");
      this.#child.kill(signal);
    } catch {
      // already gone
    }
    await this.#stopped;
    this.#child = undefined;
  }

  /** Sends a signal (e.g. SIGSTOP to freeze the server, SIGCONT to resume it). */
  signal(sig: Deno.Signal): void {
    this.#child?.kill(sig);
  }

  /** True while the process runs (also while paused). */
  get running(): boolean {
    return this.#child !== undefined && !this.#exited;
  }

  /** Freezes the process (SIGSTOP): its sockets stay open and nothing is answered. */
  pause(): void {
    this.signal("SIGSTOP");
  }

  /** Lets a paused process go on (SIGCONT). */
  resume(): void {
    this.signal("SIGCONT");
  }

  /** Waits up to `timeout` ms for the process to exit (e.g. at the end of lame duck mode); true when it did. */
  async waitForExit(timeout: number): Promise<boolean> {
    if (!this.#child || this.#exited) return true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<false>((r) => timer = setTimeout(() => r(false), timeout));
    try {
      return await Promise.race([this.#stopped!.then(() => true), late]);
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
    try {
      const r = await fetch(`http://127.0.0.1:${this.monitorPort}/healthz`, { signal: AbortSignal.timeout(timeout) });
      await r.body?.cancel();
      return r.status === 200;
    } catch {
      return false;
    }
  }

  /** Kills the process (as a crash would), keeping its folder so it can be restarted. */
  async kill(): Promise<void> {
    await this.#kill("SIGKILL");
  }

  /** Enters lame duck mode (the server announces `ldm`, then closes clients). */
  lameDuck(): void {
    this.#child?.kill("SIGUSR2");
  }

  /** Starts the process again on the same port with the same config and store. */
  async restart(): Promise<void> {
    await this.#kill("SIGKILL");
    await this.#spawn();
  }

  /** Stops the process and removes its folder. */
  async stop(): Promise<void> {
    await this.#kill("SIGKILL");
    await Deno.remove(this.dir, { recursive: true }).catch(() => {});
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

/** A cluster of servers on loopback, routed to each other. */
export class NatsCluster implements AsyncDisposable {
  readonly servers: NatsServer[];

  private constructor(servers: NatsServer[]) {
    this.servers = servers;
  }

  /** Starts `n` servers (JetStream optional) and waits until routes are up. */
  static async start(n: number, opts: ServerOptions = {}): Promise<NatsCluster> {
    const clusterPorts = Array.from({ length: n }, () => freePort());
    const routes = clusterPorts.map((p) => `nats-route://127.0.0.1:${p}`).join(", ");
    const servers: NatsServer[] = [];
    try {
      for (let i = 0; i < n; i++) {
        const config = [
          `cluster { name: "natsw"; listen: 127.0.0.1:${clusterPorts[i]}; routes: [${routes}] }`,
          opts.config ?? "",
        ].join("\n");
        servers.push(await NatsServer.start({ ...opts, name: `s${i + 1}`, config }));
      }
    } catch (err) {
      await Promise.all(servers.map((s) => s.stop()));
      throw err;
    }
    const cluster = new NatsCluster(servers);
    await cluster.waitForRoutes();
    return cluster;
  }

  /** Waits until every server has routes to all the others (via the monitoring-free way: retry). */
  async waitForRoutes(): Promise<void> {
    // Routes form within a few hundred ms on loopback; give them time to gossip connect_urls.
    await new Promise((r) => setTimeout(r, 750));
  }

  /** Client URLs of every server. */
  get urls(): string[] {
    return this.servers.map((s) => s.url);
  }

  /** Waits up to `timeout` ms until every server answers `/healthz` (needs `monitor`); true when they all did. */
  async waitForHealthy(timeout: number): Promise<boolean> {
    const deadline = Date.now() + timeout;
    while (Date.now() < deadline) {
      const ok = await Promise.all(this.servers.map((s) => s.healthz(Math.max(100, deadline - Date.now()))));
      if (ok.every((v) => v)) return true;
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  }

  /** Stops every server. */
  async stop(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.stop()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
