import assert from "node:assert/strict";
import { connect, headers, NoRespondersError, TimeoutError } from "../mod.ts";
import { NatsServer } from "./helpers/server.ts";

Deno.test("request - replies over the shared inbox, many in flight", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url });
  const responder = await connect({ servers: srv.url });
  responder.subscribe("svc.echo", {
    callback: (_e, m) => {
      const h = headers();
      h.set("X-Echo", m.headers?.get("X-In") ?? "none");
      m.respond(m.data, { headers: h });
    },
  });
  await responder.flush();
  const h = headers();
  h.set("X-In", "abc");
  const one = await nc.request("svc.echo", "hi", { headers: h });
  assert.equal(one.string(), "hi");
  assert.equal(one.headers?.get("X-Echo"), "abc");
  const replies = await Promise.all(Array.from({ length: 500 }, (_, i) => nc.request("svc.echo", `n${i}`)));
  replies.forEach((m, i) => assert.equal(m.string(), `n${i}`));
  await nc.close();
  await responder.close();
});

Deno.test("request - no responders is a typed error at once", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url });
  const start = performance.now();
  await assert.rejects(nc.request("nobody.home", "x", { timeout: 5000 }), (err: unknown) => {
    assert.ok(err instanceof NoRespondersError);
    assert.equal(err.subject, "nobody.home");
    return true;
  });
  assert.ok(performance.now() - start < 4000, "did not wait for the timeout");
  await assert.rejects(nc.request("nobody.home", "x", { noMux: true }), NoRespondersError);
  await nc.close();
});

Deno.test("request - timeout when the responder never answers", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url });
  nc.subscribe("silent", { callback: () => {} });
  await assert.rejects(nc.request("silent", "x", { timeout: 150 }), (err: unknown) => {
    assert.ok(err instanceof TimeoutError);
    assert.equal(err.timeout, 150);
    return true;
  });
  await assert.rejects(nc.request("silent", "x", { timeout: 150, noMux: true }), TimeoutError);
  await nc.close();
});

Deno.test("request - noMux and a custom reply subject", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url });
  nc.subscribe("q", { callback: (_e, m) => m.respond(`reply to ${m.reply}`) });
  const m = await nc.request("q", "", { reply: "my.own.reply" });
  assert.equal(m.string(), "reply to my.own.reply");
  const n = await nc.request("q", "", { noMux: true });
  assert.match(n.string(), /^reply to _INBOX\./);
  await nc.close();
});

Deno.test("requestMany - stops by count, by time, by stall and by sentinel", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url });
  for (let i = 0; i < 3; i++) {
    nc.subscribe("many", { callback: (_e, m) => m.respond(`r${i}`) });
  }
  nc.subscribe("stream", {
    callback: (_e, m) => {
      for (let i = 0; i < 5; i++) m.respond(`part${i}`);
      m.respond();
    },
  });
  await nc.flush();
  const collect = async (it: Promise<AsyncIterable<{ string(): string }>>) => {
    const out: string[] = [];
    for await (const m of await it) out.push(m.string());
    return out;
  };
  assert.equal((await collect(nc.requestMany("many", "", { maxMessages: 2, maxWait: 2000 }))).length, 2);
  let t = performance.now();
  assert.equal((await collect(nc.requestMany("many", "", { maxWait: 300 }))).length, 3);
  assert.ok(performance.now() - t >= 250);
  t = performance.now();
  assert.equal((await collect(nc.requestMany("many", "", { maxWait: 5000, stall: 100 }))).length, 3);
  assert.ok(performance.now() - t < 4000, "stall ended it early");
  assert.deepEqual(await collect(nc.requestMany("stream", "", { maxWait: 5000, sentinel: true })), [
    "part0",
    "part1",
    "part2",
    "part3",
    "part4",
  ]);
  await assert.rejects(collect(nc.requestMany("nothing.here", "", { maxWait: 1000 })), NoRespondersError);
  await nc.close();
});
