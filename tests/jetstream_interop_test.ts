import assert from "node:assert/strict";
import { connect as officialConnect } from "@nats-io/transport-node";
import { jetstream as officialJetstream, jetstreamManager as officialManager } from "@nats-io/jetstream";
import { connect } from "../mod.ts";
import { jetstream, jetstreamManager } from "../jetstream/mod.ts";
import { NatsServer } from "./helpers/server.ts";

Deno.test("jetstream interop - the official client reads what natsw wrote", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "IO", subjects: ["io.>"], storage: "memory" });
  await jsm.consumers.add("IO", { durable_name: "reader", ack_policy: "explicit" });
  const js = jetstream(nc);
  await Promise.all(Array.from({ length: 20 }, (_, i) => js.publish(`io.${i}`, `natsw ${i}`, { msgID: `n${i}` })));
  const onc = await officialConnect({ servers: srv.url });
  try {
    const ojs = officialJetstream(onc);
    const c = await ojs.consumers.get("IO", "reader");
    const got: string[] = [];
    for await (const m of await c.fetch({ max_messages: 20, expires: 2000 })) {
      got.push(m.string());
      assert.equal(m.info.streamSequence, got.length);
      m.ack();
    }
    assert.deepEqual(got, Array.from({ length: 20 }, (_, i) => `natsw ${i}`));
    const ojsm = await officialManager(onc);
    const si = await ojsm.streams.info("IO");
    assert.equal(si.state.messages, 20);
  } finally {
    await onc.close();
  }
  assert.equal((await jsm.consumers.info("IO", "reader")).num_ack_pending, 0);
});

Deno.test("jetstream interop - natsw reads what the official client wrote", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  const onc = await officialConnect({ servers: srv.url });
  try {
    const ojsm = await officialManager(onc);
    await ojsm.streams.add({ name: "OI", subjects: ["oi.>"], allow_direct: true });
    await ojsm.consumers.add("OI", { durable_name: "natsw", ack_policy: "explicit" } as never);
    const ojs = officialJetstream(onc);
    for (let i = 0; i < 20; i++) await ojs.publish(`oi.${i % 4}`, `official ${i}`, { msgID: `o${i}` });
  } finally {
    await onc.close();
  }
  await using nc = await connect({ servers: srv.url });
  const js = jetstream(nc);
  const c = await js.consumers.get("OI", "natsw");
  const messages = await c.consume({ max_messages: 7, expires: 2000 });
  const got: string[] = [];
  for await (const m of messages) {
    got.push(m.string());
    await m.ackAck();
    if (got.length === 20) break;
  }
  assert.deepEqual(got, Array.from({ length: 20 }, (_, i) => `official ${i}`));
  const jsm = await jetstreamManager(nc);
  assert.equal((await jsm.direct.getMessage("OI", { last_by_subj: "oi.3" }))?.string(), "official 19");
  const oc = await js.consumers.get("OI", { filter_subjects: "oi.1" });
  const odd = await Array.fromAsync(await oc.fetch({ max_messages: 5, expires: 2000 }));
  assert.deepEqual(odd.map((m) => m.string()), [1, 5, 9, 13, 17].map((i) => `official ${i}`));
});
