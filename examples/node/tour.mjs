// A tour of natsw on Node 20+ from the npm package: pub/sub, request/reply, JetStream, KV, object
// store and a service; the same steps as examples/deno/tour.ts.
//
//   npm install natsw && node tour.mjs nats://127.0.0.1:4222
//
// (the server needs JetStream: `nats-server -js`). Prints one line per step, then "tour: ok".
import { connect } from "natsw";
import { jetstream, jetstreamManager } from "natsw/jetstream";
import { Kvm } from "natsw/kv";
import { Objm } from "natsw/obj";
import { Svcm } from "natsw/service";

const nc = await connect({ servers: process.argv[2] ?? "nats://127.0.0.1:4222", name: "tour" });
try {
  // pub/sub: a subscription that stops after three messages
  const sub = nc.subscribe("tour.greet.*", { max: 3 });
  for (const who of ["ann", "bob", "cy"]) nc.publish(`tour.greet.${who}`, `hello ${who}`);
  const got = [];
  for await (const m of sub) got.push(m.string());
  console.log(`pubsub: ${got.join(", ")}`);

  // request/reply
  nc.subscribe("tour.time", { callback: (_err, m) => m.respond("noon") });
  console.log(`request: ${(await nc.request("tour.time")).string()}`);

  // JetStream: a stream, a publish with its ack, and the message read back
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "TOUR", subjects: ["tour.orders.>"] });
  const ack = await jetstream(nc).publish("tour.orders.1", "one pizza");
  console.log(`jetstream: seq ${ack.seq} = ${(await jsm.streams.getMessage("TOUR", { seq: ack.seq }))?.string()}`);

  // KV
  const kv = await new Kvm(nc).create("tour");
  await kv.put("color", "blue");
  console.log(`kv: color = ${(await kv.get("color"))?.string()}`);

  // object store
  const os = await new Objm(nc).create("tour");
  await os.putBlob({ name: "hello.txt" }, new TextEncoder().encode("hello, objects"));
  console.log(`obj: hello.txt = ${new TextDecoder().decode((await os.getBlob("hello.txt")) ?? undefined)}`);

  // a service with one endpoint, called like any request
  const svc = await new Svcm(nc).add({ name: "tour", version: "1.0.0" });
  svc.addEndpoint("upper", { subject: "tour.upper", handler: (_err, m) => void m.respond(m.string().toUpperCase()) });
  console.log(`service: ${(await nc.request("tour.upper", "shout")).string()}`);
  await svc.stop();

  console.log("tour: ok");
} finally {
  await nc.close();
}
