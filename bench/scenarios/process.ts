/**
 * Scenarios that need a fresh process per client so memory and start-up are measured cleanly:
 * `slowsub-1M-128` and `coldstart`. Children live in bench/child/.
 */
import { RawConn } from "../raw.ts";
import { type BenchContext, type ClientKind, metric, type RunResult, type Scenario } from "../types.ts";
import { median, payload } from "../util.ts";

const here = new URL(".", import.meta.url);

/** A child deno process whose stdout is read line by line (JSON per line). */
class Child {
  readonly #proc: Deno.ChildProcess;
  readonly #lines: AsyncIterator<string>;

  constructor(ctx: BenchContext, script: string, args: string[]) {
    const path = new URL(`../child/${script}`, here).pathname;
    this.#proc = new Deno.Command(ctx.denoBin, {
      args: ["run", "-A", "--config", ctx.config, path, ...args],
      stdin: "null",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    this.#lines = lines(this.#proc.stdout)[Symbol.asyncIterator]();
  }

  /** The next JSON line the child prints. */
  async next(): Promise<Record<string, number>> {
    const r = await this.#lines.next();
    if (r.done) throw new Error("child exited without a result");
    return JSON.parse(r.value);
  }

  /** Waits for exit; throws on a non-zero status. */
  async done(): Promise<void> {
    while (!(await this.#lines.next()).done) {
      // drain
    }
    const st = await this.#proc.status;
    if (!st.success) throw new Error(`child exited with code ${st.code}`);
  }
}

async function* lines(stream: ReadableStream<Uint8Array>): AsyncIterable<string> {
  let buf = "";
  for await (const text of stream.pipeThrough(new TextDecoderStream())) {
    buf += text;
    let i: number;
    while ((i = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, i).trim();
      buf = buf.slice(i + 1);
      if (line.startsWith("{")) yield line;
    }
  }
}

let serial = 0;

const slowsub: Scenario = {
  name: "slowsub-1M-128",
  async run(client: ClientKind, ctx: BenchContext): Promise<RunResult> {
    const n = ctx.n(1_000_000);
    const subject = `bench.slow.${client}.${++serial}`;
    const child = new Child(ctx, "slowsub.ts", [client, ctx.url, subject, String(n)]);
    await child.next(); // ready
    // A neutral raw publisher in this process floods the subject (pre-encoded frames).
    const raw = await RawConn.open(ctx.url);
    try {
      await raw.publish(subject, payload(128), n);
    } finally {
      raw.close();
    }
    const r = await child.next();
    await child.done();
    const kept = r.received - r.dropped;
    return {
      metrics: [
        metric("peak RSS", r.peakRssMiB, "MiB", "lower"),
        metric("queued (pending)", r.pending, "msgs", "none"),
        metric("dropped", r.dropped, "msgs", "none"),
      ],
      extra: { count: n, ...r, kept },
    };
  },
};

const coldstart: Scenario = {
  name: "coldstart",
  async run(client: ClientKind, ctx: BenchContext): Promise<RunResult> {
    const script = client === "ours" ? "coldstart_ours.ts" : "coldstart_official.ts";
    const once = async () => {
      const t = performance.now();
      const child = new Child(ctx, script, [ctx.url]);
      const r = await child.next();
      await child.done();
      return { wall: performance.now() - t, inProcess: r.ms, rss: r.peakRssMiB };
    };
    await once(); // fills Deno's module and code caches
    const runs = [];
    for (let i = 0; i < (ctx.quick ? 3 : 7); i++) runs.push(await once());
    return {
      metrics: [
        metric("wall", median(runs.map((r) => r.wall)), "ms", "lower"),
        metric("in-process", median(runs.map((r) => r.inProcess)), "ms", "lower"),
        metric("peak RSS", median(runs.map((r) => r.rss)), "MiB", "lower"),
      ],
      extra: { runs: runs.length },
    };
  },
};

/** slowsub-1M-128 and coldstart. */
export const scenarios: Scenario[] = [slowsub, coldstart];
