import assert from "node:assert/strict";
import { connect as officialConnect } from "@nats-io/transport-node";
import { Objm as OfficialObjm } from "@nats-io/obj";
import { connect } from "../mod.ts";
import { Objm } from "../obj/mod.ts";
import { NatsServer } from "./helpers/server.ts";

function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 13 + seed + (i >> 10)) & 0xff;
  return out;
}

const SIZES = [0, 1, 128 * 1024, 128 * 1024 + 1, 3 * 1024 * 1024 + 17];
type Info = { name: string; size: number; chunks: number; digest: string; nuid: string; bucket: string };
const pick = (i: Info) => ({ name: i.name, size: i.size, chunks: i.chunks, digest: i.digest, nuid: i.nuid });

Deno.test("obj interop - natsw reads objects and links the official client stored", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  const onc = await officialConnect({ servers: srv.url });
  const written: Info[] = [];
  try {
    const oos = await new OfficialObjm(onc).create("shared", { storage: "memory" as never });
    for (const n of SIZES) {
      written.push(await oos.putBlob({ name: `official/${n} ~?`, description: "from nats.js" }, bytes(n, n)));
    }
    await oos.link("link", written[4] as never);
  } finally {
    await onc.close();
  }
  await using nc = await connect({ servers: srv.url });
  const os = await new Objm(nc).open("shared");
  for (const [i, n] of SIZES.entries()) {
    const info = await os.info(`official/${n} ~?`);
    assert.ok(info);
    assert.deepEqual(pick(info), pick(written[i]));
    assert.equal(info.description, "from nats.js");
    assert.deepEqual(await os.getBlob(info.name), bytes(n, n));
  }
  assert.deepEqual(await os.getBlob("link"), bytes(SIZES[4], SIZES[4]));
  assert.equal((await os.list()).length, SIZES.length + 1);
});

Deno.test("obj interop - the official client reads objects and links natsw stored", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const os = await new Objm(nc).create("shared", { storage: "memory" });
  const written: Info[] = [];
  for (const n of SIZES) {
    written.push(await os.putBlob({ name: `natsw/${n} ~?`, metadata: { n: `${n}` } }, bytes(n, n)));
  }
  await os.link("link", (await os.info(`natsw/${SIZES[2]} ~?`))!);
  await os.putBlob({ name: "gone" }, bytes(10, 1));
  await os.delete("gone");
  const onc = await officialConnect({ servers: srv.url });
  try {
    const oos = await new OfficialObjm(onc).open("shared");
    for (const [i, n] of SIZES.entries()) {
      const info = await oos.info(`natsw/${n} ~?`);
      assert.ok(info);
      assert.deepEqual(pick(info), pick(written[i]));
      assert.deepEqual(info.metadata, { n: `${n}` });
      assert.deepEqual(new Uint8Array((await oos.getBlob(info.name))!), bytes(n, n));
    }
    assert.deepEqual(new Uint8Array((await oos.getBlob("link"))!), bytes(SIZES[2], SIZES[2]));
    assert.equal((await oos.info("gone"))?.deleted, true);
    assert.equal((await oos.list()).length, SIZES.length + 1);
    const status = await oos.status();
    assert.equal(status.bucket, "shared");
  } finally {
    await onc.close();
  }
});
