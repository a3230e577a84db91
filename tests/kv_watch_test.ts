import assert from "node:assert/strict";
import { connect } from "../mod.ts";
import { Kvm, type KvWatchEntry, KvWatchInclude } from "../kv/mod.ts";
import { NatsServer } from "./helpers/server.ts";
import { take } from "./helpers/util.ts";

function summary(es: KvWatchEntry[]): string[] {
  return es.map((e) => `${e.key}:${e.operation}:${e.operation === "PUT" ? e.string() : ""}:${e.isUpdate}`);
}

Deno.test("kv watch - latest values, end of initial data, then updates", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const kv = await new Kvm(nc).create("w", { history: 5 });
  await kv.put("a", "1");
  await kv.put("a", "2");
  await kv.put("b", "1");
  await kv.delete("b");
  let called = 0;
  const w = await kv.watch({ initializedFn: () => called++ });
  const it = w[Symbol.asyncIterator]();
  const first = [(await it.next()).value, (await it.next()).value];
  await w.initialized;
  assert.equal(called, 1);
  assert.deepEqual(summary(first), ["a:PUT:2:false", "b:DEL::false"]);
  assert.equal(first[1].delta, 0);
  await kv.put("c", "new");
  await kv.purge("a");
  const live = [(await it.next()).value, (await it.next()).value];
  assert.deepEqual(summary(live), ["c:PUT:new:true", "a:PURGE::true"]);
  w.stop();
  assert.equal((await it.next()).done, true);
  assert.equal(await w.closed, undefined);
  await kv.close();
});

Deno.test("kv watch - empty bucket and updates-only signal at once", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const kv = await new Kvm(nc).create("we");
  const w = await kv.watch({ key: "x.>" });
  await w.initialized;
  await kv.put("y", "ignored");
  await kv.put("x.1", "seen");
  const [e] = await take(w, 1);
  assert.deepEqual(summary([e]), ["x.1:PUT:seen:true"]);
  w.stop();
  const u = await kv.watch({ include: KvWatchInclude.UpdatesOnly });
  await u.initialized;
  await kv.put("z", "later");
  assert.deepEqual(summary(await take(u, 1)), ["z:PUT:later:true"]);
  await kv.close();
});

Deno.test("kv watch - history, ignoreDeletes, headers only, several keys, resume", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const kv = await new Kvm(nc).create("wh", { history: 10 });
  await kv.put("a", "1");
  const r2 = await kv.put("a", "2");
  await kv.put("b", "x");
  await kv.delete("a");
  await kv.put("c", "skip");

  const h = await kv.watch({ include: KvWatchInclude.AllHistory, key: ["a", "b"] });
  assert.deepEqual(summary(await take(h, 4)), ["a:PUT:1:false", "a:PUT:2:false", "b:PUT:x:false", "a:DEL::false"]);
  await h.initialized;
  h.stop();

  const nd = await kv.watch({ ignoreDeletes: true });
  await nd.initialized;
  await kv.put("d", "dd");
  assert.deepEqual(summary(await take(nd, 3)), ["b:PUT:x:false", "c:PUT:skip:false", "d:PUT:dd:true"]);
  nd.stop();

  const meta = await kv.watch({ key: "b", headers_only: true });
  const [m] = await take(meta, 1);
  assert.equal(m.value.length, 0);
  assert.equal(m.length, 1);
  meta.stop();

  const res = await kv.watch({ resumeFromRevision: r2, key: "a" });
  const got = await take(res, 2);
  assert.deepEqual(got.map((e) => [e.revision, e.operation]), [[r2, "PUT"], [r2 + 2, "DEL"]]);
  res.stop();
  await kv.close();
});

Deno.test("kv watch - survives a server restart and sees later updates", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url, reconnectTimeWait: 100, maxReconnectAttempts: -1 });
  const kv = await new Kvm(nc).create("wr");
  await kv.put("k", "before");
  const w = await kv.watch();
  let recreated = 0;
  const notes = (async () => {
    for await (const s of w.status()) if (s.type === "ordered_consumer_recreated") recreated++;
  })();
  const it = w[Symbol.asyncIterator]();
  assert.equal((await it.next()).value.string(), "before");
  await srv.restart();
  // writes retry until JetStream is back
  let rev = 0;
  for (let i = 0; i < 100 && rev === 0; i++) {
    rev = await kv.put("k", "after").catch(() => 0);
    if (rev === 0) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(rev > 0);
  const e = (await it.next()).value;
  assert.equal(e.string(), "after");
  assert.equal(e.revision, rev);
  assert.equal(e.isUpdate, true);
  w.stop();
  await notes;
  assert.ok(recreated >= 1);
  await kv.close();
});
