/**
 * Service API benchmark: sequential requests per second through one service endpoint, for natsw
 * (natsw service + natsw requester) and for the official client (`@nats-io/services` service +
 * `@nats-io/transport-node` requester), against the same server in the same run.
 *
 * Run alone: `deno run -A bench/service_bench.ts nats://127.0.0.1:4222 20000`
 *
 * @module
 */
import { connect } from "../mod.ts";
import { Svcm } from "../service/mod.ts";
import { connect as connectOfficial } from "@nats-io/transport-node";
import { Svcm as OfficialSvcm } from "@nats-io/services";

const WARMUP = 200;
const PAYLOAD = new Uint8Array(128).fill(0x61);

type OfficialConnection = ConstructorParameters<typeof OfficialSvcm>[0];

/** Sends `warmup` untimed then `n` timed sequential requests; returns requests per second. */
async function timeRequests(request: () => Promise<unknown>, n: number): Promise<number> {
  for (let i = 0; i < WARMUP; i++) await request();
  const start = performance.now();
  for (let i = 0; i < n; i++) await request();
  return n / ((performance.now() - start) / 1000);
}

async function benchOurs(url: string, n: number): Promise<number> {
  const serviceNc = await connect({ servers: url });
  const requester = await connect({ servers: url });
  try {
    const service = await new Svcm(serviceNc).add({ name: "bench-ours", version: "1.0.0" });
    const subject = `bench.service.ours.${crypto.randomUUID()}`;
    service.addEndpoint("echo", { subject, handler: (_err, m) => void m.respond(m.data) });
    await serviceNc.flush();
    const rps = await timeRequests(() => requester.request(subject, PAYLOAD, { timeout: 10_000 }), n);
    await service.stop();
    return rps;
  } finally {
    await requester.close();
    await serviceNc.close();
  }
}

async function benchOfficial(url: string, n: number): Promise<number> {
  const serviceNc = await connectOfficial({ servers: url });
  const requester = await connectOfficial({ servers: url });
  try {
    // @nats-io/services 3.0.0-25 types its connection from an older nats-core; same object at runtime.
    const svcm = new OfficialSvcm(serviceNc as unknown as OfficialConnection);
    const service = await svcm.add({ name: "bench-official", version: "1.0.0" });
    const subject = `bench.service.official.${crypto.randomUUID()}`;
    service.addEndpoint("echo", { subject, handler: (_err, m) => void m.respond(m.data) });
    await serviceNc.flush();
    const rps = await timeRequests(() => requester.request(subject, PAYLOAD, { timeout: 10_000 }), n);
    await service.stop();
    return rps;
  } finally {
    await requester.close();
    await serviceNc.close();
  }
}

/**
 * Measures `n` sequential 128-byte echo requests through one service endpoint for each client
 * (after 200 warm-up requests) and returns requests per second: `{ ours, official }`.
 *
 * @example
 * ```ts ignore
 * const { ours, official } = await serviceBench("nats://127.0.0.1:4222", 20_000);
 * console.log(JSON.stringify({ name: "service-128", ours, official, ratio: ours / official }));
 * ```
 */
export async function serviceBench(url: string, n: number): Promise<{ ours: number; official: number }> {
  const ours = await benchOurs(url, n);
  const official = await benchOfficial(url, n);
  return { ours, official };
}

if (import.meta.main) {
  const [url = "nats://127.0.0.1:4222", count = "20000"] = Deno.args;
  const { ours, official } = await serviceBench(url, Number(count));
  console.log(JSON.stringify({ name: "service-128", ours: Math.round(ours), official: Math.round(official) }));
}
