import assert from "node:assert/strict";
import { connect } from "../mod.ts";
import { jetstream, type JetStreamManager, jetstreamManager, type PubAck, type StreamInfo } from "../jetstream/mod.ts";
import { NatsCluster } from "./helpers/server.ts";
import { delay, waitFor } from "./helpers/util.ts";

Deno.test("jetstream cluster - R3 stream keeps every acked message once across leader stepdowns", async () => {
  await using cluster = await NatsCluster.start(3, { jetstream: true });
  await using nc = await connect({ servers: cluster.urls, maxReconnectAttempts: -1 });
  let jsm: JetStreamManager | undefined;
  let si: StreamInfo | undefined;
  await waitFor(
    async () => {
      try {
        jsm ??= await jetstreamManager(nc);
        si = await jsm.streams.add({ name: "R3", subjects: ["r3.>"], num_replicas: 3, storage: "file" });
        return true;
      } catch {
        return false;
      }
    },
    "R3 stream created",
    20_000,
  );
  assert.equal(si!.config.num_replicas, 3);
  const js = jetstream(nc, { timeout: 2000 });
  const N = 600;
  const acks: PubAck[] = [];
  const publishOne = async (i: number) => {
    for (let attempt = 0;; attempt++) {
      try {
        acks[i] = await js.publish(`r3.${i % 7}`, `m${i}`, { msgID: `id-${i}`, retries: 5 });
        return;
      } catch (err) {
        if (attempt > 20) throw err;
        await delay(100);
      }
    }
  };
  const leaderNow = async () => (await jsm!.streams.info("R3").catch(() => undefined))?.cluster?.leader ?? "";
  let changes = 0;
  const window = 50;
  for (let base = 0; base < N; base += window) {
    const batch = Array.from({ length: Math.min(window, N - base) }, (_, k) => publishOne(base + k));
    if (base === 200 || base === 400) {
      const before = await leaderNow();
      const r = await jsm!.api.request<{ success: boolean }>("STREAM.LEADER.STEPDOWN.R3");
      assert.equal(r.success, true);
      await Promise.all(batch);
      await waitFor(async () => ![before, ""].includes(await leaderNow()), "a new leader", 10_000);
      changes++;
    } else await Promise.all(batch);
  }
  await waitFor(
    async () => {
      try {
        return (await jsm!.streams.info("R3")).state.messages === N;
      } catch {
        return false;
      }
    },
    "all messages stored",
    15_000,
  );
  assert.equal(changes, 2);
  assert.equal(new Set(acks.map((a) => a.seq)).size, N);
  const oc = await js.consumers.get("R3");
  const read = await Array.fromAsync(await oc.fetch({ max_messages: N, expires: 10_000 }));
  assert.equal(read.length, N);
  assert.deepEqual(new Set(read.map((m) => m.string())), new Set(Array.from({ length: N }, (_, i) => `m${i}`)));
});
