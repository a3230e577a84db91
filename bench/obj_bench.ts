/**
 * Object store benchmark: put and get throughput (MiB/s) and peak RSS of one object of
 * `sizeBytes`, for natsw (`obj/`) and for the official client (`@nats-io/obj` over
 * `@nats-io/transport-node`), against the same server. Each client runs in its own subprocess so
 * its peak RSS (Linux `VmHWM`, else sampled) is its own. Both buckets use memory storage (like the
 * KV bench): with file storage the server's disk writes dominated and swung 3× between rounds.
 *
 * Run alone: `deno run -A bench/obj_bench.ts nats://127.0.0.1:4222 1073741824`
 *
 * @module
 */
import { connect } from "../mod.ts";
import { Objm } from "../obj/mod.ts";
import { connect as connectOfficial } from "@nats-io/transport-node";
import { Objm as OfficialObjm } from "@nats-io/obj";
import { StorageType } from "@nats-io/jetstream";

/** Results of one client. */
export interface ObjClientResult {
  /** Put throughput, MiB/s. */
  put: number;
  /** Get throughput, MiB/s. */
  get: number;
  /** Peak resident set size of the client's process, MiB. */
  peakRssMiB: number;
}

const PIECE = 1024 * 1024;
const MiB = 1024 * 1024;

/** A stream of `size` bytes in fresh 1 MiB pieces (never the whole object in memory). */
function source(size: number): ReadableStream<Uint8Array> {
  const template = new Uint8Array(PIECE + 256);
  for (let i = 0; i < template.length; i++) template[i] = (i * 131 + (i >> 7)) & 0xff;
  let sent = 0;
  return new ReadableStream({
    pull(c) {
      if (sent >= size) return c.close();
      const n = Math.min(PIECE, size - sent);
      const off = (sent / PIECE) & 0xff;
      c.enqueue(template.slice(off, off + n));
      sent += n;
    },
  });
}

async function drain(rs: ReadableStream<Uint8Array>): Promise<number> {
  let n = 0;
  for await (const p of rs) n += p.length;
  return n;
}

function peakRssMiB(sampled: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync("/proc/self/status"));
    if (m) return Number(m[1]) / 1024;
  } catch { /* not Linux */ }
  return sampled / MiB;
}

/** Runs one client in this process: put then get; prints the result as JSON. */
async function runChild(which: string, url: string, size: number): Promise<ObjClientResult> {
  let peak = 0;
  const sampler = setInterval(() => peak = Math.max(peak, Deno.memoryUsage().rss), 20);
  const bucket = `bench_${which}_${crypto.randomUUID().slice(0, 8)}`;
  try {
    let put: number, get: number;
    if (which === "ours") {
      const nc = await connect({ servers: url });
      try {
        const os = await new Objm(nc).create(bucket, { storage: "memory" });
        let t = performance.now();
        await os.put({ name: "blob" }, source(size));
        put = size / MiB / ((performance.now() - t) / 1000);
        t = performance.now();
        const r = await os.get("blob");
        if ((await drain(r!.data)) !== size || await r!.error) throw new Error("natsw get failed");
        get = size / MiB / ((performance.now() - t) / 1000);
        await os.destroy();
      } finally {
        await nc.close();
      }
    } else {
      const nc = await connectOfficial({ servers: url });
      try {
        const os = await new OfficialObjm(nc).create(bucket, { storage: StorageType.Memory });
        let t = performance.now();
        await os.put({ name: "blob" }, source(size));
        put = size / MiB / ((performance.now() - t) / 1000);
        t = performance.now();
        const r = await os.get("blob");
        if ((await drain(r!.data)) !== size || await r!.error) throw new Error("official get failed");
        get = size / MiB / ((performance.now() - t) / 1000);
        await os.destroy();
      } finally {
        await nc.close();
      }
    }
    peak = Math.max(peak, Deno.memoryUsage().rss);
    return { put, get, peakRssMiB: peakRssMiB(peak) };
  } finally {
    clearInterval(sampler);
  }
}

async function spawn(which: string, url: string, size: number): Promise<ObjClientResult> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", import.meta.filename!, "--child", which, url, String(size)],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  if (!out.success) throw new Error(`obj bench ${which} failed: ${new TextDecoder().decode(out.stderr)}`);
  return JSON.parse(text.split("\n").at(-1)!) as ObjClientResult;
}

/**
 * Puts and gets one object of `sizeBytes` with each client (each in a subprocess) and returns
 * MiB/s and peak RSS.
 */
export async function objBench(
  url: string,
  sizeBytes: number,
): Promise<{ ours: ObjClientResult; official: ObjClientResult }> {
  const ours = await spawn("ours", url, sizeBytes);
  const official = await spawn("official", url, sizeBytes);
  return { ours, official };
}

if (import.meta.main) {
  if (Deno.args[0] === "--child") {
    console.log(JSON.stringify(await runChild(Deno.args[1], Deno.args[2], Number(Deno.args[3]))));
  } else {
    const url = Deno.args[0] ?? "nats://127.0.0.1:4222";
    console.log(JSON.stringify(await objBench(url, Number(Deno.args[1] ?? 256 * MiB)), null, 2));
  }
}
