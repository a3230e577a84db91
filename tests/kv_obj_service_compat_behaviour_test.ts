/**
 * KV, object store and service behaviours that nats.js programs rely on, checked on natsw against
 * a real server: iterators with `stop()` and counters, `Lister` pages, opening existing buckets as
 * they are, timeouts, and services whose iterators and stops settle.
 */
import assert from "node:assert/strict";
import { connect, headers, NoRespondersError, TimeoutError } from "../mod.ts";
import { jetstream, jetstreamManager, JetStreamNotEnabledError } from "../jetstream/mod.ts";
import { Base64KeyCodec, BucketNotFoundError, Kvm, NoopKvCodecs } from "../kv/mod.ts";
import { Objm } from "../obj/mod.ts";
import {
  type NamedEndpointStats,
  ServiceError,
  ServiceErrorCodeHeader,
  ServiceErrorHeader,
  ServiceResponseType,
  ServiceVerb,
  Svcm,
} from "../service/mod.ts";
import { NatsServer } from "./helpers/server.ts";
import { waitFor } from "./helpers/util.ts";

/** `p`, or the string "timed out" when it has not settled within `ms`. */
async function within<T>(p: Promise<T>, ms = 5000): Promise<T | "timed out"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"timed out">((resolve) => timer = setTimeout(() => resolve("timed out"), ms));
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of it) out.push(v);
  return out;
}

Deno.test("kv compat - keys() and history() stop, count, end with stop(err), and remove their consumer", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  const kv = await new Kvm(nc).create("it", { history: 5 });
  for (const k of ["a", "b", "c", "a"]) await kv.put(k, k);
  await kv.put("d", "d");
  await kv.delete("d");

  const keys = await kv.keys();
  assert.equal(keys.getProcessed(), 0);
  assert.deepEqual((await collect(keys)).sort(), ["a", "b", "c"]);
  assert.equal(keys.getProcessed(), 3);
  assert.equal(keys.getReceived(), 4, "the delete marker of d was read, not handed over");
  assert.equal(keys.getPending(), 0);

  const early = await kv.keys();
  const seen: string[] = [];
  for await (const k of early) {
    seen.push(k);
    early.stop();
  }
  assert.equal(seen.length, 1);

  const history = await kv.history({ key: "a" });
  const boom = new Error("enough");
  const values: string[] = [];
  await assert.rejects(
    (async () => {
      for await (const e of history) {
        values.push(e.string());
        history.stop(boom);
      }
    })(),
    (err) => err === boom,
  );
  assert.deepEqual(values, ["a"]);

  const broken = await kv.history();
  for await (const _e of broken) break;
  await waitFor(async () => (await collect(jsm.consumers.list("KV_it"))).length === 0, "readers' consumers removed");
});

Deno.test("kv compat - Kvm.list() is a Lister whose pages skip those without a bucket", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  // more than one page (256) of streams that sort before KV_zz: the first page has no bucket
  for (let i = 0; i < 260; i++) {
    await jsm.streams.add({ name: `A${String(i).padStart(3, "0")}`, subjects: [`a.${i}`], storage: "memory" });
  }
  await new Kvm(nc).create("zz", { storage: "memory" });
  const lister = new Kvm(nc).list();
  const page = await lister.next();
  assert.ok(Array.isArray(page));
  assert.deepEqual(page.map((s) => s.bucket), ["zz"]);
  assert.deepEqual(await lister.next(), []);
  assert.deepEqual((await collect(new Kvm(nc).list())).map((s) => s.bucket), ["zz"]);
});

Deno.test("kv compat - create() opens an existing bucket as it is; open() binds like nats.js", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const kvm = new Kvm(nc);
  await kvm.create("cfg", { history: 5 });
  const again = await kvm.create("cfg", { history: 2, description: "other" });
  assert.equal((await again.status()).history, 5);
  assert.equal((await again.status()).description, "");

  // create({ bindOnly }) creates nothing
  const bound = await kvm.create("nothing", { bindOnly: true });
  await assert.rejects(bound.status(), BucketNotFoundError);

  // open() of a bucket that does not exist yet resolves; the handle works once it exists
  const early = await kvm.open("later");
  await assert.rejects(early.get("k"), BucketNotFoundError);
  await (await kvm.create("later")).put("k", "v");
  assert.equal((await early.get("k"))?.string(), "v");

  // nats.js's open options
  const opened = await kvm.open("cfg", { allow_direct: false, timeout: 1000 });
  assert.equal(opened.direct, false);
  assert.equal((await kvm.open("cfg")).direct, true);
});

Deno.test("kv compat - open() without JetStream resolves unless checkAPI is true", async () => {
  await using srv = await NatsServer.start();
  await using nc = await connect({ servers: srv.url });
  assert.equal((await new Kvm(nc).open("b")).bucket, "b");
  assert.equal((await new Kvm(jetstream(nc, { checkAPI: false })).open("b")).bucket, "b");
  await assert.rejects(new Kvm(jetstream(nc, { checkAPI: true })).open("b"), JetStreamNotEnabledError);
  await assert.rejects(jetstreamManager(nc), JetStreamNotEnabledError);
  const jsm = await jetstreamManager(nc, { checkAPI: false });
  await assert.rejects(jsm.getAccountInfo(), JetStreamNotEnabledError);
  await jetstream(nc, { checkAPI: false }).jetstreamManager();
  await assert.rejects(jetstream(nc, { checkAPI: false }).jetstreamManager(true), JetStreamNotEnabledError);
});

Deno.test("kv compat - put(), update() and a handle's timeout bound the wait for the acknowledgement", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  // no stream stores these subjects, but a subscriber takes them: publishes wait for an ack that never comes
  const sink = nc.subscribe("$KV.ghost.>", { callback: () => {} });
  await nc.flush();
  const kvm = new Kvm(nc);
  const kv = await kvm.open("ghost", { bindOnly: true });
  const quick = async (p: Promise<unknown>) => {
    const started = performance.now();
    const err = await p.then(() => undefined, (e) => e);
    assert.ok(err instanceof TimeoutError, `a TimeoutError, got ${err}`);
    assert.equal(err.timeout, 200);
    assert.ok(performance.now() - started < 2000, "well before the 5 s default");
  };
  await quick(kv.put("k", "v", { timeout: 200 }));
  await quick(kv.update("k", "v", 1, 200));
  await quick((await kvm.open("ghost", { bindOnly: true, timeout: 200 })).put("k", "v"));
  await quick((await kvm.create("ghost", { bindOnly: true, timeout: 200 })).delete("k"));
  sink.unsubscribe();
});

Deno.test("kv compat - entries have rawKey; watchers count, and stop(err) ends them with err", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const kv = await new Kvm(nc).create("raw", { codec: { key: Base64KeyCodec(), value: NoopKvCodecs().value } });
  await kv.put("a b", "1");
  const e = await kv.get("a b");
  assert.equal(e?.key, "a b");
  assert.equal(e?.rawKey, btoa("a b"));
  const [h] = await collect(await kv.history());
  assert.equal(h.rawKey, btoa("a b"));

  const w = await kv.watch();
  await w.initialized;
  await kv.put("c", "2");
  const boom = new Error("watch over");
  const got: string[] = [];
  await assert.rejects(
    (async () => {
      for await (const x of w) {
        got.push(x.key);
        if (got.length === 2) {
          assert.equal(w.getProcessed(), 2);
          assert.equal(w.getPending(), 0);
          w.stop(boom);
        }
      }
    })(),
    (err) => err === boom,
  );
  assert.deepEqual(got, ["a b", "c"]);
  assert.equal(await w.closed, boom);

  const st = await kv.status() as unknown as Record<string, unknown>;
  assert.equal(st.maxBucketSize, -1);
  assert.equal(st.placementCluster, "");
  assert.equal(st.bucket_location, "");
});

Deno.test("obj compat - create() opens an existing bucket; delete(missing); status(opts); list() pages", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const objm = new Objm(nc);
  const os = await objm.create("files", { description: "first" });
  const again = await objm.create("files", { description: "second", storage: "memory" });
  assert.equal((await again.status()).description, "first");

  assert.deepEqual(await os.delete("never"), { success: false, purged: 0 });
  await os.putBlob({ name: "x" }, new Uint8Array(10));
  const st = await os.status({ subjects_filter: "$O.files.M.>" });
  assert.equal(Object.keys(st.streamInfo.state.subjects ?? {}).length, 1);

  await objm.create("more");
  const lister = objm.list();
  const page = await lister.next();
  assert.deepEqual(page.map((s) => s.bucket).sort(), ["files", "more"]);
  assert.deepEqual(await lister.next(), []);
});

Deno.test("service compat - client() stalls; no responders and bad replies throw; stop() ends it", async () => {
  await using srv = await NatsServer.start();
  await using nc = await connect({ servers: srv.url });
  const svcm = new Svcm(nc);
  const service = await svcm.add({ name: "calc", version: "1.0.0" });

  const started = performance.now();
  const pings = await collect(await svcm.client().ping());
  assert.deepEqual(pings.map((p) => p.name), ["calc"]);
  assert.ok(performance.now() - started < 1500, "ended when the replies stopped, not at maxWait");

  await assert.rejects(collect(await svcm.client().ping("nobody")), NoRespondersError);

  // one responder answers twice: a response, then something else
  const bad = nc.subscribe("$SRV.INFO.bad", {
    callback: (_e, m) => {
      m.respond(JSON.stringify({ type: ServiceResponseType.INFO, name: "bad" }));
      if (m.string() === "") m.respond("not json");
    },
  });
  const failing = nc.subscribe("$SRV.STATS.failing", {
    callback: (_e, m) => {
      const h = headers();
      h.set(ServiceErrorHeader, "stats unavailable");
      h.set(ServiceErrorCodeHeader, "503");
      m.respond(undefined, { headers: h });
    },
  });
  await nc.flush();
  const names: string[] = [];
  await assert.rejects(
    (async () => {
      for await (const i of await svcm.client({ maxWait: 1000 }).info("bad")) names.push(i.name);
    })(),
    SyntaxError,
  );
  assert.deepEqual(names, ["bad"]);
  const err = await collect(await svcm.client().stats("failing")).catch((e) => e);
  assert.ok(err instanceof ServiceError);
  assert.equal(err.code, 503);
  assert.equal(err.message, "stats unavailable");
  bad.unsubscribe();
  failing.unsubscribe();

  const long = await svcm.client({ maxWait: 10_000 }).ping();
  const t = performance.now();
  for await (const _p of long) long.stop();
  assert.ok(performance.now() - t < 2000, "stop() ended the collection");
  assert.equal(long.getProcessed(), 1);
  await service.stop();
});

Deno.test("service compat - endpoint iterators stop the service; stop() from a loop or a handler settles", async () => {
  await using srv = await NatsServer.start();
  await using nc = await connect({ servers: srv.url });
  const svcm = new Svcm(nc);

  // stop() inside the loop body: it resolves, then the loop ends
  const a = await svcm.add({ name: "a", version: "1.0.0" });
  const ea = a.addEndpoint("ea");
  const loopA = (async () => {
    const results: unknown[] = [];
    for await (const m of ea) {
      m.respond("bye");
      results.push(await within(a.stop()));
    }
    return results;
  })();
  assert.equal((await nc.request("ea")).string(), "bye");
  assert.deepEqual(await within(loopA), [null]);
  assert.equal(ea.getProcessed(), 1);
  assert.equal(ea.getReceived(), 1);

  // leaving the loop stops the service
  const b = await svcm.add({ name: "b", version: "1.0.0" });
  const eb = b.addEndpoint("eb");
  const loopB = (async () => {
    for await (const m of eb) {
      m.respond("once");
      break;
    }
  })();
  await nc.request("eb");
  await loopB;
  assert.equal(await within(b.stopped), null);
  assert.equal(b.isStopped, true);

  // the iterator's stop() ends the loop and stops the service
  const c = await svcm.add({ name: "c", version: "1.0.0" });
  const ec = c.addEndpoint("ec");
  const loopC = collect(ec);
  ec.stop();
  assert.deepEqual(await within(loopC), []);
  assert.equal(await within(c.stopped), null);

  // an async handler that awaits stop() before answering gets its answer out
  const d = await svcm.add({ name: "d", version: "1.0.0" });
  const ed = d.addEndpoint("ed", async (_e, m) => {
    const r = await d.stop();
    m.respond(`stopped ${r}`);
  });
  assert.equal((await nc.request("ed", "", { timeout: 5000 })).string(), "stopped null");
  // a handler endpoint's stop() does nothing (as nats.js), and it cannot be iterated
  const e = await svcm.add({ name: "e", version: "1.0.0" });
  const ee = e.addEndpoint("ee", (_e, m) => void m.respond("still"));
  ee.stop();
  assert.equal((await nc.request("ee")).string(), "still");
  assert.equal(e.isStopped, false);
  assert.equal(ed.getReceived(), 1);
  await e.stop();
});

Deno.test("service compat - enums; statsHandler gets the endpoint, and its errors are counted", async () => {
  await using srv = await NatsServer.start();
  await using nc = await connect({ servers: srv.url });
  // enum members are types too, as in nats.js
  const ping: ServiceVerb.PING = ServiceVerb.PING;
  const info: ServiceResponseType.INFO = ServiceResponseType.INFO;
  assert.equal(ping, "PING");
  assert.equal(info, "io.nats.micro.v1.info_response");
  assert.deepEqual(Object.values(ServiceVerb), ["PING", "STATS", "INFO"]);

  const given: unknown[] = [];
  const service = await new Svcm(nc).add({
    name: "s",
    version: "1.0.0",
    statsHandler: (ep) => {
      given.push([ep.name, ep.queue, ep.queue_group, typeof ep.handler]);
      if (ep.name === "bad") throw new Error("no data");
      return { ok: ep.subject };
    },
  });
  service.addEndpoint("good", () => {});
  service.addEndpoint("bad", { queue: "other", handler: () => {} });
  const [stats] = await collect(await new Svcm(nc).client().stats("s"));
  const byName = new Map<string, NamedEndpointStats>(stats.endpoints.map((x) => [x.name, x]));
  assert.deepEqual(byName.get("good")?.data, { ok: "good" });
  assert.equal(byName.get("good")?.num_errors, 0);
  assert.equal(byName.get("bad")?.data, undefined);
  assert.equal(byName.get("bad")?.num_errors, 1);
  assert.equal(byName.get("bad")?.last_error, "500:no data");
  assert.deepEqual(given, [["good", "q", "q", "function"], ["bad", "other", "other", "function"]]);
  await service.stop();
});
