import assert from "node:assert/strict";
import {
  connect,
  headers,
  InvalidArgumentError,
  InvalidSubjectError,
  type Msg,
  type NatsConnection,
  TimeoutError,
} from "../mod.ts";
import { jetstreamManager } from "../jetstream/mod.ts";
import { NatsServer } from "./helpers/server.ts";
import { take } from "./helpers/util.ts";

/** One trace event of a `MsgTraceEvent` document (nats-server msgtrace.go). */
interface TraceEvent {
  type: string;
  kind?: number;
  cid?: number;
  acc?: string;
  subj?: string;
  sub?: string;
  stream?: string;
  subject?: string;
  error?: string;
}

/** The JSON document a server publishes to the trace destination. */
interface TraceDoc {
  server: { name: string; ver: string };
  request: { header?: Record<string, string[]>; msgsize?: number };
  hops?: number;
  events: TraceEvent[];
}

function eventOf(doc: TraceDoc, type: string): TraceEvent {
  const e = doc.events.find((ev) => ev.type === type);
  assert.ok(e, `no '${type}' event in ${JSON.stringify(doc.events)}`);
  return e;
}

async function setup(nc: NatsConnection) {
  const traces = nc.subscribe("trace.dest");
  const app = nc.subscribe("greet");
  await nc.flush();
  return { traces, app };
}

Deno.test("trace - a traced publish is delivered and reported to the trace destination", async () => {
  await using srv = await NatsServer.start();
  await using nc = await connect({ servers: srv.url });
  const { traces, app } = await setup(nc);
  const h = headers();
  h.set("X-Id", "7");
  nc.publish("greet", "hello", { headers: h, traceDestination: "trace.dest" });
  assert.deepEqual(h.keys(), ["X-Id"], "the caller's headers are not modified");
  const [m] = await take(app, 1);
  assert.equal(m.string(), "hello");
  assert.equal(m.headers?.get("X-Id"), "7");
  assert.equal(m.headers?.get("Nats-Trace-Dest"), "trace.dest");
  const [t] = await take(traces, 1);
  const doc = t.json<TraceDoc>();
  assert.equal(doc.server.ver, nc.info?.version);
  assert.deepEqual(doc.request.header?.["Nats-Trace-Dest"], ["trace.dest"]);
  assert.deepEqual(doc.request.header?.["X-Id"], ["7"]);
  const ingress = eventOf(doc, "in");
  assert.equal(ingress.kind, 0, "ingress from a client connection");
  assert.equal(ingress.subj, "greet");
  assert.equal(ingress.acc, "$G");
  const egress = eventOf(doc, "eg");
  assert.equal(egress.kind, 0);
  assert.equal(egress.sub, "greet");
  assert.equal(ingress.cid, egress.cid, "published and received on the same connection");
});

Deno.test("trace - traceOnly reports the delivery without delivering", async () => {
  await using srv = await NatsServer.start();
  await using nc = await connect({ servers: srv.url });
  const { traces, app } = await setup(nc);
  nc.publish("greet", "not delivered", { traceDestination: "trace.dest", traceOnly: true });
  nc.publish("greet", "marker");
  const [first] = await take(app, 1);
  assert.equal(first.string(), "marker", "the trace-only message never reached the subscriber");
  const [t] = await take(traces, 1);
  const doc = t.json<TraceDoc>();
  assert.deepEqual(doc.request.header?.["Nats-Trace-Only"], ["true"]);
  assert.equal(eventOf(doc, "in").subj, "greet");
  assert.equal(eventOf(doc, "eg").sub, "greet", "the egress it would have taken is reported");
});

Deno.test("trace - requests and requestMany carry the trace headers", async () => {
  await using srv = await NatsServer.start();
  await using nc = await connect({ servers: srv.url });
  const traces = nc.subscribe("trace.dest");
  const seen: Msg[] = [];
  nc.subscribe("svc", {
    callback: (_err, m) => {
      seen.push(m);
      m.respond(`re:${m.string()}`);
    },
  });
  await nc.flush();
  const r1 = await nc.request("svc", "a", { traceDestination: "trace.dest", timeout: 2000 });
  assert.equal(r1.string(), "re:a");
  const r2 = await nc.request("svc", "b", { traceDestination: "trace.dest", noMux: true, timeout: 2000 });
  assert.equal(r2.string(), "re:b");
  const many = await nc.requestMany("svc", "c", { traceDestination: "trace.dest", maxMessages: 1, maxWait: 2000 });
  const replies = await take(many, 1);
  assert.equal(replies[0].string(), "re:c");
  assert.deepEqual(seen.map((m) => m.headers?.get("Nats-Trace-Dest")), ["trace.dest", "trace.dest", "trace.dest"]);
  const docs = (await take(traces, 3)).map((t) => t.json<TraceDoc>());
  for (const doc of docs) {
    assert.equal(eventOf(doc, "in").subj, "svc");
    assert.equal(eventOf(doc, "eg").sub, "svc");
  }
  await assert.rejects(
    () => nc.request("svc", "d", { traceDestination: "trace.dest", traceOnly: true, timeout: 200 }),
    TimeoutError,
  );
  const [onlyTrace] = await take(traces, 1);
  assert.deepEqual(onlyTrace.json<TraceDoc>().request.header?.["Nats-Trace-Only"], ["true"]);
  assert.equal(seen.length, 3, "the trace-only request never reached the responder");
});

Deno.test("trace - JetStream reports the stream and traceOnly stores nothing", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  await using nc = await connect({ servers: srv.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "T", subjects: ["t.>"], storage: "memory" });
  const traces = nc.subscribe("trace.dest");
  await nc.flush();
  nc.publish("t.1", "stored", { traceDestination: "trace.dest" });
  const [t1] = await take(traces, 1);
  const js1 = eventOf(t1.json<TraceDoc>(), "js");
  assert.equal(js1.stream, "T");
  assert.equal(js1.subject, "t.1");
  assert.equal(js1.error, undefined);
  nc.publish("t.2", "not stored", { traceDestination: "trace.dest", traceOnly: true });
  const [t2] = await take(traces, 1);
  assert.equal(eventOf(t2.json<TraceDoc>(), "js").stream, "T");
  const info = await jsm.streams.info("T");
  assert.equal(info.state.messages, 1);
  assert.equal(info.state.last_seq, 1);
});

Deno.test("trace - bad options throw before anything is sent", async () => {
  await using srv = await NatsServer.start();
  await using nc = await connect({ servers: srv.url });
  const app = nc.subscribe("greet");
  await nc.flush();
  assert.throws(() => nc.publish("greet", "x", { traceDestination: "trace.*" }), InvalidSubjectError);
  assert.throws(() => nc.publish("greet", "x", { traceDestination: "has space" }), InvalidSubjectError);
  assert.throws(() => nc.publish("greet", "x", { traceDestination: "" }), InvalidSubjectError);
  assert.throws(() => nc.publish("greet", "x", { traceOnly: true }), InvalidArgumentError);
  await assert.rejects(() => nc.request("greet", "x", { traceDestination: "a..b" }), InvalidSubjectError);
  await assert.rejects(() => nc.request("greet", "x", { traceOnly: true, noMux: true }), InvalidArgumentError);
  await assert.rejects(() => nc.requestMany("greet", "x", { traceDestination: ">" }), InvalidSubjectError);
  nc.publish("greet", "marker");
  const [first] = await take(app, 1);
  assert.equal(first.string(), "marker");
});
