// The demo: publish/subscribe, headers, request/reply and no-responders against $NATS_URL.
// Run with `deno task demo`; it needs only --allow-net for the server and --allow-env=NATS_URL.
import { connect, headers, NoRespondersError } from "../mod.ts";

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

console.log(`  round trip: ${(await nc.rtt()).toFixed(3)} ms; stats: ${JSON.stringify(nc.stats())}`);
await nc.drain();
console.log("drained and closed");
