/**
 * Key-Value benchmark: sequential puts, then sequential gets, over `n` keys (default 1,000), for
 * natsw (`kv/`) and for the official client (`@nats-io/kv` over `@nats-io/transport-node`), each
 * on its own memory bucket of the same server in the same run. Results are operations per second.
 *
 * Run alone: `deno run -A bench/kv_bench.ts nats://127.0.0.1:4222 1000`
 *
 * @module
 */
import { connect } from "../mod.ts";
import { Kvm } from "../kv/mod.ts";
import { connect as connectOfficial } from "@nats-io/transport-node";
import { Kvm as OfficialKvm } from "@nats-io/kv";

const WARMUP = 100;
const VALUE = new Uint8Array(128).fill(0x61);

/** What both clients' buckets offer the benchmark. */
interface BenchBucket {
  put(key: string, value: Uint8Array): Promise<number>;
  get(key: string): Promise<unknown>;
}

async function timeOps(n: number, op: (i: number) => Promise<unknown>): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < n; i++) await op(i);
  return n / ((performance.now() - start) / 1000);
}

async function measure(kv: BenchBucket, n: number): Promise<{ put: number; get: number }> {
  for (let i = 0; i < WARMUP; i++) await kv.put(`warm.${i}`, VALUE);
  for (let i = 0; i < WARMUP; i++) await kv.get(`warm.${i}`);
  const put = await timeOps(n, (i) => kv.put(`key.${i}`, VALUE));
  const get = await timeOps(n, async (i) => {
    if (!await kv.get(`key.${i}`)) throw new Error(`key.${i} missing`);
  });
  return { put, get };
}

async function benchOurs(url: string, n: number, bucket: string): Promise<{ put: number; get: number }> {
  const nc = await connect({ servers: url });
  try {
    const kvm = new Kvm(nc);
    const kv = await kvm.create(bucket, { storage: "memory" });
    try {
      return await measure(kv, n);
    } finally {
      await kv.destroy();
    }
  } finally {
    await nc.close();
  }
}

async function benchOfficial(url: string, n: number, bucket: string): Promise<{ put: number; get: number }> {
  const nc = await connectOfficial({ servers: url });
  try {
    const kv = await new OfficialKvm(nc).create(bucket, { storage: "memory" });
    try {
      return await measure(kv, n);
    } finally {
      await kv.destroy();
    }
  } finally {
    await nc.close();
  }
}

/**
 * Sequential puts then gets over `n` keys (ops/s) for natsw and the official client.
 *
 * @example
 * ```ts ignore
 * const r = await kvBench("nats://127.0.0.1:4222", 1000);
 * console.log(r.ours.put, r.official.put);
 * ```
 */
export async function kvBench(
  url: string,
  n: number = 1000,
): Promise<{ ours: { put: number; get: number }; official: { put: number; get: number } }> {
  const id = crypto.randomUUID().replaceAll("-", "").slice(0, 12);
  const ours = await benchOurs(url, n, `bench_ours_${id}`);
  const official = await benchOfficial(url, n, `bench_official_${id}`);
  return { ours, official };
}

if (import.meta.main) {
  const [url = "nats://127.0.0.1:4222", n = "1000"] = Deno.args;
  console.log(JSON.stringify(await kvBench(url, Number(n))));
}
