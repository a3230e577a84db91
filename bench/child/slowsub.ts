/**
 * Child process of `slowsub-1M-128`: subscribes with an async iterator that is never read, prints
 * `{"ready":true}`, then waits while the parent floods the subject, and prints what it holds:
 * peak RSS, messages received, pending in the subscription's queue, dropped.
 * Usage: deno run -A bench/child/slowsub.ts <ours|official> <url> <subject> <count>
 */
import { peakRssMiB, rssMiB, waitCount } from "../util.ts";

interface SubView {
  getReceived(): number;
  getPending(): number;
  getDropped?(): number;
}

const [client, url, subject, count] = Deno.args;
const n = Number(count);
let sub: SubView;
let close: () => Promise<void>;
let statuses = 0;
if (client === "ours") {
  const { connect } = await import("../../mod.ts");
  const nc = await connect({ servers: url });
  sub = nc.subscribe(subject);
  (async () => {
    for await (const s of nc.status()) if (s.type === "slowConsumer") statuses++;
  })();
  await nc.flush();
  close = () => nc.close();
} else {
  const { connect } = await import("@nats-io/transport-node");
  const nc = await connect({ servers: url, noAsyncTraces: true });
  sub = nc.subscribe(subject);
  (async () => {
    for await (const s of nc.status()) if (s.type === "slowConsumer") statuses++;
  })();
  await nc.flush();
  close = () => nc.close();
}
console.log(JSON.stringify({ ready: true }));
const start = performance.now();
const received = await waitCount(() => sub.getReceived(), n, 5_000);
const ms = performance.now() - start;
console.log(JSON.stringify({
  received,
  pending: sub.getPending(),
  dropped: sub.getDropped?.() ?? 0,
  slowConsumerEvents: statuses,
  peakRssMiB: peakRssMiB(),
  rssMiB: rssMiB(),
  ms,
}));
await close();
