// The demo: publish/subscribe, headers, request/reply, no-responders, then (when the server has
// JetStream) a stream with a pull consumer, a KV bucket, an object and a service, against $NATS_URL.
// Run with `deno task demo`; it needs only --allow-net for the server and --allow-env=NATS_URL.
import { connect, headers, NoRespondersError } from "../mod.ts";
import { jetstream, jetstreamManager } from "../jetstream/mod.ts";
import { Kvm } from "../kv/mod.ts";
import { Objm } from "../obj/mod.ts";
import { Svcm } from "../service/mod.ts";

const url = Deno.env.get("NATS_URL") ?? "nats://127.0.0.1:4222";
const nc = await connect({ servers: url, name: "natsw-demo" });
console.log(`connected to ${nc.getServer()} (nats-server ${nc.info?.version})`);

// publish / subscribe with a wildcard, iterated with for-await
const sub = nc.subscribe("demo.greet.*", { max: 3 });
const done = (async () => {
  for await (const m of sub) {
    console.log(`  received ${m.subject}: ${m.string()}${m.headers ? ` [X-Lang=${m.headers.get("X-Lang")}]` : ""}`);
  }
})();
const h = headers();
h.set("X-Lang", "en");
nc.publish("demo.greet.alice", "hello alice");
nc.publish("demo.greet.bob", "hello bob", { headers: h });
nc.publish("demo.greet.carol", "hello carol");
await done;

// request / reply through a callback responder
nc.subscribe("demo.time", { callback: (_err, m) => m.respond(new Date().toISOString()) });
const reply = await nc.request("demo.time", "", { timeout: 1000 });
console.log(`  request demo.time → ${reply.string()}`);

// no responders is a typed error, reported at once
try {
  await nc.request("demo.nobody", "", { timeout: 1000 });
} catch (err) {
  if (err instanceof NoRespondersError) console.log(`  request demo.nobody → ${err.name}: ${err.message}`);
  else throw err;
}

// a service, discoverable with `nats micro ls`
const svc = await new Svcm(nc).add({ name: "demo", version: "1.0.0", description: "upper-cases text" });
svc.addEndpoint("upper", (_err, m) => m.respond(m.string().toUpperCase()));
console.log(`  service demo.upper → ${(await nc.request("upper", "shout")).string()}`);
await svc.stop();

if (nc.info?.jetstream) {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "DEMO", subjects: ["demo.orders.>"], storage: "memory" });
  const js = jetstream(nc);
  const acks = await Promise.all([1, 2, 3].map((i) => js.publish(`demo.orders.${i}`, `order ${i}`)));
  console.log(`  JetStream: stored ${acks.map((a) => a.seq).join(", ")} in ${acks[0].stream}`);
  await jsm.consumers.add("DEMO", { durable_name: "worker", ack_policy: "explicit" });
  const consumer = await js.consumers.get("DEMO", "worker");
  for await (const m of await consumer.fetch({ max_messages: 3, expires: 1000 })) {
    console.log(`  JetStream: consumed ${m.subject} "${m.string()}" (stream sequence ${m.info.streamSequence})`);
    m.ack();
  }
  await jsm.streams.delete("DEMO");

  const kv = await new Kvm(nc).create("demo", { history: 3 });
  const rev = await kv.put("color", "blue");
  await kv.update("color", "green", rev);
  console.log(`  KV: color = ${(await kv.get("color"))?.string()} (revision ${(await kv.get("color"))?.revision})`);
  await kv.destroy();

  const os = await new Objm(nc).create("demo");
  const blob = new Uint8Array(300_000).map((_, i) => i & 0xff);
  const info = await os.putBlob({ name: "blob.bin" }, blob);
  const back = await os.getBlob("blob.bin");
  console.log(
    `  Object store: ${info.size} bytes in ${info.chunks} chunks, read back ${back?.length} bytes, ${info.digest}`,
  );
  await os.destroy();
} else {
  console.log("  (the server has no JetStream: skipping streams, KV and objects)");
}

console.log(`  round trip: ${(await nc.rtt()).toFixed(3)} ms; stats: ${JSON.stringify(nc.stats())}`);
await nc.drain();
console.log("drained and closed");
