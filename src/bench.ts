/**
 * {@link Bench}: nats.js's benchmark helper. It publishes, subscribes, requests and replies on one
 * connection and reports a {@link Metric} per measured part.
 *
 * @module
 */
import type { NatsConnection } from "./nats.ts";
import type { Msg } from "./msg.ts";
import { ClosedConnectionError, InvalidArgumentError } from "./errors.ts";
import { nuid } from "./nuid.ts";
import { CLIENT_LANG, CLIENT_VERSION } from "./connection/info.ts";
import { Empty } from "./util/empty.ts";
import { Perf } from "./util/perf.ts";

/**
 * One measured part of a benchmark run: `pub`, `sub`, `req`, `rep`, or the round trips `pubsub`
 * and `reqrep` when both sides ran on the connection.
 *
 * @example
 * ```ts
 * import { Metric } from "./bench.ts";
 * const m = new Metric("pub", 2000);
 * m.msgs = 100_000;
 * m.bytes = 12_800_000;
 * console.log(m.toString()); // pub 50,000 msgs/sec - [2.00 secs] ~ 6.10 MB/sec
 * ```
 */
export class Metric {
  /** The part measured. */
  name: string;
  /** Milliseconds it took. */
  duration: number;
  /** When the metric was made (ms since the epoch). */
  date: number;
  /** Payload size of each message, in bytes. */
  payload = 0;
  /** Messages counted (both directions for `pubsub` and `reqrep`). */
  msgs = 0;
  /** The client library (`lang` in CONNECT). */
  lang = "";
  /** The client library's version. */
  version = "";
  /** Bytes the connection moved for this part (from `nc.stats()`). */
  bytes = 0;
  /** True when requests were sent without waiting for each reply. */
  asyncRequests?: boolean;
  /** Smallest sample, when the part records one. */
  min?: number;
  /** Largest sample, when the part records one. */
  max?: number;

  /** Creates the metric for `name`, which took `duration` ms. */
  constructor(name: string, duration: number) {
    this.name = name;
    this.duration = duration;
    this.date = Date.now();
  }

  /** One line: rate, duration and throughput. */
  toString(): string {
    const sec = this.duration / 1000;
    const rate = Math.round(this.msgs / sec).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    const minmax = this.max ? `${this.min}/${this.max}` : "";
    return `${this.name}${this.asyncRequests ? " [asyncRequests]" : ""} ${rate} msgs/sec - [${sec.toFixed(2)} secs] ~ ${
      throughput(this.bytes, sec)
    } ${minmax}`.trimEnd();
  }

  /** One CSV row in the columns of {@link Metric.header}. */
  toCsv(): string {
    const date = new Date(this.date).toISOString();
    return `"${this.name}",${date},${this.lang},${this.version},${this.msgs},${this.payload},${this.bytes},${this.duration},${
      this.asyncRequests ?? false
    }\n`;
  }

  /** The CSV header row. */
  static header(): string {
    return "Test,Date,Lang,Version,Count,MsgPayload,Bytes,Millis,Async\n";
  }
}

/** `bytes` per `seconds`, as `1.23 MB/sec` (binary units). */
function throughput(bytes: number, seconds: number): string {
  const rate = bytes / seconds;
  const units = ["K", "M", "G", "T", "P", "E"];
  if (!(rate >= 1024)) return `${rate.toFixed(2)} B/sec`;
  const exp = Math.min(Math.floor(Math.log(rate) / Math.log(1024)), units.length);
  return `${(rate / 1024 ** exp).toFixed(2)} ${units[exp - 1]}B/sec`;
}

/** What {@link Bench} runs. Select at least one of `pub`, `sub`, `req` and `rep`. */
export interface BenchOpts {
  /** Subscribe with callbacks instead of iterators (default false). */
  callbacks?: boolean;
  /** Messages to publish, receive, request or answer (default 0). */
  msgs?: number;
  /** Payload bytes of each message (default 0). */
  size?: number;
  /** The subject (default a new NUID). */
  subject?: string;
  /** Send all requests at once instead of one after the other (default false). */
  asyncRequests?: boolean;
  /** Publish `msgs` messages. */
  pub?: boolean;
  /** Receive `msgs` messages. */
  sub?: boolean;
  /** Answer `msgs` requests. */
  rep?: boolean;
  /** Send `msgs` requests. */
  req?: boolean;
}

/**
 * Measures publish, subscribe, request and reply rates on a connection, as nats.js's `Bench`
 * does: `run()` starts the selected parts together and resolves with their {@link Metric}s
 * (`pubsub` and `reqrep` too when both sides run). Requests carry the payload; each synchronous
 * request waits the connection's request timeout, asynchronous ones 20 s. The run rejects if the
 * connection closes before it is done.
 *
 * @example
 * ```ts ignore
 * import { Bench, connect } from "@natsw/natsw";
 * const nc = await connect();
 * const metrics = await new Bench(nc, { msgs: 100_000, size: 128, pub: true, sub: true }).run();
 * for (const m of metrics) console.log(m.toString());
 * await nc.close();
 * ```
 */
export class Bench {
  /** The connection measured. */
  nc: NatsConnection;
  /** Subscriptions use callbacks. */
  callbacks: boolean;
  /** Messages per part. */
  msgs: number;
  /** Payload size. */
  size: number;
  /** The subject used. */
  subject: string;
  /** Requests are sent without waiting for each reply. */
  asyncRequests?: boolean;
  /** Publishes. */
  pub?: boolean;
  /** Subscribes. */
  sub?: boolean;
  /** Sends requests. */
  req?: boolean;
  /** Answers requests. */
  rep?: boolean;
  /** The marks and measures of the run. */
  perf: Perf = new Perf();
  /** The payload sent. */
  payload: Uint8Array;

  /** Prepares a run on `nc`; throws `InvalidArgumentError` when no part is selected or a count is invalid. */
  constructor(nc: NatsConnection, opts: BenchOpts = {}) {
    this.nc = nc;
    this.callbacks = opts.callbacks ?? false;
    this.msgs = opts.msgs ?? 0;
    this.size = opts.size ?? 0;
    this.subject = opts.subject || nuid.next();
    this.asyncRequests = opts.asyncRequests ?? false;
    this.pub = opts.pub ?? false;
    this.sub = opts.sub ?? false;
    this.req = opts.req ?? false;
    this.rep = opts.rep ?? false;
    if (!this.pub && !this.sub && !this.req && !this.rep) throw new InvalidArgumentError("no options selected");
    for (const [name, n] of [["msgs", this.msgs], ["size", this.size]] as const) {
      if (!Number.isSafeInteger(n) || n < 0) {
        throw new InvalidArgumentError(`'${name}' must be an integer, 0 or more; got ${n}`);
      }
    }
    this.payload = this.size ? new Uint8Array(this.size) : Empty;
  }

  /** Runs the selected parts and resolves with their metrics. */
  async run(): Promise<Metric[]> {
    let closedFirst = true;
    const closed = this.nc.closed().then((err) => {
      if (closedFirst) throw err ?? new ClosedConnectionError();
    });
    try {
      await Promise.race([this.callbacks ? this.runCallbacks() : this.runAsync(), closed]);
    } finally {
      closedFirst = false;
    }
    return this.processMetrics();
  }

  /** The metrics of the parts that ran, from the measures and the connection's byte counters. */
  processMetrics(): Metric[] {
    const marks = this.perf.timers;
    if (this.pub && this.sub && marks.has("pubStart") && marks.has("subStop")) {
      this.perf.measure("pubsub", "pubStart", "subStop");
    }
    if (this.req && this.rep && marks.has("reqStart") && marks.has("reqStop")) {
      this.perf.measure("reqrep", "reqStart", "reqStop");
    }
    const { inBytes, outBytes } = this.nc.stats();
    const parts: [string, number, number][] = [
      ["pubsub", this.msgs * 2, inBytes + outBytes],
      ["reqrep", this.msgs * 2, inBytes + outBytes],
      ["pub", this.msgs, outBytes],
      ["sub", this.msgs, inBytes],
      ["rep", this.msgs, inBytes + outBytes],
      ["req", this.msgs, inBytes + outBytes],
    ];
    const metrics: Metric[] = [];
    for (const [name, msgs, bytes] of parts) {
      const duration = this.perf.measures.get(name);
      if (duration === undefined) continue;
      const m = new Metric(name, duration);
      m.msgs = msgs;
      m.bytes = bytes;
      m.lang = CLIENT_LANG;
      m.version = CLIENT_VERSION;
      m.payload = this.payload.length;
      metrics.push(m);
    }
    return metrics;
  }

  /** Runs the parts with callback subscriptions. */
  async runCallbacks(): Promise<void> {
    const jobs: Promise<void>[] = [];
    if (this.sub && this.msgs > 0) jobs.push(this.#receive("sub", () => {}));
    if (this.rep && this.msgs > 0) jobs.push(this.#receive("rep", (m) => m.respond(this.payload)));
    jobs.push(...this.#senders());
    await Promise.all(jobs);
  }

  /** Runs the parts with iterated subscriptions. */
  async runAsync(): Promise<void> {
    const jobs: Promise<void>[] = [];
    if (this.rep && this.msgs > 0) jobs.push(this.#iterate("rep", (m) => m.respond(this.payload)));
    if (this.sub && this.msgs > 0) jobs.push(this.#iterate("sub", () => {}));
    jobs.push(...this.#senders());
    await Promise.all(jobs);
  }

  /** A callback subscription for `msgs` messages, measured as `name` from the first to the last. */
  #receive(name: string, handle: (m: Msg) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      let n = 0;
      const sub = this.nc.subscribe(this.subject, {
        max: this.msgs,
        callback: (err, m) => {
          if (err) return reject(err);
          handle(m);
          if (++n === 1) this.perf.mark(`${name}Start`);
          if (n === this.msgs) {
            this.perf.mark(`${name}Stop`);
            this.perf.measure(name, `${name}Start`, `${name}Stop`);
            resolve();
          }
        },
      });
      sub.closed.then((err) => err && reject(err));
    });
  }

  /** An iterated subscription for `msgs` messages, measured as `name` from the first to the end. */
  async #iterate(name: string, handle: (m: Msg) => void): Promise<void> {
    const sub = this.nc.subscribe(this.subject, { max: this.msgs });
    let first = true;
    for await (const m of sub) {
      if (first) {
        this.perf.mark(`${name}Start`);
        first = false;
      }
      handle(m);
    }
    const err = await sub.closed;
    if (err) throw err;
    if (name === "rep") await this.nc.flush();
    this.perf.mark(`${name}Stop`);
    this.perf.measure(name, `${name}Start`, `${name}Stop`);
  }

  /** The publishing and requesting parts. */
  #senders(): Promise<void>[] {
    const jobs: Promise<void>[] = [];
    if (this.pub) jobs.push(this.#publish());
    if (this.req) jobs.push(this.#request());
    return jobs;
  }

  async #publish(): Promise<void> {
    this.perf.mark("pubStart");
    for (let i = 0; i < this.msgs; i++) this.nc.publish(this.subject, this.payload);
    await this.nc.flush();
    this.perf.mark("pubStop");
    this.perf.measure("pub", "pubStart", "pubStop");
  }

  async #request(): Promise<void> {
    this.perf.mark("reqStart");
    if (this.asyncRequests) {
      const replies: Promise<unknown>[] = [];
      for (let i = 0; i < this.msgs; i++) {
        replies.push(this.nc.request(this.subject, this.payload, { timeout: 20_000 }));
      }
      await Promise.all(replies);
    } else {
      for (let i = 0; i < this.msgs; i++) await this.nc.request(this.subject, this.payload);
    }
    this.perf.mark("reqStop");
    this.perf.measure("req", "reqStart", "reqStop");
  }
}
