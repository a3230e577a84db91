/** Values whose shape a nats.js program depends on: header match modes, JSON revivers. */
import assert from "node:assert/strict";
import { headers as njsHeaders, Match as njsMatch } from "@nats-io/nats-core";
import { headers, Match } from "../../mod.ts";
import { compatTest } from "./harness.ts";

Deno.test("compat - Match values are nats.js's strings, and header lookups by them agree", () => {
  assert.deepEqual({ ...Match }, { ...njsMatch });
  const ours = headers();
  const theirs = njsHeaders();
  ours.set("Content-Type", "text/plain");
  theirs.set("Content-Type", "text/plain");
  for (const mode of ["exact", "canonical", "insensitive"] as const) {
    for (const key of ["content-type", "Content-Type", "CONTENT-TYPE"]) {
      assert.equal(ours.get(key, mode), theirs.get(key, mode), `${mode} ${key}`);
    }
  }
});

compatTest("msg.json(reviver) applies the reviver", async (client, srv) => {
  const nc = await client.connect({ servers: srv.hostport });
  const sub = nc.subscribe("j", { max: 1 });
  nc.publish("j", JSON.stringify({ when: "2026-12-01T00:00:00.000Z", n: 1 }));
  let out: unknown;
  for await (const m of sub) {
    const v = (m as unknown as { json(r: (k: string, v: unknown) => unknown): { when: Date; n: number } }).json(
      (k, v) => k === "when" ? new Date(v as string) : v,
    );
    out = { year: v.when.getUTCFullYear(), n: v.n };
  }
  await nc.close();
  return out;
});
