import assert from "node:assert/strict";
import { connect } from "../mod.ts";
import {
  type ConsumerNotification,
  jetstream,
  jetstreamManager,
  JetStreamStatusError,
  type JsMsg,
  nanos,
} from "../jetstream/mod.ts";
import { NatsServer } from "./helpers/server.ts";
import { waitFor } from "./helpers/util.ts";

Deno.test("jetstream priority - overflow serves a pull only above min_pending", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "PR", subjects: ["pr"], storage: "memory" });
  await jsm.consumers.add("PR", {
    durable_name: "o",
    ack_policy: "explicit",
    priority_groups: ["g"],
    priority_policy: "overflow",
  });
  const js = jetstream(nc);
  for (let i = 0; i < 5; i++) await js.publish("pr", `${i}`);
  const c = await js.consumers.get("PR", "o");
  const none = await Array.fromAsync(await c.fetch({ max_messages: 5, expires: 1000, group: "g", min_pending: 10 }));
  assert.equal(none.length, 0);
  const some = await Array.fromAsync(await c.fetch({ max_messages: 5, expires: 1000, group: "g", min_pending: 3 }));
  // served while 5, 4 and 3 messages are pending; stops once fewer than 3 remain
  assert.deepEqual(some.map((m) => m.string()), ["0", "1", "2"]);
  const missing = await c.fetch({ max_messages: 1, expires: 1000 });
  await assert.rejects(
    () => Array.fromAsync(missing),
    (e: unknown) => e instanceof JetStreamStatusError && e.code === 400,
  );
});

Deno.test("jetstream priority - pinned client gets everything until unpinned", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "PN", subjects: ["pn"], storage: "memory" });
  await jsm.consumers.add("PN", {
    durable_name: "p",
    ack_policy: "explicit",
    priority_groups: ["g"],
    priority_policy: "pinned_client",
    priority_timeout: nanos(60_000),
  });
  const js = jetstream(nc);
  const c = await js.consumers.get("PN", "p");
  const got: Record<string, JsMsg[]> = { a: [], b: [] };
  const pins: Record<string, string[]> = { a: [], b: [] };
  const start = async (who: "a" | "b") => {
    const messages = await c.consume({
      group: "g",
      max_messages: 10,
      expires: 2000,
      callback: (m) => {
        got[who].push(m);
        m.ack();
      },
    });
    (async () => {
      for await (const s of messages.status() as AsyncIterable<ConsumerNotification>) {
        if (s.type === "consumer_pinned") pins[who].push(s.id);
      }
    })();
    return messages;
  };
  const a = await start("a");
  await js.publish("pn", "first");
  await waitFor(() => got.a.length === 1, "a pinned");
  const b = await start("b");
  for (let i = 0; i < 5; i++) await js.publish("pn", `x${i}`);
  await waitFor(() => got.a.length === 6, "a gets everything");
  assert.equal(got.b.length, 0);
  assert.equal(pins.a.length, 1);
  assert.equal(got.a[0].headers?.get("Nats-Pin-Id"), pins.a[0]);
  await a.close();
  await jsm.consumers.unpin("PN", "p", "g");
  for (let i = 0; i < 3; i++) await js.publish("pn", `y${i}`);
  await waitFor(() => got.b.length === 3, "b pinned after unpin");
  assert.equal(pins.b.length, 1);
  assert.notEqual(pins.b[0], pins.a[0]);
  await b.close();
});
