import { connect as njs } from "@nats-io/transport-node";
import { Kvm as NKvm } from "@nats-io/kv";
import { jetstream as njsJs } from "@nats-io/jetstream";
import { connect as nw } from "../mod.ts";
import { Kvm as WKvm } from "../kv/mod.ts";
import { jetstream as nwJs } from "../jetstream/mod.ts";
const to = (p: Promise<unknown>, ms = 4000) => Promise.race([p.then((v) => ["ok", typeof v], (e) => ["err", e?.constructor?.name, e?.message]), new Promise((r) => setTimeout(() => r("TIMEOUT"), ms))]);
import { NatsServer } from "../tests/helpers/server.ts";
for (const jsOn of [false, true]) {
const srv = await NatsServer.start({ jetstream: jsOn });
for (const [name, connect, Kvm, jetstream] of [["njs", njs, NKvm, njsJs], ["nw", nw, WKvm, nwJs]] as const) {
  // deno-lint-ignore no-explicit-any
  const nc: any = await (connect as any)({ servers: srv.hostport });
  for (const opts of [undefined, { checkAPI: false }, { checkAPI: true }]) {
    let kvm;
    try {
      // deno-lint-ignore no-explicit-any
      kvm = new (Kvm as any)(opts ? (jetstream as any)(nc, opts) : nc);
    } catch (e) { console.log(jsOn, name, JSON.stringify(opts), "ctor", (e as Error).message); continue; }
    console.log(jsOn, name, JSON.stringify(opts), "open", await to(kvm.open("b1")));
    console.log(jsOn, name, JSON.stringify(opts), "create", await to(kvm.create("b1")));
    console.log(jsOn, name, JSON.stringify(opts), "open2", await to(kvm.open("b1").then((kv: any) => kv.get("k"))));
    console.log(jsOn, name, JSON.stringify(opts), "openmissing.get", await to(kvm.open("nope").then((kv: any) => kv.get("k"))));
    console.log(jsOn, name, JSON.stringify(opts), "openmissing.put", await to(kvm.open("nope").then((kv: any) => kv.put("k", "v"))));
  }
  await nc.close();
}
await srv.stop();
}
