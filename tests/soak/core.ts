/**
 * Core publish/subscribe under faults. Publishers send `<epoch> <seq>` (epoch: disconnects the
 * publisher has seen, so the connection a message left on), subscribers check, per publisher:
 *
 * - at most once: no sequence number twice;
 * - in order: a number below one already received is allowed only when it left on an earlier
 *   connection of the publisher (a frozen server processes its socket buffer after the publisher
 *   has moved on to another server — core NATS orders messages per connection only); counted as
 *   "late";
 * - gaps allowed (at most once), but after the faults every publisher's final message arrives.
 *
 * @module
 */
import { connect, type NatsConnection, OutboundBufferFullError } from "../../mod.ts";
import { Bitset, connectOptions, type Report, sleep, until, type Workload } from "./common.ts";

/** Messages each publisher sends per 10 ms tick. */
const BATCH = 10;

class Publisher {
  readonly id: number;
  readonly nc: NatsConnection;
  epoch = 0;
  seq = 0;
  refused = 0;
  #running = true;
  #loop: Promise<void> | undefined;

  constructor(id: number, nc: NatsConnection) {
    this.id = id;
    this.nc = nc;
    (async () => {
      for await (const s of nc.status()) if (s.type === "disconnect") this.epoch++;
    })();
  }

  start(): void {
    this.#loop = (async () => {
      while (this.#running) {
        for (let i = 0; i < BATCH; i++) this.#publish();
        await sleep(10);
      }
    })();
  }

  #publish(): boolean {
    const seq = this.seq++;
    try {
      this.nc.publish(`soak.core.${this.id}`, `${this.epoch} ${seq}`);
      return true;
    } catch (err) {
      // told at once, nothing kept: a gap the publisher knows of
      if (!(err instanceof OutboundBufferFullError)) throw err;
      this.refused++;
      return false;
    }
  }

  /** Stops the loop and sends one final message; resolves with its sequence number. */
  async stop(): Promise<number> {
    this.#running = false;
    await this.#loop;
    const last = this.seq;
    if (!this.#publish()) throw new Error("final message refused");
    await this.nc.flush().catch(() => {});
    return last;
  }
}

/** What one subscriber saw of one publisher. */
class Stream {
  readonly seen = new Bitset();
  max = -1;
  maxEpoch = 0;
  late = 0;
}

class Subscriber {
  readonly nc: NatsConnection;
  readonly streams: Stream[];
  readonly #report: Report;
  readonly #name: string;

  constructor(name: string, nc: NatsConnection, publishers: number, report: Report) {
    this.#name = name;
    this.nc = nc;
    this.#report = report;
    this.streams = Array.from({ length: publishers }, () => new Stream());
    nc.subscribe("soak.core.*", {
      callback: (err, m) => {
        if (err) return report.violation("core", `${name}: subscription error ${err.message}`);
        const p = Number(m.subject.slice("soak.core.".length));
        const [epoch, seq] = m.string().split(" ").map(Number);
        this.#check(p, epoch, seq);
      },
    });
  }

  #check(p: number, epoch: number, seq: number): void {
    const s = this.streams[p];
    if (!s.seen.add(seq)) {
      this.#report.violation("core", `${this.#name}: publisher ${p} message ${seq} received twice`);
      return;
    }
    if (seq > s.max) {
      s.max = seq;
      s.maxEpoch = epoch;
    } else if (epoch < s.maxEpoch) {
      s.late++;
    } else {
      this.#report.violation(
        "core",
        `${this.#name}: publisher ${p} message ${seq} (epoch ${epoch}) after ${s.max} of the same connection`,
      );
    }
  }
}

/** Two publishers, two subscribers, each on its own connection. */
export class CoreWorkload implements Workload {
  readonly name = "core";
  readonly #pubs: Publisher[];
  readonly #subs: Subscriber[];
  #finals: number[] = [];

  private constructor(pubs: Publisher[], subs: Subscriber[]) {
    this.#pubs = pubs;
    this.#subs = subs;
  }

  /** Connects everything and starts publishing. */
  static async start(urls: string[], report: Report): Promise<CoreWorkload> {
    const pubs: Publisher[] = [];
    const subs: Subscriber[] = [];
    for (let i = 0; i < 2; i++) {
      subs.push(new Subscriber(`sub${i}`, await connect(connectOptions(urls, `core-sub${i}`)), 2, report));
    }
    for (const s of subs) await s.nc.flush();
    for (let i = 0; i < 2; i++) pubs.push(new Publisher(i, await connect(connectOptions(urls, `core-pub${i}`))));
    await sleep(500); // interest reaches every server over the routes
    for (const p of pubs) p.start();
    return new CoreWorkload(pubs, subs);
  }

  async stop(): Promise<void> {
    this.#finals = await Promise.all(this.#pubs.map((p) => p.stop()));
  }

  async verify(report: Report, timeout: number): Promise<void> {
    const arrived = () => this.#subs.every((s) => this.#finals.every((f, p) => s.streams[p].seen.has(f)));
    if (!await until(arrived, timeout)) {
      for (const [i, s] of this.#subs.entries()) {
        for (const [p, f] of this.#finals.entries()) {
          if (!s.streams[p].seen.has(f)) report.violation("core", `sub${i} never got publisher ${p}'s final message`);
        }
      }
    }
  }

  summary(): string {
    const sent = this.#pubs.map((p) => `p${p.id} sent ${p.seq} (refused ${p.refused}, epochs ${p.epoch})`);
    const got = this.#subs.map((s, i) =>
      `sub${i} got ${s.streams.map((x) => x.seen.size).join("/")} (late ${s.streams.map((x) => x.late).join("/")})`
    );
    return `core: ${sent.join(", ")}; ${got.join(", ")}`;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#pubs, ...this.#subs].map((x) => x.nc.close()));
  }
}
