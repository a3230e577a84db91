import assert from "node:assert/strict";
import { connect, createInbox } from "../mod.ts";
import {
  type ConsumerNotification,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  type JsMsg,
  nanos,
} from "../jetstream/mod.ts";
import { NatsServer } from "./helpers/server.ts";

Deno.test("jetstream ordered - reads in order from every start position", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "O", subjects: ["o.>"], storage: "memory" });
  const js = jetstream(nc);
  for (let i = 1; i <= 6; i++) await js.publish(`o.${i % 2 ? "odd" : "even"}`, `v${i}`);
  const all = await js.consumers.get("O");
  const fetched = await Array.fromAsync(await all.fetch({ max_messages: 6, expires: 1000 }));
  assert.deepEqual(fetched.map((m) => m.seq), [1, 2, 3, 4, 5, 6]);
  const more = await all.next({ expires: 1000 });
  assert.equal(more, null);
  await js.publish("o.odd", "v7");
  assert.equal((await all.next({ expires: 2000 }))?.seq, 7);
  // fetch exactly as many as expected, so each fetch ends as soon as they arrive
  const read = async (opts: Parameters<typeof js.consumers.get>[1], n: number) => {
    const c = await js.consumers.get("O", opts);
    return (await Array.fromAsync(await c.fetch({ max_messages: n, expires: 5000 }))).map((m) => m.seq);
  };
  assert.deepEqual(await read({ deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: 5 }, 3), [5, 6, 7]);
  assert.deepEqual(await read({ deliver_policy: DeliverPolicy.Last }, 1), [7]);
  assert.deepEqual(await read({ deliver_policy: DeliverPolicy.LastPerSubject }, 2), [6, 7]);
  assert.deepEqual(await read({ filter_subjects: "o.even" }, 3), [2, 4, 6]);
  assert.deepEqual(await read({ deliver_policy: DeliverPolicy.StartTime, opt_start_time: new Date(0) }, 7), [
    1,
    2,
    3,
    4,
    5,
    6,
    7,
  ]);
});

Deno.test("jetstream ordered - consume recreates the consumer after it is deleted", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "O", subjects: ["o.>"], storage: "memory" });
  const js = jetstream(nc);
  for (let i = 1; i <= 5; i++) await js.publish("o.a", `v${i}`);
  const oc = await js.consumers.get("O", { filter_subjects: ["o.a"] });
  const messages = await oc.consume({ max_messages: 3, expires: 2000, idle_heartbeat: 500 });
  const notes: ConsumerNotification[] = [];
  (async () => {
    for await (const s of messages.status()) notes.push(s);
  })();
  const seqs: number[] = [];
  let deleted = false;
  for await (const m of messages) {
    seqs.push(m.seq);
    if (m.seq === 3 && !deleted) {
      deleted = true;
      const name = (await oc.info(true)).name;
      await jsm.consumers.delete("O", name);
      for (let i = 6; i <= 8; i++) await js.publish("o.a", `v${i}`);
    }
    if (seqs.length === 8) break;
  }
  assert.deepEqual(seqs, [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.ok(notes.some((n) => n.type === "ordered_consumer_recreated"));
  assert.deepEqual((await Array.fromAsync(jsm.consumers.names("O"))).length, 1);
});

Deno.test("jetstream push - a push consumer with heartbeats and flow control delivers everything", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "PU", subjects: ["pu"], storage: "memory" });
  const js = jetstream(nc);
  const payload = new Uint8Array(16 * 1024);
  await Promise.all(Array.from({ length: 300 }, () => js.publish("pu", payload)));
  await jsm.consumers.add("PU", {
    durable_name: "push",
    deliver_subject: createInbox(),
    ack_policy: "explicit",
    flow_control: true,
    idle_heartbeat: nanos(1000),
    max_ack_pending: 1000,
  });
  const pc = await js.consumers.getPushConsumer("PU", "push");
  const messages = await pc.consume();
  let fc = 0;
  (async () => {
    for await (const s of messages.status()) if (s.type === "flow_control") fc++;
  })();
  let n = 0;
  for await (const m of messages as AsyncIterable<JsMsg>) {
    m.ack();
    if (++n === 300) break;
  }
  assert.equal(n, 300);
  assert.ok(fc > 0, "flow control requests were answered");
  await assert.rejects(() => js.consumers.get("PU", "push"));
});
