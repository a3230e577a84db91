import assert from "node:assert/strict";
import { connect, InvalidArgumentError, InvalidOperationError, type Msg, NoRespondersError } from "../mod.ts";
import {
  type NamedEndpointStats,
  ServiceError,
  ServiceErrorCodeHeader,
  ServiceErrorHeader,
  ServiceResponseType,
  type ServiceStats,
  Svcm,
} from "../service/mod.ts";
import type { Svcm as OfficialSvcm } from "@nats-io/services";
import { NatsServer } from "./helpers/server.ts";
import { delay, waitFor } from "./helpers/util.ts";

/**
 * @nats-io/services 3.0.0-25 declares its connection type from nats-core 3.0.0-50, while
 * transport-node 3.4.0 returns a 3.4.0 connection: the same object at runtime.
 */
function asOfficial<T>(nc: T): ConstructorParameters<typeof OfficialSvcm>[0] {
  return nc as unknown as ConstructorParameters<typeof OfficialSvcm>[0];
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of it) out.push(v);
  return out;
}

function endpoint(stats: ServiceStats, name: string): NamedEndpointStats {
  const e = stats.endpoints.find((x) => x.name === name);
  assert.ok(e, `endpoint ${name} in stats`);
  return e;
}

Deno.test("service - names, versions and group names are validated", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url });
  const svcm = new Svcm(nc);
  await assert.rejects(svcm.add({ name: "bad name", version: "1.0.0" }), InvalidArgumentError);
  await assert.rejects(svcm.add({ name: "a.b", version: "1.0.0" }), InvalidArgumentError);
  for (const version of ["1.0", "01.0.0", "1.0.0-", "v1.0.0", "1.0.0+"]) {
    await assert.rejects(svcm.add({ name: "ok", version }), InvalidArgumentError, version);
  }
  const service = await svcm.add({ name: "ok_Name-1", version: "1.2.3-rc.1+build.5" });
  assert.throws(() => service.addEndpoint("a b", () => {}), InvalidArgumentError);
  assert.throws(() => service.addGroup("a.>"), InvalidArgumentError);
  assert.throws(() => service.addGroup("a..b"), InvalidArgumentError);
  assert.throws(() => service.addEndpoint("e", { subject: "x y" }), /whitespace/);
  await assert.rejects(svcm.client().ping(undefined, "id"), InvalidArgumentError);
  await service.stop();
  assert.throws(() => service.addEndpoint("late", () => {}), InvalidOperationError);
  await nc.close();
});

Deno.test("service - PING, INFO and STATS answer on all three subject forms", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url });
  const mon = await connect({ servers: srv.url });
  const svcm = new Svcm(nc);
  const a = await svcm.add({ name: "alpha", version: "1.0.0", description: "first", metadata: { zone: "eu" } });
  const b = await svcm.add({ name: "beta", version: "2.0.0" });
  a.addEndpoint("one", { subject: "alpha.one", handler: (_e, m) => void m.respond("1"), metadata: { k: "v" } });
  await nc.flush();
  const aId = a.info().id;
  const client = new Svcm(mon).client({ maxWait: 300 });

  const all = await collect(await client.ping());
  assert.deepEqual(all.map((p) => p.name).sort(), ["alpha", "beta"]);
  const byName = await collect(await client.ping("alpha"));
  assert.equal(byName.length, 1);
  assert.deepEqual(byName[0], {
    type: ServiceResponseType.PING,
    name: "alpha",
    id: aId,
    version: "1.0.0",
    metadata: { zone: "eu" },
  });
  assert.deepEqual(await collect(await client.ping("alpha", aId)), byName);
  await assert.rejects(collect(await client.ping("alpha", "nope")), NoRespondersError);

  for (const infos of [await client.info(), await client.info("alpha"), await client.info("alpha", aId)]) {
    const info = (await collect(infos)).find((i) => i.name === "alpha");
    assert.deepEqual(info, {
      type: ServiceResponseType.INFO,
      name: "alpha",
      id: aId,
      version: "1.0.0",
      metadata: { zone: "eu" },
      description: "first",
      endpoints: [{ name: "one", subject: "alpha.one", queue_group: "q", metadata: { k: "v" } }],
    });
  }
  assert.deepEqual(a.info(), (await collect(await client.info("alpha")))[0]);

  for (const statsIt of [await client.stats(), await client.stats("beta"), await client.stats("beta", b.info().id)]) {
    const s = (await collect(statsIt)).find((x) => x.name === "beta");
    assert.ok(s);
    assert.deepEqual(Object.keys(s).sort(), ["endpoints", "id", "metadata", "name", "started", "type", "version"]);
    assert.equal(s.type, ServiceResponseType.STATS);
    assert.deepEqual(s.endpoints, []);
    assert.equal(new Date(s.started).toISOString(), s.started);
  }
  const raw = await mon.request(`$SRV.STATS.alpha.${aId}`);
  const st = raw.json<ServiceStats>();
  assert.deepEqual(Object.keys(st.endpoints[0]).sort(), [
    "average_processing_time",
    "last_error",
    "name",
    "num_errors",
    "num_requests",
    "processing_time",
    "queue_group",
    "subject",
  ]);
  await a.stop();
  await b.stop();
  await assert.rejects(collect(await client.ping()), NoRespondersError);
  await mon.close();
  await nc.close();
});

Deno.test("service - stats count requests, errors, processing time and stats handler data", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url });
  const requester = await connect({ servers: srv.url });
  const service = await new Svcm(nc).add({
    name: "counter",
    version: "0.1.0",
    statsHandler: (ep) => ({ seen: ep.subject }),
  });
  service.addEndpoint("work", async (_err, m) => {
    const n = m.json<number>();
    await delay(5);
    if (n < 0) m.respondError(400, "negative", "detail");
    else m.respond(String(n * 2));
  });
  await nc.flush();
  for (let i = 1; i <= 4; i++) assert.equal((await requester.request("work", String(i))).string(), String(i * 2));
  const bad = await requester.request("work", "-1");
  assert.equal(bad.headers?.get(ServiceErrorHeader), "negative");
  assert.equal(bad.headers?.get(ServiceErrorCodeHeader), "400");
  assert.equal(bad.string(), "detail");
  const se = ServiceError.toServiceError(bad);
  assert.ok(se instanceof ServiceError);
  assert.equal(se.code, 400);
  assert.equal(se.message, "negative");
  assert.equal(ServiceError.isServiceError(await requester.request("work", "1")), false);

  const s = endpoint(await service.stats(), "work");
  assert.equal(s.num_requests, 6);
  assert.equal(s.num_errors, 1);
  assert.equal(s.last_error, "400:negative");
  assert.ok(s.processing_time >= 6 * 4_000_000, `processing_time ${s.processing_time} ns`);
  assert.ok(Number.isInteger(s.processing_time) && Number.isInteger(s.average_processing_time));
  assert.equal(s.average_processing_time, Math.round(s.processing_time / 6));
  assert.deepEqual(s.data, { seen: "work" });
  const remote = (await collect(await new Svcm(requester).client({ maxWait: 300 }).stats("counter")))[0];
  assert.equal(endpoint(remote, "work").num_requests, 6);

  const before = (await service.stats()).started;
  await delay(5);
  service.reset();
  const r = await service.stats();
  assert.deepEqual(
    { ...endpoint(r, "work"), data: undefined },
    {
      name: "work",
      subject: "work",
      queue_group: "q",
      num_requests: 0,
      num_errors: 0,
      last_error: "",
      processing_time: 0,
      average_processing_time: 0,
      data: undefined,
    },
  );
  assert.ok(r.started > before);
  await service.stop();
  await requester.close();
  await nc.close();
});

Deno.test("service - handler exceptions answer 500, are counted, and do not stop the service", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url });
  const service = await new Svcm(nc).add({ name: "faulty", version: "1.0.0" });
  service.addEndpoint("sync", () => {
    throw new Error("sync boom\nsecond line");
  });
  service.addEndpoint("async", async () => {
    await delay(1);
    throw new TypeError("async boom");
  });
  service.addEndpoint("late", (_e, m) => {
    m.respond("ok");
    throw new Error("after reply");
  });
  const statuses: string[] = [];
  (async () => {
    for await (const s of nc.status()) statuses.push(s.type);
  })();
  for (const [subject, text] of [["sync", "sync boom second line"], ["async", "async boom"]]) {
    const reply = await nc.request(subject);
    const err = ServiceError.toServiceError(reply);
    assert.equal(err?.code, 500);
    assert.equal(err?.message, text);
  }
  const late = await nc.request("late");
  assert.equal(late.string(), "ok");
  assert.equal(ServiceError.isServiceError(late), false);
  const stats = await service.stats();
  assert.deepEqual(
    stats.endpoints.map((e) => [e.name, e.num_requests, e.num_errors, e.last_error]),
    [["sync", 1, 1, "500:sync boom\nsecond line"], ["async", 1, 1, "500:async boom"], [
      "late",
      1,
      1,
      "500:after reply",
    ]],
  );
  assert.equal(service.isStopped, false);
  assert.equal((await nc.request("async")).headers?.get(ServiceErrorCodeHeader), "500");
  assert.ok(!statuses.includes("error"), `no error status: ${statuses}`);
  await service.stop();
  await nc.close();
});

Deno.test("service - queue groups spread load; per-group, per-endpoint and disabled queues", async () => {
  await using srv = await NatsServer.start();
  const nc1 = await connect({ servers: srv.url });
  const nc2 = await connect({ servers: srv.url });
  const requester = await connect({ servers: srv.url });
  const services = [];
  for (const nc of [nc1, nc2]) {
    const s = await new Svcm(nc).add({ name: "pool", version: "1.0.0" });
    const id = s.info().id;
    s.addEndpoint("who", (_e, m) => void m.respond(id));
    s.addEndpoint("all", { queue: "", handler: (_e, m) => void m.respond(id) });
    s.addGroup("g", "gq").addEndpoint("x", (_e, m) => void m.respond(id));
    s.addGroup("h", "").addEndpoint("y", { queue: "own", handler: (_e, m) => void m.respond(id) });
    await nc.flush();
    services.push(s);
  }
  const ids = services.map((s) => s.info().id);
  const counts = new Map<string, number>();
  for (let i = 0; i < 40; i++) {
    const id = (await requester.request("who")).string();
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  assert.deepEqual([...counts.keys()].sort(), [...ids].sort());
  assert.equal([...counts.values()].reduce((a, b) => a + b), 40);

  const all = await collect(await requester.requestMany("all", "", { maxWait: 300 }));
  assert.deepEqual(all.map((m: Msg) => m.string()).sort(), [...ids].sort());
  const one = await collect(await requester.requestMany("g.x", "", { maxWait: 300 }));
  assert.equal(one.length, 1);
  assert.deepEqual(
    services[0].info().endpoints.map((e) => [e.name, e.subject, e.queue_group]),
    [["who", "who", "q"], ["all", "all", ""], ["x", "g.x", "gq"], ["y", "h.y", "own"]],
  );
  const st = endpoint(await services[0].stats(), "all");
  assert.equal(st.queue_group, "");
  assert.equal(st.num_requests, 1);
  for (const s of services) await s.stop();
  await requester.close();
  await nc1.close();
  await nc2.close();
});

Deno.test("service - groups nest subjects; custom service queue; metadata is copied and frozen", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url });
  const meta: Record<string, string> = { owner: "team-a" };
  const service = await new Svcm(nc).add({ name: "nest", version: "1.0.0", queue: "workers", metadata: meta });
  meta.owner = "changed";
  const epMeta: Record<string, string> = { level: "deep" };
  service.addGroup("a").addGroup("b.c").addEndpoint("d", {
    handler: (_e, m) => void m.respond(m.subject),
    metadata: epMeta,
  });
  service.addGroup("a").addEndpoint("wild", { subject: "*.w", handler: (_e, m) => void m.respond(m.subject) });
  service.addGroup().addEndpoint("root", (_e, m) => void m.respond("root"));
  epMeta.level = "changed";
  assert.equal((await nc.request("a.b.c.d")).string(), "a.b.c.d");
  assert.equal((await nc.request("a.z.w")).string(), "a.z.w");
  assert.equal((await nc.request("root")).string(), "root");
  const info = service.info();
  assert.deepEqual(info.metadata, { owner: "team-a" });
  assert.deepEqual(info.endpoints.map((e) => [e.subject, e.queue_group, e.metadata]), [
    ["a.b.c.d", "workers", { level: "deep" }],
    ["a.*.w", "workers", {}],
    ["root", "workers", {}],
  ]);
  info.metadata.owner = "mutated copy";
  assert.deepEqual(service.ping().metadata, { owner: "team-a" });
  await service.stop();
  await nc.close();
});

Deno.test("service - iterator endpoints serve requests and are counted", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url });
  const service = await new Svcm(nc).add({ name: "iter", version: "1.0.0" });
  const it = service.addEndpoint("echo");
  const withHandler = service.addEndpoint("cb", () => {});
  assert.throws(() => withHandler[Symbol.asyncIterator](), InvalidOperationError);
  const loop = (async () => {
    let n = 0;
    for await (const m of it) {
      n++;
      if (m.string() === "bad") m.respondError(422, "bad input");
      else m.respond(`echo ${m.string()}`);
    }
    return n;
  })();
  assert.equal((await nc.request("echo", "a")).string(), "echo a");
  assert.equal((await nc.request("echo", "b")).string(), "echo b");
  assert.equal(ServiceError.toServiceError(await nc.request("echo", "bad"))?.code, 422);
  const s = endpoint(await service.stats(), "echo");
  assert.equal(s.num_requests, 3);
  assert.equal(s.num_errors, 1);
  assert.equal(s.last_error, "422:bad input");
  await service.stop();
  assert.equal(await loop, 3);
  await nc.close();
});

Deno.test("service - stop drains while busy: requests in flight finish before stopped resolves", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url });
  const requester = await connect({ servers: srv.url });
  const service = await new Svcm(nc).add({ name: "busy", version: "1.0.0" });
  const events: string[] = [];
  let started = 0;
  service.addEndpoint("slow", async (_e, m) => {
    started++;
    await delay(150);
    m.respond(`done ${m.string()}`);
    events.push(`reply ${m.string()}`);
  });
  await nc.flush();
  const replies = [1, 2, 3, 4, 5].map((i) => requester.request("slow", String(i), { timeout: 5000 }));
  await waitFor(() => started === 5, "5 requests in flight");
  service.stopped.then((v) => events.push(`stopped ${v}`));
  assert.equal(await service.stop(), null);
  assert.equal(service.isStopped, true);
  assert.deepEqual((await Promise.all(replies)).map((m) => m.string()), [1, 2, 3, 4, 5].map((i) => `done ${i}`));
  await delay(0);
  assert.equal(events.length, 6);
  assert.equal(events[5], "stopped null");
  await assert.rejects(requester.request("slow", "6", { timeout: 1000 }), /no responders/);
  assert.equal(nc.isClosed(), false);
  await requester.close();
  await nc.close();
});

Deno.test("service - stop with an error resolves stopped with it; closing the connection stops services", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url });
  const svcm = new Svcm(nc);
  const a = await svcm.add({ name: "a", version: "1.0.0" });
  const b = await svcm.add({ name: "b", version: "1.0.0" });
  const boom = new Error("shutdown");
  assert.equal(await a.stop(boom), boom);
  assert.equal(await a.stopped, boom);
  assert.equal(await a.stop(), boom);
  assert.equal(b.isStopped, false);
  await nc.close();
  assert.equal(await b.stopped, null);
});

Deno.test("service - draining the connection under a busy handler stops the service cleanly", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url });
  const requester = await connect({ servers: srv.url });
  const service = await new Svcm(nc).add({ name: "drainme", version: "1.0.0" });
  let finished = false;
  service.addEndpoint("slow", async (_e, m) => {
    await delay(100);
    finished = true;
    m.respond("late");
  });
  await nc.flush();
  const pending = requester.request("slow", "", { timeout: 500 }).catch((e) => e);
  await waitFor(async () => endpoint(await service.stats(), "slow").num_requests === 1, "request received");
  await nc.drain();
  assert.equal(await service.stopped, null);
  assert.equal(finished, true);
  const stats = endpoint(await service.stats(), "slow");
  assert.equal(stats.num_requests, 1);
  assert.equal(stats.num_errors, 1);
  assert.match(stats.last_error, /^500:connection (closed|draining)/);
  assert.ok(await pending instanceof Error);
  await requester.close();
});

Deno.test("service - a denied endpoint subscription stops the service with the permission error", async () => {
  await using srv = await NatsServer.start({
    config:
      `authorization { users = [ { user: u, password: p, permissions: { subscribe: { deny: ["secret.>"] } } } ] }`,
  });
  const nc = await connect({ servers: srv.url, user: "u", pass: "p" });
  const service = await new Svcm(nc).add({ name: "perm", version: "1.0.0" });
  service.addEndpoint("hidden", { subject: "secret.x", handler: () => {} });
  const err = await service.stopped;
  assert.ok(err instanceof Error);
  assert.match(err.message, /permissions violation for subscription to 'secret.x'/);
  await nc.close();
});

Deno.test("service - interop: the official monitor queries a natsw service", async () => {
  const { connect: connectNode } = await import("@nats-io/transport-node");
  const official = await import("@nats-io/services");
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url });
  const service = await new Svcm(nc).add({
    name: "ours",
    version: "3.1.4",
    description: "natsw service",
    metadata: { lang: "deno" },
    statsHandler: () => ({ custom: true }),
  });
  service.addGroup("ours").addEndpoint("echo", { handler: (_e, m) => void m.respond(m.data), metadata: { a: "b" } });
  await nc.flush();
  const onc = await connectNode({ servers: srv.url });
  try {
    const echo = await onc.request("ours.echo", "hi");
    assert.equal(echo.string(), "hi");
    const client = new official.Svcm(asOfficial(onc)).client({ strategy: "timer", maxWait: 300 });
    const id = service.info().id;
    const pings: unknown[] = [];
    for await (const p of await client.ping("ours")) pings.push(p);
    assert.deepEqual(pings, [service.ping()]);
    const infos: unknown[] = [];
    for await (const i of await client.info("ours", id)) infos.push(i);
    assert.deepEqual(infos, [service.info()]);
    const stats: unknown[] = [];
    for await (const s of await client.stats()) stats.push(s);
    assert.equal(stats.length, 1);
    const ourStats = await service.stats();
    assert.deepEqual(stats[0], ourStats);
    assert.equal(ourStats.endpoints[0].num_requests, 1);
    assert.deepEqual(ourStats.endpoints[0].data, { custom: true });
  } finally {
    await onc.close();
  }
  await service.stop();
  await nc.close();
});

Deno.test("service - interop: the natsw monitor queries an official service and calls it", async () => {
  const { connect: connectNode } = await import("@nats-io/transport-node");
  const official = await import("@nats-io/services");
  await using srv = await NatsServer.start();
  const onc = await connectNode({ servers: srv.url });
  const nc = await connect({ servers: srv.url });
  try {
    const theirs = await new official.Svcm(asOfficial(onc)).add({
      name: "theirs",
      version: "1.0.0",
      metadata: { lang: "js" },
    });
    theirs.addGroup("t").addEndpoint("upper", (_e, m) => void m.respond(m.string().toUpperCase()));
    theirs.addEndpoint("fail", (_e, m) => void m.respondError(409, "conflict"));
    await onc.flush();
    const client = new Svcm(nc).client({ maxWait: 300 });
    const pings = await collect(await client.ping("theirs"));
    assert.equal(pings.length, 1);
    assert.equal(pings[0].id, theirs.info().id);
    assert.deepEqual(pings[0].metadata, { lang: "js" });
    const info = (await collect(await client.info("theirs", pings[0].id)))[0];
    assert.deepEqual(info.endpoints.map((e) => [e.name, e.subject, e.queue_group]), [
      ["upper", "t.upper", "q"],
      ["fail", "fail", "q"],
    ]);
    assert.equal((await nc.request(info.endpoints[0].subject, "shout")).string(), "SHOUT");
    const err = ServiceError.toServiceError(await nc.request("fail"));
    assert.equal(err?.code, 409);
    assert.equal(err?.message, "conflict");
    const stats = (await collect(await client.stats("theirs")))[0];
    assert.equal(stats.type, ServiceResponseType.STATS);
    assert.equal(endpoint(stats, "upper").num_requests, 1);
    await theirs.stop();
  } finally {
    await onc.close();
  }
  await nc.close();
});
