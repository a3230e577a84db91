import assert from "node:assert/strict";
import { connect } from "../mod.ts";
import {
  FeatureNotSupportedError,
  JetStreamApiError,
  jetstreamManager,
  JetStreamNotEnabledError,
  JsApiCodes,
  nanos,
} from "../jetstream/mod.ts";
import { NatsServer, oldServerBin } from "./helpers/server.ts";

Deno.test("jetstream manage - streams add, info, update, names, list, delete", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  const si = await jsm.streams.add({ name: "A", subjects: ["a.>"], storage: "memory", max_age: nanos(60_000) });
  assert.equal(si.config.name, "A");
  assert.equal(si.config.max_age, 60_000_000_000);
  const up = await jsm.streams.update("A", { subjects: ["a.>", "aa.>"], description: "d" });
  assert.deepEqual(up.config.subjects, ["a.>", "aa.>"]);
  assert.equal(up.config.description, "d");
  await jsm.streams.add({ name: "B", subjects: ["b.>"], storage: "memory" });
  assert.deepEqual((await Array.fromAsync(jsm.streams.names())).sort(), ["A", "B"]);
  assert.deepEqual(await Array.fromAsync(jsm.streams.names("aa.x")), ["A"]);
  assert.deepEqual((await Array.fromAsync(jsm.streams.list())).map((s) => s.config.name).sort(), ["A", "B"]);
  assert.equal(await jsm.streams.find("b.1"), "B");
  assert.equal(await jsm.streams.delete("B"), true);
  await assert.rejects(
    () => jsm.streams.info("B"),
    (e: unknown) => e instanceof JetStreamApiError && e.err_code === JsApiCodes.StreamNotFound && e.status === 404,
  );
  await assert.rejects(
    () => jsm.streams.add({ name: "C", subjects: ["a.>"], storage: "memory" }),
    (e: unknown) => e instanceof JetStreamApiError && e.is(JsApiCodes.StreamSubjectOverlap),
  );
  const ai = await jsm.getAccountInfo();
  assert.equal(ai.streams, 1);
});

Deno.test("jetstream manage - list and names page through more than one page", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  const n = 300;
  const adds = [];
  for (let i = 0; i < n; i++) adds.push(jsm.streams.add({ name: `S${i}`, subjects: [`s.${i}`], storage: "memory" }));
  await Promise.all(adds);
  const names = await Array.fromAsync(jsm.streams.names());
  assert.equal(new Set(names).size, n);
  const infos = await Array.fromAsync(jsm.streams.list());
  assert.equal(new Set(infos.map((s) => s.config.name)).size, n);
  const lister = jsm.streams.list();
  assert.equal((await lister.next()).length, 256);
  assert.equal((await lister.next()).length, n - 256);
  assert.deepEqual(await lister.next(), []);
});

Deno.test("jetstream manage - purge variants and message get/delete", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "P", subjects: ["p.>"], storage: "memory" });
  const fill = async () => {
    for (let i = 1; i <= 5; i++) {
      await nc.request(`p.a`, `a${i}`);
      await nc.request(`p.b`, `b${i}`);
    }
  };
  await fill();
  assert.equal((await jsm.streams.purge("P", { filter: "p.a" })).purged, 5);
  assert.equal((await jsm.streams.purge("P", { filter: "p.b", keep: 2 })).purged, 3);
  await fill();
  const si = await jsm.streams.info("P", { subjects_filter: ">" });
  assert.deepEqual(si.state.subjects, { "p.a": 5, "p.b": 7 });
  assert.equal((await jsm.streams.purge("P", { seq: si.state.last_seq })).purged, 11);
  assert.equal((await jsm.streams.purge("P")).purged, 1);
  await fill();
  const last = await jsm.streams.getMessage("P", { last_by_subj: "p.a" });
  assert.equal(last?.string(), "a5");
  const bySeq = await jsm.streams.getMessage("P", { seq: last!.seq - 1 });
  assert.equal(bySeq?.string(), "b4");
  const next = await jsm.streams.getMessage("P", { next_by_subj: "p.b", seq: bySeq!.seq + 1 });
  assert.equal(next?.string(), "b5");
  assert.equal(await jsm.streams.deleteMessage("P", bySeq!.seq), true);
  assert.equal(await jsm.streams.deleteMessage("P", bySeq!.seq - 1, false), true);
  assert.equal(await jsm.streams.getMessage("P", { seq: bySeq!.seq }), null);
  const info = await jsm.streams.info("P", { deleted_details: true });
  assert.deepEqual(info.state.deleted, [bySeq!.seq - 1, bySeq!.seq]);
  assert.equal(await jsm.streams.getMessage("P", { last_by_subj: "p.none" }), null);
});

Deno.test("jetstream manage - consumers add, update, info, list, names, delete", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "C", subjects: ["c.>"], storage: "memory" });
  const ci = await jsm.consumers.add("C", { durable_name: "d1", ack_policy: "explicit", filter_subject: "c.a" });
  assert.equal(ci.name, "d1");
  assert.equal(ci.config.filter_subject, "c.a");
  await jsm.consumers.add("C", { name: "n2", ack_policy: "none", filter_subjects: ["c.x", "c.y"] });
  await assert.rejects(
    () => jsm.consumers.add("C", { durable_name: "d1", ack_policy: "none" }),
    (e: unknown) => e instanceof JetStreamApiError && e.is(JsApiCodes.ConsumerAlreadyExists),
  );
  const up = await jsm.consumers.update("C", "d1", { description: "hello", max_ack_pending: 10 });
  assert.equal(up.config.description, "hello");
  assert.equal(up.config.max_ack_pending, 10);
  await assert.rejects(
    () => jsm.consumers.update("C", "nope", {}),
    (e: unknown) => e instanceof JetStreamApiError && e.is(JsApiCodes.ConsumerNotFound),
  );
  assert.deepEqual((await Array.fromAsync(jsm.consumers.names("C"))).sort(), ["d1", "n2"]);
  assert.deepEqual((await Array.fromAsync(jsm.consumers.list("C"))).map((c) => c.name).sort(), ["d1", "n2"]);
  assert.equal(await jsm.consumers.delete("C", "n2"), true);
  assert.equal((await jsm.consumers.info("C", "d1")).config.ack_policy, "explicit");
});

Deno.test("jetstream manage - pause, resume and unpin on 2.11+", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "Q", subjects: ["q"], storage: "memory" });
  await jsm.consumers.add("Q", {
    durable_name: "p",
    ack_policy: "explicit",
    priority_groups: ["g"],
    priority_policy: "pinned_client",
    priority_timeout: nanos(60_000),
  });
  const until = new Date(Date.now() + 60_000);
  const r = await jsm.consumers.pause("Q", "p", until);
  assert.equal(r.paused, true);
  assert.equal(new Date(r.pause_until!).getTime(), until.getTime());
  assert.equal((await jsm.consumers.info("Q", "p")).paused, true);
  assert.equal((await jsm.consumers.resume("Q", "p")).paused, false);
  await jsm.consumers.unpin("Q", "p", "g");
  await assert.rejects(
    () => jsm.consumers.unpin("Q", "p", "nope"),
    (e: unknown) => e instanceof JetStreamApiError && e.is(JsApiCodes.ConsumerInvalidPriorityGroup),
  );
});

Deno.test("jetstream manage - not enabled is a typed error", async () => {
  await using srv = await NatsServer.start();
  await using nc = await connect({ servers: srv.url });
  await assert.rejects(() => jetstreamManager(nc), JetStreamNotEnabledError);
});

Deno.test("jetstream manage - domain prefix is honoured", async () => {
  await using srv = await NatsServer.start({ jetstream: true, config: "jetstream { domain: hub }" });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc, { domain: "hub" });
  const si = await jsm.streams.add({ name: "D", subjects: ["d"], storage: "memory" });
  assert.equal(si.config.name, "D");
  assert.equal((await jsm.getAccountInfo()).domain, "hub");
  await assert.rejects(() => jetstreamManager(nc, { domain: "other" }), JetStreamNotEnabledError);
});

Deno.test("jetstream manage - an old 2.9 server rejects 2.11 features with a clear error", async () => {
  const bin = oldServerBin();
  assert.ok(bin, "NATS_SERVER_BIN_OLD must point at a 2.9 server");
  await using srv = await NatsServer.start({ jetstream: true, bin });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "O", subjects: ["o"], storage: "memory" });
  await jsm.consumers.add("O", { durable_name: "c", ack_policy: "explicit" });
  await assert.rejects(
    () => jsm.consumers.pause("O", "c", new Date(Date.now() + 1000)),
    (e: unknown) => e instanceof FeatureNotSupportedError && e.required === "2.11.0" && e.serverVersion === "2.9.10",
  );
  await assert.rejects(
    () => jsm.streams.add({ name: "T", subjects: ["t"], allow_msg_ttl: true }),
    (e: unknown) => e instanceof FeatureNotSupportedError && /per-message TTL/.test(e.message),
  );
});
