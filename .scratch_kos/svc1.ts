import { connect as njs } from "@nats-io/transport-node";
import { Svcm as NSvcm } from "@nats-io/services";
import { connect as nw } from "../mod.ts";
import { Svcm as WSvcm } from "../service/mod.ts";
import { NatsServer } from "../tests/helpers/server.ts";

const srv = await NatsServer.start();
for (const [name, connect, Svcm] of [["njs", njs, NSvcm], ["nw", nw, WSvcm]] as const) {
  // deno-lint-ignore no-explicit-any
  const nc: any = await (connect as any)({ servers: srv.hostport });
  // deno-lint-ignore no-explicit-any
  const svcm: any = new (Svcm as any)(nc);
  const s = await svcm.add({ name: "x", version: "1.0.0" });
  const it = s.addEndpoint("e");
  const p = (async () => { let n = 0; for await (const m of it) { n++; m.respond("ok"); } return n; })();
  const r = await nc.request("e", "", { timeout: 1000 });
  console.log(name, "reply", r.string(), typeof it.stop, typeof it.getProcessed);
  await s.stop();
  const res = await Promise.race([p, new Promise((r) => setTimeout(() => r("TIMEOUT"), 2000))]);
  console.log(name, "iterator after stop:", res);
  // client
  const t0 = Date.now();
  const c = svcm.client();
  const it2 = await c.ping("nobody");
  try { const got = []; for await (const x of it2) got.push(x); console.log(name, "ping nobody:", got, Date.now() - t0); } catch (e) { console.log(name, "ping nobody err:", (e as Error).constructor.name, (e as Error).message, (e as Error).cause, Date.now() - t0); }
  await nc.close();
}
await srv.stop();
