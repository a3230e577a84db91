import assert from "node:assert/strict";
import { connect as officialConnect } from "@nats-io/transport-node";
import { Kvm as OfficialKvm } from "@nats-io/kv";
import { connect } from "../mod.ts";
import { Kvm } from "../kv/mod.ts";
import { NatsServer } from "./helpers/server.ts";

type Row = [string, string, string, number];

Deno.test("kv interop - natsw reads and watches a bucket written by the official client", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  const onc = await officialConnect({ servers: srv.url });
  await using nc = await connect({ servers: srv.url });
  try {
    const okv = await new OfficialKvm(onc).create("off", { history: 5 });
    const revs: number[] = [];
    revs.push(await okv.put("a", "1"));
    revs.push(await okv.put("a", "2"));
    revs.push(await okv.put("b.x", JSON.stringify({ ok: true })));
    await okv.delete("b.x");
    revs.push(await okv.put("c", "3"));
    await okv.purge("c");
    revs.push(await okv.create("d", "created"));

    const kv = await new Kvm(nc).open("off");
    const a = await kv.get("a");
    assert.equal(a?.string(), "2");
    assert.equal(a?.revision, revs[1]);
    assert.equal((await kv.get("a", { revision: revs[0] }))?.string(), "1");
    assert.equal(await kv.get("b.x"), null);
    assert.equal(await kv.get("c"), null);
    const keys = [];
    for await (const k of await kv.keys()) keys.push(k);
    assert.deepEqual(keys.sort(), ["a", "d"]);
    const hist: Row[] = [];
    for await (const e of await kv.history()) hist.push([e.key, e.operation, e.string(), e.revision]);
    const ohist: Row[] = [];
    for await (const e of await okv.history()) ohist.push([e.key, e.operation, e.string(), e.revision]);
    assert.deepEqual(hist, ohist);
    assert.deepEqual(hist.map((r) => r[1]), ["PUT", "PUT", "PUT", "DEL", "PURGE", "PUT"]);

    const w = await kv.watch();
    const it = w[Symbol.asyncIterator]();
    const next = async (n: number) => {
      const out = [];
      for (let i = 0; i < n; i++) out.push((await it.next()).value);
      return out;
    };
    const initial = await next(4);
    assert.deepEqual(initial.map((e) => [e.key, e.operation]), [["a", "PUT"], ["b.x", "DEL"], ["c", "PURGE"], [
      "d",
      "PUT",
    ]]);
    await w.initialized;
    const rev = await okv.update("a", "3", revs[1]);
    await okv.delete("d");
    const live = await next(2);
    assert.deepEqual(live.map((e) => [e.key, e.operation, e.revision > 0, e.isUpdate]), [
      ["a", "PUT", true, true],
      ["d", "DEL", true, true],
    ]);
    assert.equal(live[0].revision, rev);
    // our create over the official client's delete marker
    await kv.create("d", "back");
    assert.equal((await okv.get("d"))?.string(), "back");
    w.stop();
    await kv.close();
  } finally {
    await onc.close();
  }
});

Deno.test("kv interop - the official client reads and watches a bucket written by natsw", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const onc = await officialConnect({ servers: srv.url });
  try {
    const kv = await new Kvm(nc).create("ours", { history: 5, ttl: 3_600_000, description: "natsw" });
    const r1 = await kv.put("a", "1");
    const r2 = await kv.update("a", "2", r1);
    await kv.put("b", "x");
    await kv.delete("b");
    await kv.put("c", "y");
    await kv.purge("c");

    const okv = await new OfficialKvm(onc).open("ours");
    const ost = await okv.status();
    assert.equal(ost.history, 5);
    assert.equal(ost.ttl, 3_600_000);
    assert.equal(ost.description, "natsw");
    const a = await okv.get("a");
    assert.equal(a?.string(), "2");
    assert.equal(a?.revision, r2);
    assert.equal((await okv.get("b"))?.operation, "DEL");
    assert.equal((await okv.get("c"))?.operation, "PURGE");
    const okeys = [];
    for await (const k of await okv.keys()) okeys.push(k);
    assert.deepEqual(okeys, ["a"]);
    const ohist: Row[] = [];
    for await (const e of await okv.history()) ohist.push([e.key, e.operation, e.string(), e.revision]);
    const hist: Row[] = [];
    for await (const e of await kv.history()) hist.push([e.key, e.operation, e.string(), e.revision]);
    assert.deepEqual(ohist, hist);

    const ow = await okv.watch();
    const seen: Row[] = [];
    const done = (async () => {
      for await (const e of ow) {
        seen.push([e.key, e.operation, e.string(), e.revision]);
        if (seen.length === 5) break;
      }
    })();
    const r3 = await kv.put("d", "new");
    await kv.delete("a");
    await done;
    assert.deepEqual(seen.slice(0, 3).map((r) => [r[0], r[1]]), [["a", "PUT"], ["b", "DEL"], ["c", "PURGE"]]);
    assert.deepEqual(seen.slice(3).map((r) => [r[0], r[1]]), [["d", "PUT"], ["a", "DEL"]]);
    assert.equal(seen[3][3], r3);
    // the official client's create over our purge marker
    await okv.create("c", "recreated");
    assert.equal((await kv.get("c"))?.string(), "recreated");
  } finally {
    await onc.close();
  }
});

Deno.test("kv interop - both clients build the same stream for the same options", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const onc = await officialConnect({ servers: srv.url });
  try {
    const opts = {
      history: 3,
      ttl: 60_000,
      max_bytes: 1 << 20,
      maxValueSize: 512,
      description: "d",
      compression: true,
    };
    await new OfficialKvm(onc).create("same", opts);
    // an identical configuration is accepted as-is
    const kv = await new Kvm(nc).create("same", opts);
    await new OfficialKvm(onc).create("other", opts);
    await new Kvm(nc).create("mine", opts);
    // nats.js 3.4 leaves deny_delete off; ADR-8 (and nats.go, natsw) turn it on
    const strip = (c: Record<string, unknown>) => {
      const { name: _n, subjects: _s, metadata: _m, deny_delete: _d, ...rest } = c;
      return rest;
    };
    const theirs = (await new OfficialKvm(onc).open("other")).status();
    const ours = (await new Kvm(nc).open("mine")).status();
    assert.deepEqual(
      strip((await ours).streamInfo.config as unknown as Record<string, unknown>),
      strip((await theirs).streamInfo.config as unknown as Record<string, unknown>),
    );
    assert.equal((await ours).streamInfo.config.deny_delete, true);
    // other settings open the bucket as it is, as nats.js does
    assert.equal((await (await new Kvm(nc).create("other", { ...opts, history: 4 })).status()).history, opts.history);
    await kv.close();
  } finally {
    await onc.close();
  }
});
