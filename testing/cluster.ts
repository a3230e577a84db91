/**
 * Several nats-servers on loopback, routed into one cluster (JetStream optional, so R3 streams
 * work).
 * @module
 */
import { defaultHost } from "./default_host.ts";
import { httpGet } from "./http.ts";
import { NatsServer, type ServerOptions } from "./server.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A cluster of `n` servers named `s1`…`sn`, each with monitoring on, routed to one another.
 *
 * @example
 * ```ts
 * import { NatsCluster } from "@natsw/natsw/testing";
 * import { connect } from "@natsw/natsw";
 *
 * await using cluster = await NatsCluster.start(3, { jetstream: true });
 * const nc = await connect({ servers: cluster.urls });
 * await nc.close();
 * ```
 */
export class NatsCluster implements AsyncDisposable {
  /** The servers, in start order. */
  readonly servers: NatsServer[];

  private constructor(servers: NatsServer[]) {
    this.servers = servers;
  }

  /** Starts `n` servers (each with `opts`) and waits until their routes are up (and, with JetStream, healthy). */
  static async start(n: number, opts: ServerOptions = {}): Promise<NatsCluster> {
    const host = opts.host ?? defaultHost;
    const clusterPorts: number[] = [];
    for (let i = 0; i < n; i++) clusterPorts.push(await host.freePort());
    const routes = clusterPorts.map((p) => `nats-route://127.0.0.1:${p}`).join(", ");
    const servers: NatsServer[] = [];
    try {
      for (let i = 0; i < n; i++) {
        const config = [
          `cluster { name: "natsw"; listen: 127.0.0.1:${clusterPorts[i]}; routes: [${routes}] }`,
          opts.config ?? "",
        ].join("\n");
        servers.push(await NatsServer.start({ ...opts, monitor: true, name: `s${i + 1}`, config }));
      }
      const cluster = new NatsCluster(servers);
      await cluster.waitForRoutes();
      if (opts.jetstream && !await cluster.waitForHealthy(15_000)) {
        throw new Error("the cluster's JetStream did not become healthy within 15 s");
      }
      return cluster;
    } catch (err) {
      for (const s of servers) await s.printLog();
      await Promise.all(servers.map((s) => s.stop()));
      throw err;
    }
  }

  /** Waits up to `timeout` ms until every running server has a route to every other one; throws if not. */
  async waitForRoutes(timeout = 10_000): Promise<void> {
    const want = this.servers.length - 1;
    const deadline = Date.now() + timeout;
    const routes = async (s: NatsServer) => {
      const r = await httpGet(`http://127.0.0.1:${s.monitorPort}/routez`, 1000);
      return (r?.json as { num_routes?: number } | undefined)?.num_routes ?? 0;
    };
    while (Date.now() < deadline) {
      // a pair of servers may hold several pooled routes: at least one per peer is enough
      const counts = await Promise.all(this.servers.filter((s) => s.running).map(routes));
      if (counts.every((c) => c >= want)) return;
      await sleep(50);
    }
    throw new Error(`cluster routes did not form within ${timeout} ms`);
  }

  /** Client URLs of every server. */
  get urls(): string[] {
    return this.servers.map((s) => s.url);
  }

  /** Waits up to `timeout` ms until every server answers `/healthz`; true when they all did. */
  async waitForHealthy(timeout: number): Promise<boolean> {
    const deadline = Date.now() + timeout;
    while (Date.now() < deadline) {
      const ok = await Promise.all(this.servers.map((s) => s.healthz(Math.max(100, deadline - Date.now()))));
      if (ok.every((v) => v)) return true;
      await sleep(100);
    }
    return false;
  }

  /** Stops every server and removes their folders. */
  async stop(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.stop()));
  }

  /** Same as {@link NatsCluster.stop}. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
