import assert from "node:assert/strict";
import {
  ClosedConnectionError,
  connect,
  DrainingConnectionError,
  MaxPayloadExceededError,
  type Status,
  type Subscription,
} from "../mod.ts";
import { NatsServer } from "./helpers/server.ts";
import { delay, take, waitFor } from "./helpers/util.ts";

Deno.test("lifecycle - flush, rtt, stats and server info", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url, name: "lifecycle" });
  assert.equal(nc.info?.port, srv.port);
  assert.equal(typeof nc.info?.server_id, "string");
  assert.equal(nc.getServer(), srv.hostport);
  nc.subscribe("s", { callback: () => {} });
  nc.publish("s", "12345");
  await nc.flush();
  assert.ok((await nc.rtt()) >= 0);
  const st = nc.stats();
  assert.equal(st.outMsgs, 1);
  assert.equal(st.inMsgs, 1);
  assert.ok(st.inBytes > 0 && st.outBytes > 0);
  await nc.close();
});

Deno.test("lifecycle - drain delivers everything published before it, then closes", async () => {
  await using srv = await NatsServer.start();
  const pub = await connect({ servers: srv.url });
  const nc = await connect({ servers: srv.url });
  const sub = nc.subscribe("d");
  const got: string[] = [];
  const reading = (async () => {
    for await (const m of sub) {
      got.push(m.string());
      if (got.length % 100 === 0) await delay(1);
    }
  })();
  await nc.flush();
  for (let i = 0; i < 1000; i++) pub.publish("d", String(i));
  await pub.flush();
  const statuses: Status["type"][] = [];
  (async () => {
    for await (const s of nc.status()) statuses.push(s.type);
  })();
  nc.publish("d.mine", "x");
  const draining = nc.drain();
  assert.equal(nc.isDraining(), true);
  assert.throws(() => nc.subscribe("late"), DrainingConnectionError);
  await draining;
  await reading;
  assert.equal(got.length, 1000);
  assert.equal(got[999], "999");
  assert.equal(nc.isClosed(), true);
  assert.equal(await nc.closed(), undefined);
  assert.deepEqual(statuses, ["draining", "close"]);
  await pub.close();
});

Deno.test("lifecycle - close ends subscriptions, status and rejects later calls", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url });
  const sub = nc.subscribe("x");
  const iter = (async () => {
    const out = [];
    for await (const m of sub) out.push(m);
    return out.length;
  })();
  const status = (async () => {
    const out = [];
    for await (const s of nc.status()) out.push(s.type);
    return out;
  })();
  const pending = nc.request("nobody.listens.but.slow", "", { timeout: 10_000 }).catch((e) => e);
  await nc.close();
  assert.equal(await iter, 0);
  assert.deepEqual(await status, ["close"]);
  assert.ok(
    (await pending) instanceof ClosedConnectionError || (await pending).name === "NoRespondersError",
  );
  assert.throws(() => nc.publish("x"), ClosedConnectionError);
  assert.throws(() => nc.subscribe("x"), ClosedConnectionError);
  await assert.rejects(nc.flush(), ClosedConnectionError);
  await nc.close(); // twice is fine
});

Deno.test("lifecycle - await using drains the connection", async () => {
  await using srv = await NatsServer.start();
  let sub: Subscription;
  let closed: Promise<void | Error>;
  {
    await using nc = await connect({ servers: srv.url });
    sub = nc.subscribe("u");
    nc.publish("u", "last words");
    closed = nc.closed();
  }
  assert.equal(await closed, undefined);
  const [m] = await take(sub, 1);
  assert.equal(m.string(), "last words");
});

Deno.test("limits - payload over max_payload throws before sending and keeps the connection", async () => {
  await using srv = await NatsServer.start({ config: "max_payload: 1024" });
  const nc = await connect({ servers: srv.url });
  assert.equal(nc.info?.max_payload, 1024);
  const sub = nc.subscribe("p");
  assert.throws(() => nc.publish("p", new Uint8Array(1025)), (err: unknown) => {
    assert.ok(err instanceof MaxPayloadExceededError);
    assert.equal(err.size, 1025);
    assert.equal(err.max, 1024);
    return true;
  });
  nc.publish("p", new Uint8Array(1024));
  const [m] = await take(sub, 1);
  assert.equal(m.data.length, 1024);
  assert.equal(nc.stats().outMsgs, 1);
  await nc.close();
});

Deno.test("limits - a full subscription queue drops, counts and reports a slow consumer", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url });
  const slow = nc.subscribe("flood", { maxPendingMsgs: 100, maxPendingBytes: 1 << 20 });
  const events: Status[] = [];
  (async () => {
    for await (const s of nc.status()) events.push(s);
  })();
  const pub = await connect({ servers: srv.url });
  await nc.flush();
  for (let i = 0; i < 1000; i++) pub.publish("flood", "0123456789");
  await pub.flush();
  await waitFor(() => slow.getReceived() === 1000, "all 1000 to arrive");
  assert.equal(slow.getPending(), 100);
  assert.equal(slow.getDropped(), 900);
  const sc = events.filter((e) => e.type === "slowConsumer");
  assert.equal(sc.length, 1, "reported once per crossing, not per message");
  // reading frees room; later messages are queued again
  const first = await take(slow, 100);
  assert.equal(first[0].string(), "0123456789");
  pub.publish("flood", "after");
  await pub.flush();
  const [after] = await take(slow, 1);
  assert.equal(after.string(), "after");
  // byte limit
  const bytes = nc.subscribe("bytes", { maxPendingBytes: 1000 });
  await nc.flush();
  for (let i = 0; i < 20; i++) pub.publish("bytes", new Uint8Array(100));
  await pub.flush();
  await waitFor(() => bytes.getReceived() === 20, "byte flood");
  assert.equal(bytes.getPendingBytes(), 1000);
  assert.equal(bytes.getDropped(), 10);
  await pub.close();
  await nc.close();
});

Deno.test("keepalive - a stalled server is detected as stale", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url, pingInterval: 100, maxPingOut: 2, reconnect: false });
  const events: string[] = [];
  const watching = (async () => {
    for await (const s of nc.status()) events.push(s.type);
  })();
  await delay(250);
  assert.ok(events.includes("ping"), "client pings");
  srv.signal("SIGSTOP");
  try {
    const err = await nc.closed();
    assert.ok(events.includes("staleConnection"), `events: ${events}`);
    assert.ok(err instanceof Error);
  } finally {
    srv.signal("SIGCONT");
  }
  await watching;
});

Deno.test("keepalive - the client answers the server's PINGs", async () => {
  await using srv = await NatsServer.start({ config: 'ping_interval: "100ms"\nping_max: 2' });
  const nc = await connect({ servers: srv.url, reconnect: false });
  await delay(600);
  assert.equal(nc.isClosed(), false, "server did not drop us as stale");
  await nc.flush();
  await nc.close();
});
