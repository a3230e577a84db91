import assert from "node:assert/strict";
import { AdvisoryKind as OfficialAdvisoryKind } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "../mod.ts";
import { type Advisory, AdvisoryKind, jetstreamManager } from "../jetstream/mod.ts";
import { freePort, NatsServer } from "./helpers/server.ts";
import { take, waitFor } from "./helpers/util.ts";

const ADVISORY_SUBS = ["$JS.EVENT.ADVISORY.>", "$JS.EVENT.METRIC.CONSUMER.ACK.>"];

/** A JetStream server with monitoring, and a way to list the subscriptions its clients hold. */
async function monitoredServer(): Promise<{ srv: NatsServer; subs: () => Promise<string[]> }> {
  const http = freePort();
  const srv = await NatsServer.start({ jetstream: true, config: `http: "127.0.0.1:${http}"` });
  const subs = async () => {
    const res = await fetch(`http://127.0.0.1:${http}/connz?subs=1`);
    const body = (await res.json()) as { connections?: { subscriptions_list?: string[] }[] };
    return (body.connections ?? []).flatMap((c) => c.subscriptions_list ?? []);
  };
  return { srv, subs };
}

/** Only the advisories of `kinds` (leaving the loop leaves the source loop too). */
async function* only(it: AsyncIterable<Advisory>, ...kinds: AdvisoryKind[]): AsyncIterable<Advisory> {
  for await (const a of it) if (kinds.includes(a.kind)) yield a;
}

async function noAdvisorySubscriptions(nc: NatsConnection, subs: () => Promise<string[]>): Promise<void> {
  await nc.flush();
  await waitFor(async () => !(await subs()).some((s) => ADVISORY_SUBS.includes(s)), "advisory subscriptions gone");
}

type Event = { type: string; stream: string; consumer?: string; action?: string };

Deno.test("jetstream advisories - stream and consumer actions and API audits; break unsubscribes", async () => {
  const { srv, subs } = await monitoredServer();
  await using _srv = srv;
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  const advisories = jsm.advisories();
  await nc.flush();
  assert.deepEqual((await subs()).filter((s) => ADVISORY_SUBS.includes(s)).sort(), ADVISORY_SUBS.slice().sort());

  await jsm.streams.add({ name: "A", subjects: ["a.>"], storage: "memory" });
  await jsm.consumers.add("A", { durable_name: "d", ack_policy: "explicit" });
  await jsm.consumers.delete("A", "d");
  await jsm.streams.delete("A");

  const seen: Advisory[] = [];
  const loop = only(
    (async function* () {
      for await (const a of advisories) {
        seen.push(a);
        yield a;
      }
    })(),
    AdvisoryKind.StreamAction,
    AdvisoryKind.ConsumerAction,
  );
  const got = await take(loop, 4);
  // leave the loops, as a `break` would
  await (loop as AsyncGenerator<Advisory>).return(undefined);
  const events = got.map((a) => [a.kind, a.data as Event] as const);
  assert.deepEqual(
    events.map(([kind, e]) => [kind, e.type, e.action, e.stream, e.consumer]),
    [
      ["stream_action", "io.nats.jetstream.advisory.v1.stream_action", "create", "A", undefined],
      ["consumer_action", "io.nats.jetstream.advisory.v1.consumer_action", "create", "A", "d"],
      ["consumer_action", "io.nats.jetstream.advisory.v1.consumer_action", "delete", "A", "d"],
      ["stream_action", "io.nats.jetstream.advisory.v1.stream_action", "delete", "A", undefined],
    ],
  );
  const audits = seen.filter((a) => a.kind === AdvisoryKind.API).map((a) =>
    a.data as { type: string; subject: string }
  );
  assert.ok(audits.length > 0);
  for (const a of audits) assert.equal(a.type, "io.nats.jetstream.advisory.v1.api_audit");
  assert.ok(audits.some((a) => a.subject === "$JS.API.STREAM.CREATE.A"));
  // leaving the loop unsubscribed both subjects, and the iterable stays finished
  await noAdvisorySubscriptions(nc, subs);
  assert.deepEqual(await advisories[Symbol.asyncIterator]().next(), { done: true, value: undefined });
});

Deno.test("jetstream advisories - max_deliver, terminated and sampled ack events", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "E", subjects: ["e.>"], storage: "memory" });
  await jsm.consumers.add("E", { durable_name: "md", ack_policy: "explicit", max_deliver: 1 });
  await jsm.consumers.add("E", { durable_name: "tm", ack_policy: "explicit" });
  await jsm.consumers.add("E", { durable_name: "sampled", ack_policy: "explicit", sample_freq: "100%" });
  const js = jsm.jetstream();
  await js.publish("e.1", "x");
  await using advisories = jsm.advisories();
  await nc.flush();

  const md = await js.consumers.get("E", "md");
  (await md.next({ expires: 2000 }))!.nak();
  assert.equal(await md.next({ expires: 1000 }), null); // not delivered again: max_deliver reached
  (await (await js.consumers.get("E", "tm")).next({ expires: 2000 }))!.term("cannot parse");
  assert.equal(await (await (await js.consumers.get("E", "sampled")).next({ expires: 2000 }))!.ackAck(), true);

  const got = await take(
    only(advisories, AdvisoryKind.MaxDeliver, AdvisoryKind.Terminated, AdvisoryKind.Ack),
    3,
  );
  const byKind = new Map(got.map((a) => [a.kind, a.data as Event & Record<string, unknown>]));
  const maxDeliver = byKind.get(AdvisoryKind.MaxDeliver)!;
  assert.equal(maxDeliver.type, "io.nats.jetstream.advisory.v1.max_deliver");
  assert.deepEqual([maxDeliver.stream, maxDeliver.consumer, maxDeliver.stream_seq], ["E", "md", 1]);
  const terminated = byKind.get(AdvisoryKind.Terminated)!;
  assert.equal(terminated.type, "io.nats.jetstream.advisory.v1.terminated");
  assert.deepEqual([terminated.stream, terminated.consumer, terminated.reason], ["E", "tm", "cannot parse"]);
  const ack = byKind.get(AdvisoryKind.Ack)!;
  assert.equal(ack.type, "io.nats.jetstream.metric.v1.consumer_ack");
  assert.deepEqual([ack.stream, ack.consumer, ack.stream_seq], ["E", "sampled", 1]);
});

Deno.test("jetstream advisories - events without a kind or not JSON are skipped", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await using advisories = jsm.advisories();
  await nc.flush();
  nc.publish("$JS.EVENT.ADVISORY.CONSUMER.PINNED.S.C", JSON.stringify({ type: "pinned" }));
  nc.publish("$JS.EVENT.ADVISORY.API.LIMIT_REACHED", JSON.stringify({ type: "limit" }));
  nc.publish("$JS.EVENT.ADVISORY.STREAM.CREATED.S", "not json");
  nc.publish("$JS.EVENT.METRIC.OTHER.S", JSON.stringify({ type: "other" }));
  nc.publish("$JS.EVENT.ADVISORY.STREAM.LEADER_ELECTED.S", JSON.stringify({ type: "leader", stream: "S" }));
  const [first] = await take(advisories, 1);
  assert.deepEqual(first, { kind: AdvisoryKind.StreamLeaderElected, data: { type: "leader", stream: "S" } });
});

Deno.test("jetstream advisories - stop() and await using end the iteration and unsubscribe", async () => {
  const { srv, subs } = await monitoredServer();
  await using _srv = srv;
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  const advisories = jsm.advisories();
  const it = advisories[Symbol.asyncIterator]();
  const waiting = it.next();
  advisories.stop();
  assert.deepEqual(await waiting, { done: true, value: undefined });
  await noAdvisorySubscriptions(nc, subs);
  {
    await using scoped = jsm.advisories();
    await nc.flush();
    assert.equal((await subs()).filter((s) => ADVISORY_SUBS.includes(s)).length, 2);
    assert.ok(scoped);
  }
  await noAdvisorySubscriptions(nc, subs);
});

Deno.test("jetstream advisories - the kinds match the official client", () => {
  assert.deepEqual({ ...AdvisoryKind }, { ...OfficialAdvisoryKind });
});

Deno.test("jetstream advisories - unread advisories are bounded by maxPending; the rest are counted", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await using advisories = jsm.advisories({ maxPending: 5 });
  await nc.flush();
  // each API call is audited: 12 of them with nobody reading
  for (let i = 0; i < 12; i++) await jsm.streams.add({ name: `B${i}`, subjects: [`b${i}.>`] });
  // an audit and an action per add: all but 5 of them are dropped (the server sends them a little later)
  await waitFor(() => advisories.dropped >= 12 * 2 - 5, "advisories dropped");
  const kept: Advisory[] = [];
  advisories.stop();
  for await (const a of advisories) kept.push(a);
  assert.equal(kept.length, 5);
  // the oldest were kept
  assert.ok(kept.every((a) => (a.data as { stream?: string }).stream !== "B11"));
});
