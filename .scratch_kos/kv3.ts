import { connect as njs } from "@nats-io/transport-node";
import { Kvm as NKvm } from "@nats-io/kv";
import { connect as nw } from "../mod.ts";
import { Kvm as WKvm } from "../kv/mod.ts";
const to = (p: Promise<unknown>, ms = 8000) => { const t0 = Date.now(); return Promise.race([p.then((v) => ["ok", v, Date.now()-t0], (e) => ["err", e?.constructor?.name, e?.message, Date.now()-t0]), new Promise((r) => setTimeout(() => r("TIMEOUT"), ms))]); };
import { NatsServer } from "../tests/helpers/server.ts";
const srv = await NatsServer.start({ jetstream: true });
for (const [name, connect, Kvm] of [["njs", njs, NKvm], ["nw", nw, WKvm]] as const) {
  // deno-lint-ignore no-explicit-any
  const nc: any = await (connect as any)({ servers: srv.hostport });
  // deno-lint-ignore no-explicit-any
  const kvm: any = new (Kvm as any)(nc);
  const log = (...a: unknown[]) => console.log(name, ...a);
  const kv = await kvm.create(`d_${name}`, { history: 3 });
  await kv.put("a", "1");
  const kv2 = await kvm.open(`d_${name}`);
  await kv.destroy();
  log("keys on destroyed", await to((async () => { const it = await kv2.keys(); const o = []; for await (const k of it) o.push(k); return o; })()));
  log("history on destroyed", await to((async () => { const it = await kv2.history(); const o = []; for await (const k of it) o.push(k); return o; })()));
  log("watch on destroyed", await to((async () => { const it = await kv2.watch(); return typeof it; })()));
  log("status on destroyed", await to(kv2.status().then((s: any) => s.bucket)));
  const kv3 = await kvm.open(`never_${name}`).catch((e: Error) => e.message);
  log("open never", typeof kv3);
  await nc.close();
}
await srv.stop();
