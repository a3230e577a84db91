import assert from "node:assert/strict";
import { connect as officialConnect, headers as officialHeaders } from "@nats-io/transport-node";
import { connect, headers } from "../mod.ts";
import { NatsServer } from "./helpers/server.ts";
import { take } from "./helpers/util.ts";

Deno.test("interop - messages, headers and requests both ways with the official client", async () => {
  await using srv = await NatsServer.start();
  const ours = await connect({ servers: srv.url });
  const theirs = await officialConnect({ servers: srv.url });
  try {
    // official → ours
    const sub = ours.subscribe("to.ours.>");
    await ours.flush();
    const oh = officialHeaders();
    oh.append("X-From", "official");
    oh.append("X-Multi", "1");
    oh.append("X-Multi", "2");
    theirs.publish("to.ours.a", "plain");
    theirs.publish("to.ours.b", new Uint8Array([0, 1, 2, 255]), { headers: oh, reply: "reply.here" });
    await theirs.flush();
    const [a, b] = await take(sub, 2);
    assert.equal(a.string(), "plain");
    assert.deepEqual(b.data, new Uint8Array([0, 1, 2, 255]));
    assert.equal(b.headers?.get("X-From"), "official");
    assert.deepEqual(b.headers?.values("X-Multi"), ["1", "2"]);
    assert.equal(b.reply, "reply.here");
    assert.equal(b.subject, "to.ours.b");

    // ours → official
    const theirSub = theirs.subscribe("to.theirs", { max: 2 });
    await theirs.flush();
    const h = headers();
    h.set("X-From", "natsw");
    ours.publish("to.theirs", "hello");
    ours.publish("to.theirs", "with headers", { headers: h });
    await ours.flush();
    const got: { data: string; hdr?: string }[] = [];
    for await (const m of theirSub) got.push({ data: m.string(), hdr: m.headers?.get("X-From") });
    assert.deepEqual(got, [{ data: "hello", hdr: undefined }, { data: "with headers", hdr: "natsw" }]);

    // requests: official responder, our requester; and the reverse
    theirs.subscribe("svc.theirs", { callback: (_e, m) => void m.respond(`official got ${m.string()}`) });
    ours.subscribe("svc.ours", { callback: (_e, m) => m.respond(`natsw got ${m.string()}`) });
    await theirs.flush();
    await ours.flush();
    assert.equal((await ours.request("svc.theirs", "1")).string(), "official got 1");
    assert.equal((await theirs.request("svc.ours", "2")).string(), "natsw got 2");
  } finally {
    await theirs.close();
    await ours.close();
  }
});
