import { connect as njs } from "@nats-io/transport-node";
import { Svcm as NSvcm } from "@nats-io/services";
import { connect as nw } from "../mod.ts";
import { Svcm as WSvcm } from "../service/mod.ts";
import { NatsServer } from "../tests/helpers/server.ts";
const to = (p: Promise<unknown>, ms = 2000) => Promise.race([p, new Promise((r) => setTimeout(() => r("TIMEOUT"), ms))]);
const srv = await NatsServer.start();
for (const [name, connect, Svcm] of [["njs", njs, NSvcm], ["nw", nw, WSvcm]] as const) {
  // deno-lint-ignore no-explicit-any
  const nc: any = await (connect as any)({ servers: srv.hostport });
  // deno-lint-ignore no-explicit-any
  const svcm: any = new (Svcm as any)(nc);
  // a: stop then iterate
  {
    const s = await svcm.add({ name: "x", version: "1.0.0" });
    const it = s.addEndpoint("e");
    await s.stop();
    const p = (async () => { let n = 0; for await (const _m of it) n++; return n; })();
    console.log(name, "a iterate after stop:", await to(p));
  }
  // c: stop inside loop body
  {
    const s = await svcm.add({ name: "y", version: "1.0.0" });
    const it = s.addEndpoint("f");
    const p = (async () => { let n = 0; for await (const m of it) { n++; m.respond("x"); const r = await to(s.stop()); console.log(name, "c stop in body:", r); } return n; })();
    await nc.request("f", "", { timeout: 1000 });
    console.log(name, "c loop:", await to(p, 3000));
  }
  // d: break stops service?
  {
    const s = await svcm.add({ name: "z", version: "1.0.0" });
    const it = s.addEndpoint("g");
    const p = (async () => { for await (const m of it) { m.respond("x"); break; } })();
    await nc.request("g", "", { timeout: 1000 });
    await p;
    console.log(name, "d after break stopped:", await to(s.stopped, 1000), s.isStopped);
  }
  // e: it.stop()
  {
    const s = await svcm.add({ name: "w", version: "1.0.0" });
    const it = s.addEndpoint("h");
    const p = (async () => { let n = 0; for await (const _m of it) n++; return n; })();
    if (typeof it.stop === "function") { it.stop(); console.log(name, "e it.stop loop:", await to(p), "stopped:", await to(s.stopped, 1000)); }
  }
  await nc.close();
}
await srv.stop();
