/**
 * The fault injector: every few seconds one random node of the cluster is killed (and restarted
 * a moment later), restarted at once, frozen for a moment (SIGSTOP/SIGCONT) or put in lame duck
 * mode (and restarted once it has exited). The next fault waits until every node answers
 * `/healthz` again, so at most one node is ever down and R3 assets keep their quorum.
 *
 * @module
 */
import type { NatsCluster, NatsServer } from "../helpers/server.ts";
import { type Report, type Rng, sleep } from "./common.ts";

/** The kinds of fault, with their weights. */
const KINDS = ["kill", "kill", "kill", "restart", "restart", "restart", "pause", "pause", "lameDuck"] as const;
/** A kind of fault. */
export type FaultKind = typeof KINDS[number];

/** Longest wait for the cluster to be healthy again after a fault. */
const RECOVERY_MS = 90_000;

/** Injects faults until stopped. */
export class Chaos {
  readonly counts = new Map<FaultKind, number>();
  readonly #cluster: NatsCluster;
  readonly #rng: Rng;
  readonly #report: Report;
  readonly #log: (line: string) => void;
  #running = true;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;

  constructor(cluster: NatsCluster, rng: Rng, report: Report, log: (line: string) => void) {
    this.#cluster = cluster;
    this.#rng = rng;
    this.#report = report;
    this.#log = log;
  }

  /** Faults injected so far. */
  get total(): number {
    let n = 0;
    for (const c of this.counts.values()) n += c;
    return n;
  }

  /** Starts injecting; the first fault comes after a few seconds. */
  start(): void {
    this.#loop = (async () => {
      while (this.#running) {
        await this.#pause(this.#rng.int(2000, 5000));
        if (!this.#running) break;
        const i = this.#rng.int(0, this.#cluster.servers.length - 1);
        const kind = this.#rng.pick(KINDS);
        this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
        const started = Date.now();
        await this.#inject(this.#cluster.servers[i], kind);
        if (!await this.#cluster.waitForHealthy(RECOVERY_MS)) {
          this.#report.violation("cluster", `not healthy ${RECOVERY_MS / 1000} s after ${kind} of s${i + 1}`);
        }
        this.#log(`fault ${this.total}: ${kind} s${i + 1}, healthy again after ${Date.now() - started} ms`);
      }
    })();
  }

  /** Sleeps `ms`, or less when stopped. */
  async #pause(ms: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await new Promise<void>((resolve) => {
      this.#wake = resolve;
      timer = setTimeout(resolve, ms);
    });
    clearTimeout(timer);
    this.#wake = undefined;
  }

  async #inject(node: NatsServer, kind: FaultKind): Promise<void> {
    switch (kind) {
      case "kill":
        await node.kill();
        await sleep(this.#rng.int(500, 4000));
        await node.restart();
        break;
      case "restart":
        await node.restart();
        break;
      case "pause":
        await node.pause();
        await sleep(this.#rng.int(1000, 5000));
        node.resume();
        break;
      case "lameDuck":
        // lame_duck_duration is at least 30 s: the server spreads its clients' closing over it, then exits
        node.lameDuck();
        if (!await node.waitForExit(45_000)) this.#log("lame duck: no exit after 45 s, killing");
        await node.restart();
        break;
    }
  }

  /** Stops after the fault in progress (and its recovery). */
  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
  }
}
