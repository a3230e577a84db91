import assert from "node:assert/strict";
import { connect, ConnectionError, type NatsConnection, OutboundBufferFullError, type Status } from "../mod.ts";
import { freePort, NatsCluster, NatsServer } from "./helpers/server.ts";
import { delay, take, waitFor } from "./helpers/util.ts";

function watch(nc: NatsConnection): Status[] {
  const events: Status[] = [];
  (async () => {
    for await (const s of nc.status()) events.push(s);
  })();
  return events;
}

const fast = { reconnectTimeWait: 50, reconnectJitter: 10, maxReconnectAttempts: -1 };

Deno.test("reconnect - server restart on the same port keeps subscriptions and reports every step", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url, ...fast });
  const events = watch(nc);
  const sub = nc.subscribe("r.*", { max: 3 });
  nc.publish("r.1", "before");
  await take(sub, 1);
  await srv.restart();
  await waitFor(() => events.some((e) => e.type === "reconnect"), "reconnect");
  const types = events.map((e) => e.type);
  assert.deepEqual(types.slice(0, 1), ["disconnect"]);
  assert.ok(types.includes("reconnecting"));
  const rec = events.find((e) => e.type === "reconnecting");
  assert.ok(rec?.type === "reconnecting" && rec.attempt >= 1 && rec.server === srv.hostport);
  const other = await connect({ servers: srv.url });
  other.publish("r.2", "after");
  other.publish("r.3", "last");
  other.publish("r.4", "over max");
  await other.flush();
  const got = await take(sub, 2);
  assert.deepEqual(got.map((m) => m.string()), ["after", "last"]);
  await nc.flush();
  assert.equal(sub.isClosed(), true, "max counted across the reconnect");
  assert.equal(nc.stats().reconnects, 1);
  await other.close();
  await nc.close();
});

Deno.test("reconnect - publishes made while disconnected are sent after reconnecting, once, in order", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url, ...fast });
  const events = watch(nc);
  const sub = nc.subscribe("buf");
  await nc.flush();
  await srv.kill();
  await waitFor(() => events.some((e) => e.type === "disconnect"), "disconnect");
  for (let i = 0; i < 500; i++) nc.publish("buf", String(i));
  await assert.rejects(nc.request("buf", "x"), ConnectionError, "requests fail fast while disconnected");
  await srv.restart();
  const got = await take(sub, 500);
  assert.deepEqual(got.map((m) => Number(m.string())), Array.from({ length: 500 }, (_, i) => i));
  await nc.flush();
  assert.equal(sub.getReceived(), 500, "nothing twice");
  await nc.close();
});

Deno.test("reconnect - a full reconnect buffer throws and drops nothing it accepted", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url, ...fast, reconnectBufSize: 4096 });
  const events = watch(nc);
  const sub = nc.subscribe("full");
  await nc.flush();
  await srv.kill();
  await waitFor(() => events.some((e) => e.type === "disconnect"), "disconnect");
  let accepted = 0;
  let error: unknown;
  for (let i = 0; i < 1000; i++) {
    try {
      nc.publish("full", `m${i}`.padEnd(32, "."));
      accepted++;
    } catch (err) {
      error = err;
      break;
    }
  }
  assert.ok(error instanceof OutboundBufferFullError, "a clear error");
  assert.equal(error.limit, 4096);
  assert.ok(accepted > 50 && accepted < 200, `accepted ${accepted}`);
  await srv.restart();
  const got = await take(sub, accepted);
  assert.equal(got[accepted - 1].string(), `m${accepted - 1}`.padEnd(32, "."));
  await nc.flush();
  assert.equal(sub.getReceived(), accepted);
  await nc.close();
});

Deno.test("reconnect - forced reconnect, and waitOnFirstConnect", async () => {
  const port = freePort();
  const pending = connect({ servers: `127.0.0.1:${port}`, waitOnFirstConnect: true, ...fast });
  await delay(300);
  await using srv = await NatsServer.start({ port });
  const nc = await pending;
  assert.equal(nc.getServer(), srv.hostport);
  const events = watch(nc);
  const sub = nc.subscribe("f");
  await nc.reconnect();
  await waitFor(() => events.some((e) => e.type === "reconnect"), "reconnect");
  assert.equal(events[0].type, "forceReconnect");
  nc.publish("f", "still here");
  const [m] = await take(sub, 1);
  assert.equal(m.string(), "still here");
  await nc.close();
});

Deno.test("reconnect - no server at all fails connect with a ConnectionError", async () => {
  const port = freePort();
  await assert.rejects(connect({ servers: `127.0.0.1:${port}`, timeout: 2000 }), ConnectionError);
});

// What core NATS promises when the server a client publishes to is killed: no message twice; everything a flush
// answered by that server confirmed reached the client's own subscription (the server writes those copies before its
// PONG, on the same socket); after the reconnect to a surviving member every later message reaches every subscriber.
// Messages in flight at the kill may be lost, even ones that server already answered for: its copies for other servers
// may still sit in its route buffers.
Deno.test("cluster - discovers servers, survives a killed server: at most once, delivery resumes after", async () => {
  await using cluster = await NatsCluster.start(3);
  const [s1, s2, s3] = cluster.servers;
  await using nc = await connect({ servers: s1.url, ...fast, noRandomize: true });
  const events = watch(nc);
  await waitFor(() => nc.getServers().length === 3, "cluster discovery");
  assert.deepEqual(new Set(nc.getServers()), new Set([s1.hostport, s2.hostport, s3.hostport]));
  await using observer = await connect({ servers: s3.url });
  const seen = new Map<number, number>();
  const own = new Map<number, number>();
  const count = (m: Map<number, number>) => (_e: unknown, msg: { string(): string }) => {
    const i = Number(msg.string());
    m.set(i, (m.get(i) ?? 0) + 1);
  };
  observer.subscribe("c.data", { callback: count(seen) });
  nc.subscribe("c.data", { callback: count(own) });
  await observer.flush();
  await nc.flush();
  await delay(200); // interest propagates over the routes
  const total = 3000;
  let confirmedByFirst = -1; // the last index of a flush that s1 itself answered
  let cutSeenAt = -1; // the first index published after the client reported the disconnect
  for (let i = 0; i < total; i++) {
    if (i === 1000) void s1.kill();
    if (cutSeenAt < 0 && events.some((e) => e.type === "disconnect")) cutSeenAt = i;
    nc.publish("c.data", String(i));
    if (i % 100 === 99) {
      await nc.flush().then(() => {
        if (nc.getServer() === s1.hostport) confirmedByFirst = Math.max(confirmedByFirst, i);
      }, () => {});
    }
  }
  await waitFor(() => events.some((e) => e.type === "reconnect"), "reconnect");
  await nc.flush();
  assert.notEqual(nc.getServer(), s1.hostport);
  assert.ok(cutSeenAt > 1000, `the client reported the cut while publishing (at ${cutSeenAt})`);
  await waitFor(() => seen.has(total - 1) && own.has(total - 1), "the last message");
  await delay(100);
  for (const [i, n] of seen) assert.equal(n, 1, `message ${i} arrived ${n} times at the observer`);
  for (const [i, n] of own) assert.equal(n, 1, `message ${i} arrived ${n} times at the client`);
  assert.ok(confirmedByFirst >= 999, `s1 answered the flushes before the kill (up to ${confirmedByFirst})`);
  for (let i = 0; i <= confirmedByFirst; i++) {
    assert.ok(own.has(i), `message ${i}, confirmed by s1, reached the client`);
  }
  for (let i = cutSeenAt; i < total; i++) {
    assert.ok(seen.has(i), `message ${i} (published after the disconnect) arrived`);
    assert.ok(own.has(i), `message ${i} reached the client's own subscription`);
  }
});

Deno.test("cluster - lame duck mode moves the client to another server", async () => {
  await using cluster = await NatsCluster.start(2, {
    config: 'lame_duck_duration: "30s"\nlame_duck_grace_period: "1s"',
  });
  const [s1, s2] = cluster.servers;
  const nc = await connect({ servers: s1.url, ...fast });
  const events = watch(nc);
  await waitFor(() => nc.getServers().length === 2, "discovery");
  const sub = nc.subscribe("ldm");
  await nc.flush();
  s1.lameDuck();
  await waitFor(() => events.some((e) => e.type === "ldm"), "ldm status");
  await waitFor(() => nc.getServer() === s2.hostport, "moved to s2", 5000);
  const other = await connect({ servers: s2.url });
  other.publish("ldm", "moved");
  const [m] = await take(sub, 1);
  assert.equal(m.string(), "moved");
  await other.close();
  await nc.close();
});

Deno.test("reconnect - a custom delay handler paces attempts; requests may survive a reconnect", async () => {
  await using srv = await NatsServer.start();
  let calls = 0;
  const nc = await connect({
    servers: srv.url,
    maxReconnectAttempts: -1,
    requestsSurviveDisconnect: true,
    reconnectDelayHandler: () => {
      calls++;
      return 20;
    },
  });
  const events = watch(nc);
  // the responder is on the same connection: its SUB is re-sent before the buffered request
  nc.subscribe("later", { callback: (_e, m) => m.respond(`answered ${m.string()}`) });
  await nc.flush();
  await srv.kill();
  await waitFor(() => events.some((e) => e.type === "disconnect"), "disconnect");
  // sent while disconnected: kept in the reconnect buffer and answered after the reconnect
  const pending = nc.request("later", "1", { timeout: 10_000 });
  await delay(150);
  assert.ok(calls >= 2, `the handler paced the attempts (${calls} calls)`);
  await srv.restart();
  assert.equal((await pending).string(), "answered 1");
  assert.ok(events.some((e) => e.type === "reconnect"));
  await nc.close();
});

Deno.test("reconnect - gives up after maxReconnectAttempts and closes with the last error", async () => {
  const srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url, reconnectTimeWait: 50, reconnectJitter: 0, maxReconnectAttempts: 2 });
  const events = watch(nc);
  await srv.stop();
  await waitFor(() => nc.isClosed() && events.some((e) => e.type === "close"), "close after giving up");
  const err = await nc.closed();
  assert.ok(err instanceof ConnectionError);
  assert.equal(events.filter((e) => e.type === "reconnecting").length, 2);
  assert.deepEqual(events.at(-1), { type: "close", error: err });
});
