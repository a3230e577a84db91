/**
 * JetStream under faults: an R3 stream, a publisher that gives every message a `msgID` and
 * republishes it with the same id until it is acknowledged (the dedupe window makes that safe), a
 * durable pull consumer (`consume()`) and an ordered consumer. Checks:
 *
 * - every acknowledged message is in the stream exactly once, and no message is there twice;
 * - the pull consumer saw every acknowledged message (redeliveries allowed);
 * - the ordered consumer saw every acknowledged message, stream sequences strictly increasing.
 *
 * @module
 */
import { connect, type NatsConnection } from "../../mod.ts";
import {
  AckPolicy,
  type ConsumerMessages,
  DeliverPolicy,
  jetstream,
  type JetStreamClient,
  type JetStreamManager,
  jetstreamManager,
} from "../../jetstream/mod.ts";
import { Bitset, connectOptions, errorName, type Report, retrying, sleep, until, type Workload } from "./common.ts";

const STREAM = "SOAK";
const SUBJECT = "soak.js";
/** Publishes in flight at once. */
const WORKERS = 4;
/** Attempts per message before the publisher gives up on it. */
const ATTEMPTS = 60;

/** Counts a consumer's messages until it is stopped, starting it again if it ends on its own. */
class Reader {
  readonly seen = new Bitset();
  restarts = 0;
  lastSeq = 0;
  received = 0;
  #running = true;
  #messages: ConsumerMessages | undefined;
  #loop: Promise<void> | undefined;

  constructor(
    readonly name: string,
    readonly ack: boolean,
    readonly open: (reader: Reader) => Promise<ConsumerMessages>,
    readonly onMessage: (n: number, seq: number, reader: Reader) => void,
  ) {}

  start(): void {
    this.#loop = (async () => {
      while (this.#running) {
        try {
          this.#messages = await this.open(this);
          if (!this.#running) break;
          for await (const m of this.#messages) {
            this.received++;
            this.onMessage(Number(m.string()), m.info.streamSequence, this);
            if (this.ack) m.ack();
          }
        } catch {
          // a consume that could not start or ended with an error: start again
        }
        if (this.#running) {
          this.restarts++;
          await sleep(500);
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#messages?.close();
    await this.#loop;
  }
}

/** The publisher, the pull consumer and the ordered consumer, each on its own connection. */
export class JsWorkload implements Workload {
  readonly name = "js";
  readonly #pubNc: NatsConnection;
  readonly #js: JetStreamClient;
  readonly #jsm: JetStreamManager;
  readonly #readerNcs: NatsConnection[];
  readonly #readers: Reader[];
  readonly #report: Report;
  readonly acked = new Bitset();
  #next = 0;
  #running = true;
  #workers: Promise<void>[] = [];
  dedupeHits = 0;
  retries = 0;
  gaveUp = 0;
  errors = new Map<string, number>();

  private constructor(
    pubNc: NatsConnection,
    jsm: JetStreamManager,
    readerNcs: NatsConnection[],
    readers: Reader[],
    report: Report,
  ) {
    this.#pubNc = pubNc;
    this.#js = jetstream(pubNc, { timeout: 3000 });
    this.#jsm = jsm;
    this.#readerNcs = readerNcs;
    this.#readers = readers;
    this.#report = report;
  }

  /** Creates the stream and the durable consumer, starts the readers and the publisher. */
  static async start(urls: string[], report: Report): Promise<JsWorkload> {
    const pubNc = await connect(connectOptions(urls, "js-pub"));
    const jsm = await retrying("jetstream manager", () => jetstreamManager(pubNc));
    await retrying(
      "stream",
      () => jsm.streams.add({ name: STREAM, subjects: [SUBJECT], num_replicas: 3, storage: "file" }),
    );
    await retrying("pull consumer", () =>
      jsm.consumers.add(STREAM, {
        durable_name: "pull",
        ack_policy: AckPolicy.Explicit,
        ack_wait: 10_000_000_000,
      }));
    const pullNc = await connect(connectOptions(urls, "js-pull"));
    const orderedNc = await connect(connectOptions(urls, "js-ordered"));
    const pullJs = jetstream(pullNc);
    const orderedJs = jetstream(orderedNc);
    const readers = [
      new Reader(
        "pull",
        true,
        async () => await (await pullJs.consumers.get(STREAM, "pull")).consume({ max_messages: 256 }),
        (n, _seq, r) => r.seen.add(n),
      ),
      new Reader(
        "ordered",
        false,
        // an ordered consumer should never end by itself; if it does, the next one goes on from where it was
        async (r) => {
          const from = r.lastSeq > 0
            ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: r.lastSeq + 1 }
            : {};
          return await (await orderedJs.consumers.get(STREAM, from)).consume({ max_messages: 256 });
        },
        (n, seq, r) => {
          if (seq <= r.lastSeq) report.violation("js", `ordered consumer: stream seq ${seq} after ${r.lastSeq}`);
          r.lastSeq = Math.max(r.lastSeq, seq);
          r.seen.add(n);
        },
      ),
    ];
    const w = new JsWorkload(pubNc, jsm, [pullNc, orderedNc], readers, report);
    for (const r of readers) r.start();
    for (let i = 0; i < WORKERS; i++) w.#workers.push(w.#work());
    return w;
  }

  async #work(): Promise<void> {
    while (this.#running) {
      const n = this.#next++;
      let acked = false;
      for (let attempt = 0; attempt < ATTEMPTS && !acked; attempt++) {
        try {
          const ack = await this.#js.publish(SUBJECT, String(n), { msgID: `soak-${n}` });
          if (ack.duplicate) this.dedupeHits++;
          this.acked.add(n);
          acked = true;
        } catch (err) {
          this.retries++;
          const name = errorName(err);
          this.errors.set(name, (this.errors.get(name) ?? 0) + 1);
          await sleep(Math.min(1000, 100 * (attempt + 1)));
        }
      }
      if (!acked) this.gaveUp++;
      await sleep(5);
    }
  }

  async stop(): Promise<void> {
    this.#running = false;
    await Promise.all(this.#workers);
  }

  async verify(report: Report, timeout: number): Promise<void> {
    const published = this.#next;
    const caughtUp = () => this.#readers.every((r) => this.#missing(r.seen, published) === 0);
    await until(caughtUp, timeout);
    for (const r of this.#readers) {
      const missing = this.#missing(r.seen, published);
      if (missing > 0) report.violation("js", `${r.name} consumer never saw ${missing} acknowledged messages`);
    }
    for (const r of this.#readers) await r.stop();
    await this.#readBack(report, published);
  }

  #missing(seen: Bitset, published: number): number {
    let missing = 0;
    for (let n = 0; n < published; n++) if (this.acked.has(n) && !seen.has(n)) missing++;
    return missing;
  }

  /** Reads the whole stream with a fresh ordered consumer: every acked message once, none twice. */
  async #readBack(report: Report, published: number): Promise<void> {
    const si = await retrying("stream info", () => this.#jsm.streams.info(STREAM));
    const last = si.state.last_seq;
    const counts = new Uint8Array(published);
    if (si.state.messages > 0) {
      const oc = await retrying("read-back consumer", () => this.#js.consumers.get(STREAM));
      const messages = await oc.consume({ max_messages: 1024 });
      const done = (async () => {
        for await (const m of messages) {
          const n = Number(m.string());
          if (n < published) counts[n] = Math.min(255, counts[n] + 1);
          if (m.info.streamSequence >= last) break;
        }
      })();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<boolean>((r) => timer = setTimeout(() => r(false), 60_000));
      const finished = await Promise.race([done.then(() => true), late]);
      clearTimeout(timer);
      await messages.close();
      await done;
      if (!finished) report.violation("js", `read-back did not reach stream sequence ${last} in 60 s`);
    }
    let missing = 0;
    let twice = 0;
    for (let n = 0; n < published; n++) {
      if (counts[n] > 1) twice++;
      if (this.acked.has(n) && counts[n] === 0) missing++;
    }
    if (missing) report.violation("js", `${missing} acknowledged messages missing from the stream`);
    if (twice) report.violation("js", `${twice} messages stored more than once`);
    this.stored = si.state.messages;
  }

  stored = 0;

  summary(): string {
    const errs = [...this.errors].map(([k, v]) => `${k} ${v}`).join(", ") || "none";
    const readers = this.#readers.map((r) => `${r.name} got ${r.received} (restarts ${r.restarts})`).join(", ");
    return `js: published ${this.#next}, acked ${this.acked.size}, gave up ${this.gaveUp}, retries ${this.retries} ` +
      `(${errs}), dedupe hits ${this.dedupeHits}, stored ${this.stored}; ${readers}`;
  }

  async close(): Promise<void> {
    await Promise.all([this.#pubNc, ...this.#readerNcs].map((nc) => nc.close()));
  }
}
