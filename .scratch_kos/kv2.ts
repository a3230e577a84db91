import { connect as njs } from "@nats-io/transport-node";
import { Kvm as NKvm } from "@nats-io/kv";
import { connect as nw } from "../mod.ts";
import { Kvm as WKvm } from "../kv/mod.ts";
const to = (p: Promise<unknown>, ms = 4000) => Promise.race([p.then((v) => ["ok", v], (e) => ["err", e?.constructor?.name, e?.message]), new Promise((r) => setTimeout(() => r("TIMEOUT"), ms))]);
import { NatsServer } from "../tests/helpers/server.ts";
const srv = await NatsServer.start({ jetstream: true });
for (const [name, connect, Kvm] of [["njs", njs, NKvm], ["nw", nw, WKvm]] as const) {
  // deno-lint-ignore no-explicit-any
  const nc: any = await (connect as any)({ servers: srv.hostport });
  // deno-lint-ignore no-explicit-any
  const kvm: any = new (Kvm as any)(nc);
  const kv = await kvm.create(`b_${name}`, { history: 3 });
  const log = (...a: unknown[]) => console.log(name, ...a);
  const ek = await kv.keys();
  log("empty keys", typeof ek.stop, await to((async () => { const o = []; for await (const k of ek) o.push(k); return o; })()));
  const eh = await kv.history();
  log("empty history", await to((async () => { const o = []; for await (const k of eh) o.push(k.key); return o; })()));
  await kv.put("a", "1"); await kv.put("a", "2"); await kv.put("b", "1"); await kv.delete("b"); await kv.put("c.d", "x");
  const ks = await kv.keys();
  log("keys pending/processed", ks.getPending?.(), ks.getProcessed?.());
  log("keys", await to((async () => { const o = []; for await (const k of ks) o.push(k); return o; })()), ks.getProcessed?.(), ks.getPending?.(), ks.getReceived?.());
  const h = await kv.history({ key: "a" });
  log("history", await to((async () => { const o = []; for await (const e of h) o.push([e.key, e.operation, e.revision, e.delta, e.rawKey]); return o; })()), h.getProcessed?.());
  const h2 = await kv.history();
  log("history stop", await to((async () => { const o = []; for await (const e of h2) { o.push(e.key); h2.stop(); } return o; })()));
  const k2 = await kv.keys();
  log("keys break", await to((async () => { const o = []; for await (const k of k2) { o.push(k); break; } return o; })()));
  const e = await kv.get("a");
  log("get rawKey", e.rawKey, e.delta);
  log("put timeout", await to(kv.put("a", "3", { timeout: 1000 })));
  log("update timeout", await to(kv.update("a", "4", 7, 1000)));
  log("update 0", await to((async () => kv.update("a", "4", 0))()));
  const l = kvm.list();
  log("list next", typeof l.next, await to((async () => { const p = await l.next(); return p.map((s: any) => s.bucket); })()));
  log("list next2", await to((async () => { const p = await l.next(); return p.map((s: any) => s.bucket); })()));
  log("create diff", await to(kvm.create(`b_${name}`, { history: 5 }).then((k: any) => k.status()).then((s: any) => s.history)));
  log("create timeout opt", await to(kvm.create(`b_${name}`, { timeout: 500 }).then((k: any) => k.bucket)));
  log("open opts", await to(kvm.open(`b_${name}`, { allow_direct: true, timeout: 500 }).then((k: any) => k.get("a")).then((e: any) => e?.string())));
  log("open missing", await to(kvm.open(`zz_${name}`).then((k: any) => k.bucket)));
  const st = await kv.status();
  log("status", st.bucket, st.values, st.history, st.ttl, st.size, st.backingStore, st.replicas, st.max_bytes, st.maxValueSize, st.description, st.compression, st.markerTTL, JSON.stringify(st.placement), JSON.stringify(st.republish), JSON.stringify(st.metadata), st.bucket_location, st.maxBucketSize, st.placementCluster, st.storage);
  await nc.close();
}
await srv.stop();
