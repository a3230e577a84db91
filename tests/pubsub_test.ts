import assert from "node:assert/strict";
import { connect, headers, InvalidSubjectError, type Msg } from "../mod.ts";
import { NatsServer } from "./helpers/server.ts";
import { take } from "./helpers/util.ts";

Deno.test("pubsub - publish and subscribe with and without headers", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url });
  const sub = nc.subscribe("greet");
  const h = headers();
  h.append("X-Id", "1");
  h.append("X-Id", "2");
  h.set("Content-Type", "text/plain");
  nc.publish("greet", "plain");
  nc.publish("greet", new Uint8Array([1, 2, 3]), { headers: h });
  nc.publish("greet");
  const [a, b, c] = await take(sub, 3);
  assert.equal(a.string(), "plain");
  assert.equal(a.headers, undefined);
  assert.deepEqual(b.data, new Uint8Array([1, 2, 3]));
  assert.deepEqual(b.headers?.values("X-Id"), ["1", "2"]);
  assert.equal(b.headers?.get("Content-Type"), "text/plain");
  assert.equal(b.headers?.get("content-type"), "");
  assert.equal(c.data.length, 0);
  assert.equal(a.subject, "greet");
  await nc.close();
});

Deno.test("pubsub - wildcard subjects decode the subject of each message", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url });
  const star = nc.subscribe("orders.*.created");
  const tail = nc.subscribe("orders.>");
  nc.publish("orders.eu.created", "1");
  nc.publish("orders.us.created", "2");
  nc.publish("orders.us.deleted.now", "3");
  const s = await take(star, 2);
  assert.deepEqual(s.map((m) => m.subject), ["orders.eu.created", "orders.us.created"]);
  const t = await take(tail, 3);
  assert.deepEqual(t.map((m) => m.subject), ["orders.eu.created", "orders.us.created", "orders.us.deleted.now"]);
  await nc.close();
});

Deno.test("pubsub - callbacks receive messages and reply subjects", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url });
  const got: Msg[] = [];
  const done = Promise.withResolvers<void>();
  nc.subscribe("cb", {
    callback: (err, m) => {
      assert.equal(err, null);
      got.push(m);
      if (got.length === 2) done.resolve();
    },
  });
  nc.publish("cb", "x", { reply: "r.1" });
  nc.publish("cb", "y");
  await done.promise;
  assert.equal(got[0].reply, "r.1");
  assert.equal(got[1].reply, undefined);
  assert.equal(got[1].string(), "y");
  await nc.close();
});

Deno.test("pubsub - queue groups share the work", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url });
  const counts = [0, 0, 0];
  const subs = counts.map((_, i) => nc.subscribe("work", { queue: "workers", callback: () => counts[i]++ }));
  const plain = nc.subscribe("work", { callback: () => {} });
  await nc.flush();
  for (let i = 0; i < 300; i++) nc.publish("work", String(i));
  await nc.flush();
  await nc.flush();
  assert.equal(counts.reduce((a, b) => a + b), 300);
  for (const c of counts) assert.ok(c > 0, `every member got work: ${counts}`);
  assert.equal(plain.getReceived(), 300);
  subs.forEach((s) => s.unsubscribe());
  await nc.close();
});

Deno.test("pubsub - auto-unsubscribe after max, and unsubscribe(max) later", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url });
  const sub = nc.subscribe("max", { max: 3 });
  for (let i = 0; i < 10; i++) nc.publish("max", String(i));
  const got = [];
  for await (const m of sub) got.push(m.string());
  assert.deepEqual(got, ["0", "1", "2"]);
  assert.equal(sub.isClosed(), true);

  const later = nc.subscribe("later");
  nc.publish("later", "a");
  await nc.flush();
  later.unsubscribe(2);
  for (let i = 0; i < 5; i++) nc.publish("later", "b");
  const all = [];
  for await (const m of later) all.push(m.string());
  assert.deepEqual(all, ["a", "b"]);
  await nc.close();
});

Deno.test("pubsub - echo off does not deliver own messages", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url, noEcho: true });
  const other = await connect({ servers: srv.url });
  const sub = nc.subscribe("e");
  await nc.flush();
  nc.publish("e", "mine");
  other.publish("e", "theirs");
  await other.flush();
  const [m] = await take(sub, 1);
  assert.equal(m.string(), "theirs");
  await nc.flush();
  assert.equal(sub.getReceived(), 1);
  await nc.close();
  await other.close();
});

Deno.test("pubsub - invalid subjects and queues throw before anything is sent", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url });
  for (const bad of ["", "a..b", ".a", "a.", "a b", "a\tb", "a.*", "a.>"]) {
    assert.throws(() => nc.publish(bad, "x"), InvalidSubjectError, `publish '${bad}'`);
  }
  for (const bad of ["", "a..b", "a >", "a.>.b", "a b"]) {
    assert.throws(() => nc.subscribe(bad), InvalidSubjectError, `subscribe '${bad}'`);
  }
  assert.throws(() => nc.subscribe("ok", { queue: "has space" }), InvalidSubjectError);
  assert.throws(() => nc.publish("ok", "x", { reply: "bad reply" }), InvalidSubjectError);
  // the connection is still healthy
  const sub = nc.subscribe("ok.*");
  nc.publish("ok.1", "fine");
  const [m] = await take(sub, 1);
  assert.equal(m.string(), "fine");
  assert.equal(nc.stats().outMsgs, 1);
  await nc.close();
});

Deno.test("pubsub - large messages split across reads arrive intact", async () => {
  await using srv = await NatsServer.start({ config: "max_payload: 8MB" });
  const nc = await connect({ servers: srv.url });
  const sub = nc.subscribe("big");
  const sizes = [0, 1, 65535, 65536, 300_000, 4 * 1024 * 1024, 8 * 1024 * 1024];
  const payloads = sizes.map((n) => {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = (i * 31 + n) & 0xff;
    return b;
  });
  for (const p of payloads) nc.publish("big", p);
  const got = await take(sub, payloads.length, 20_000);
  got.forEach((m, i) => assert.deepEqual(m.data, payloads[i], `payload of ${sizes[i]} bytes`));
  await nc.close();
});

Deno.test("pubsub - bursts of large messages reuse write buffers without mixing up payloads", async () => {
  await using srv = await NatsServer.start({ config: "max_payload: 2MB" });
  const nc = await connect({ servers: srv.url });
  const sub = nc.subscribe("bulk");
  // sizes above the 128 KiB write chunk, shrinking and growing, so buffers written by one burst
  // are refilled by the next with frames of other sizes
  const sizes = [131_073, 600_000, 140_000, 1_500_000, 200_000, 131_100, 900_000, 135_000];
  const payloads: Uint8Array[] = [];
  for (let round = 0; round < 6; round++) {
    for (const n of sizes) {
      const b = new Uint8Array(n);
      const seed = payloads.length;
      for (let i = 0; i < n; i++) b[i] = (i * 13 + seed * 7) & 0xff;
      payloads.push(b);
      nc.publish("bulk", b);
    }
    await nc.flush(); // the burst is written; its buffers go back to the pool
  }
  const got = await take(sub, payloads.length, 20_000);
  got.forEach((m, i) => assert.deepEqual(m.data, payloads[i], `message ${i} (${payloads[i].length} bytes)`));
  await nc.close();
});
