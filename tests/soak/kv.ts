/**
 * Key-Value under faults: an R3 bucket keeping 64 revisions per key, one writer putting a counter
 * on a few keys in turn (a failed put is not retried: the next put carries the next counter), and
 * a watcher started before the first put. What NATS promises, and what is checked:
 *
 * - the watcher's ordered consumer resumes after the last sequence it delivered, so it sees every
 *   revision still in the stream: every acknowledged put appears, with its value;
 * - revisions strictly increase, overall and per key (and so does the counter of acknowledged
 *   puts of a key). A put whose acknowledgement was lost may appear anywhere or not at all.
 *
 * The history limit is what makes "every acknowledged put" a fair claim only within a window: 64
 * revisions per key over 4 keys, with the writer at about 8 puts a second, keep each revision for
 * about 30 s. A watcher whose consumer went away with its server recovers well within that: two
 * missed 5 s heartbeats, then the consumer is recreated after the last revision seen.
 *
 * @module
 */
import { connect, type NatsConnection } from "../../mod.ts";
import { type Bucket, Kvm, type KvWatcher } from "../../kv/mod.ts";
import { connectOptions, errorName, type Report, retrying, sleep, until, type Workload } from "./common.ts";

const KEYS = ["k0", "k1", "k2", "k3"];

/** The writer and the watcher, each on its own connection. */
export class KvWorkload implements Workload {
  readonly name = "kv";
  readonly #writerNc: NatsConnection;
  readonly #watcherNc: NatsConnection;
  readonly #kv: Bucket;
  readonly #watchKv: Bucket;
  readonly #report: Report;
  /** revision → counter, of every acknowledged put. */
  readonly #acked = new Map<number, number>();
  /** revision → counter, of every entry the watcher delivered. */
  readonly #seen = new Map<number, number>();
  readonly #lastRevByKey = new Map<string, number>();
  #lastRev = 0;
  #counter = 0;
  #failed = 0;
  #errors = new Map<string, number>();
  #watcherRestarts = 0;
  #skipped = 0;
  #running = true;
  #writer: Promise<void> | undefined;
  #watchLoop: Promise<void> | undefined;
  #watcher: KvWatcher | undefined;

  private constructor(writerNc: NatsConnection, watcherNc: NatsConnection, kv: Bucket, watchKv: Bucket, r: Report) {
    this.#writerNc = writerNc;
    this.#watcherNc = watcherNc;
    this.#kv = kv;
    this.#watchKv = watchKv;
    this.#report = r;
  }

  /** Creates the bucket, starts the watcher, then the writer. */
  static async start(urls: string[], report: Report): Promise<KvWorkload> {
    const writerNc = await connect(connectOptions(urls, "kv-writer"));
    const watcherNc = await connect(connectOptions(urls, "kv-watcher"));
    const kv = await retrying("kv bucket", () =>
      new Kvm(writerNc, { timeout: 3000 }).create("soak", {
        replicas: 3,
        history: 64,
      }));
    const watchKv = await retrying("kv open", () => new Kvm(watcherNc).open("soak"));
    const w = new KvWorkload(writerNc, watcherNc, kv, watchKv, report);
    w.#watcher = await retrying("kv watch", () => watchKv.watch({ include: "history" }));
    w.#watchLoop = w.#watch();
    w.#writer = w.#write();
    return w;
  }

  async #watch(): Promise<void> {
    while (this.#running || this.#watcher) {
      const watcher = this.#watcher;
      if (!watcher) break;
      try {
        for await (const e of watcher) this.#onEntry(e.key, e.revision, e.string());
      } catch {
        // the watch ended with an error: resumed below
      }
      if (!this.#running) break;
      // a watcher should not end by itself; if it does, the next one resumes after the last revision seen
      this.#watcherRestarts++;
      await sleep(500);
      this.#watcher = await this.#watchKv.watch({ resumeFromRevision: this.#lastRev + 1 }).catch(() => watcher);
    }
  }

  #onEntry(key: string, revision: number, value: string): void {
    if (revision <= this.#lastRev) {
      this.#report.violation("kv", `watcher: revision ${revision} after ${this.#lastRev}`);
    }
    const lastOfKey = this.#lastRevByKey.get(key) ?? 0;
    if (revision <= lastOfKey) this.#report.violation("kv", `watcher: ${key} revision ${revision} after ${lastOfKey}`);
    // only this writer writes the bucket: a jump skips revisions (unacknowledged or rolled out)
    if (revision > this.#lastRev + 1) this.#skipped += revision - this.#lastRev - 1;
    this.#lastRev = Math.max(this.#lastRev, revision);
    this.#lastRevByKey.set(key, Math.max(lastOfKey, revision));
    this.#seen.set(revision, Number(value.split(" ")[1]));
  }

  async #write(): Promise<void> {
    const lastAcked = new Map<string, { counter: number; rev: number }>();
    while (this.#running) {
      const c = this.#counter++;
      const key = KEYS[c % KEYS.length];
      try {
        const rev = await this.#kv.put(key, `${key} ${c}`);
        const prev = lastAcked.get(key);
        if (prev && rev <= prev.rev) {
          this.#report.violation(
            "kv",
            `put ${key}=${c} acked at revision ${rev}, not after ${prev.rev} (${prev.counter})`,
          );
        }
        lastAcked.set(key, { counter: c, rev });
        this.#acked.set(rev, c);
      } catch (err) {
        this.#failed++;
        const name = errorName(err);
        this.#errors.set(name, (this.#errors.get(name) ?? 0) + 1);
        await sleep(100);
      }
      await sleep(100);
    }
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#writer;
  }

  async verify(report: Report, timeout: number): Promise<void> {
    const missing = () => [...this.#acked.keys()].filter((rev) => !this.#seen.has(rev));
    await until(() => missing().length === 0, timeout);
    const lost = missing();
    if (lost.length) {
      report.violation("kv", `watcher never saw ${lost.length} acknowledged puts (revisions ${lost.slice(0, 5)}…)`);
    }
    for (const [rev, c] of this.#acked) {
      const v = this.#seen.get(rev);
      if (v !== undefined && v !== c) report.violation("kv", `revision ${rev}: watcher saw counter ${v}, put ${c}`);
    }
    const w = this.#watcher;
    this.#watcher = undefined;
    await w?.stop();
    await this.#watchLoop;
  }

  summary(): string {
    const errs = [...this.#errors].map(([k, v]) => `${k} ${v}`).join(", ") || "none";
    return `kv: puts ${this.#counter} (acked ${this.#acked.size}, failed ${this.#failed}: ${errs}), ` +
      `watcher saw ${this.#seen.size} (skipped ${this.#skipped}, restarts ${this.#watcherRestarts})`;
  }

  async close(): Promise<void> {
    await Promise.all([this.#writerNc.close(), this.#watcherNc.close()]);
  }
}
