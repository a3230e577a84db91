/**
 * Service programs written for nats.js, run on nats.js (`@nats-io/services`) and on natsw against
 * the same kind of server: the README's services (handler and iterator endpoints, groups,
 * discovery), the monitoring client's defaults and errors, and stopping services from their own
 * endpoints.
 */
import assert from "node:assert/strict";
import {
  ServiceResponseType as NjsServiceResponseType,
  ServiceVerb as NjsServiceVerb,
  Svcm as NjsSvcm,
} from "@nats-io/services";
import { ServiceResponseType, ServiceVerb, Svcm as NwSvcm } from "../../service/mod.ts";
import { type CompatClient, type CompatConnection, type CompatMsg, compatTest } from "./harness.ts";

/** A request an endpoint receives, as both clients give it. */
interface Request extends CompatMsg {
  json<T>(): T;
}

/** An iterator with nats.js's `QueuedIterator` surface. */
interface Queued<T> extends AsyncIterable<T> {
  stop(err?: Error): void;
  getProcessed(): number;
}

/** The part of a service's API both clients share. */
interface Service {
  readonly stopped: Promise<null | Error>;
  readonly isStopped: boolean;
  addEndpoint(name: string, handler?: (err: Error | null, msg: Request) => void): Queued<Request>;
  addGroup(name: string): { addEndpoint(name: string): Queued<Request> };
  stop(): Promise<null | Error>;
  info(): { id: string };
}

/** A discovery response, as both clients give it. */
interface Response {
  type: string;
  name: string;
  id: string;
  endpoints?: { name: string; subject: string; num_requests?: number; num_errors?: number; data?: unknown }[];
}

/** The part of the manager's API both clients share. */
interface ServiceManager {
  add(config: Record<string, unknown>): Promise<Service>;
  client(opts?: Record<string, unknown>): {
    ping(name?: string, id?: string): Promise<Queued<Response>>;
    info(name?: string, id?: string): Promise<Queued<Response>>;
    stats(name?: string, id?: string): Promise<Queued<Response>>;
  };
}

/** The `Svcm` of `client`, over `nc`. */
function svcm(client: CompatClient, nc: CompatConnection): ServiceManager {
  const Svcm = client.name === "nats.js" ? NjsSvcm : NwSvcm;
  return new Svcm(nc as never) as unknown as ServiceManager;
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of it) out.push(v);
  return out;
}

/** `p`, or "timed out" when it has not settled within `ms`. */
async function within<T>(p: Promise<T>, ms = 5000): Promise<T | "timed out"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"timed out">((resolve) => timer = setTimeout(() => resolve("timed out"), ms));
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

Deno.test("compat - ServiceVerb and ServiceResponseType have nats.js's members and values", () => {
  assert.deepEqual({ ...ServiceVerb }, { ...NjsServiceVerb });
  assert.deepEqual({ ...ServiceResponseType }, { ...NjsServiceResponseType });
});

compatTest("service README: a handler endpoint, discovered and monitored", async (client, srv) => {
  const nc = await client.connect({ servers: srv.hostport });
  const m = svcm(client, nc);
  const service = await m.add({ name: "max", version: "0.0.1", description: "returns the max number" });
  service.addEndpoint("max", (_err, msg) => {
    msg.respond(JSON.stringify(Math.max(...msg.json<number[]>())));
  });
  const answer = (await nc.request("max", JSON.stringify([1, 7, 3]), { timeout: 5000 })).string();
  const monitor = m.client();
  const pings = (await collect(await monitor.ping())).map((p) => [p.type, p.name, p.id === service.info().id]);
  const [info] = await collect(await monitor.info("max"));
  const [stats] = await collect(await monitor.stats("max", service.info().id));
  await service.stop();
  await nc.close();
  return {
    answer,
    pings,
    endpoints: info.endpoints?.map((e) => [e.name, e.subject]),
    requests: stats.endpoints?.map((e) => [e.name, e.num_requests, e.num_errors]),
  };
});

compatTest(
  "service README: an iterator endpoint in a group; leaving its loop stops the service",
  async (client, srv) => {
    const nc = await client.connect({ servers: srv.hostport });
    const calc = await svcm(client, nc).add({ name: "calc", version: "0.0.1" });
    const sums = calc.addGroup("calc").addEndpoint("sum");
    const served = (async () => {
      for await (const msg of sums) {
        msg.respond(JSON.stringify(msg.json<number[]>().reduce((a, b) => a + b)));
        if (sums.getProcessed() === 2) break;
      }
    })();
    const first = (await nc.request("calc.sum", JSON.stringify([1, 2, 3]), { timeout: 5000 })).string();
    const second = (await nc.request("calc.sum", JSON.stringify([4, 5]), { timeout: 5000 })).string();
    await served;
    const stopped = await within(calc.stopped);
    await nc.close();
    return { first, second, stopped, isStopped: calc.isStopped };
  },
);

compatTest("service client(): stalls by default, throws NoRespondersError, and stop() ends it", async (client, srv) => {
  const nc = await client.connect({ servers: srv.hostport });
  const m = svcm(client, nc);
  const service = await m.add({ name: "echo", version: "1.0.0" });
  const started = Date.now();
  const found = (await collect(await m.client().ping("echo"))).length;
  const quick = Date.now() - started < 1500;
  // the class, not `name`: nats.js names this error "NoResponders"
  const nobody = await collect(await m.client().ping("nobody")).then(() => "ended", (e: Error) => e.constructor.name);
  const long = await m.client({ maxWait: 10_000 }).ping();
  const t = Date.now();
  for await (const _p of long) long.stop();
  const stoppedEarly = Date.now() - t < 2000;
  await service.stop();
  await nc.close();
  return { found, quick, nobody, stoppedEarly, processed: long.getProcessed() };
});

compatTest("service client(): a reply that is not JSON ends the iteration with a SyntaxError", async (client, srv) => {
  const nc = await client.connect({ servers: srv.hostport });
  nc.subscribe("$SRV.INFO.odd", {
    callback: (_e: unknown, msg: CompatMsg) => {
      msg.respond(JSON.stringify({ type: "io.nats.micro.v1.info_response", name: "odd", id: "1" }));
      msg.respond("not json");
    },
  });
  await nc.flush();
  const names: string[] = [];
  const ended = await (async () => {
    for await (const i of await svcm(client, nc).client({ maxWait: 1000 }).info("odd")) names.push(i.name);
  })().then(() => "ended", (e: Error) => e.name);
  await nc.close();
  return { names, ended };
});

compatTest(
  "service stop() called from an iterating loop resolves, and the iterator's stop() stops the service",
  async (client, srv) => {
    const nc = await client.connect({ servers: srv.hostport });
    const m = svcm(client, nc);
    const a = await m.add({ name: "a", version: "1.0.0" });
    const quit = a.addEndpoint("quit");
    const inLoop = (async () => {
      for await (const msg of quit) {
        msg.respond("bye");
        return await within(a.stop());
      }
    })();
    const bye = (await nc.request("quit", "", { timeout: 5000 })).string();
    const result = await within(inLoop);

    const b = await m.add({ name: "b", version: "1.0.0" });
    const ep = b.addEndpoint("ep");
    const loop = collect(ep);
    ep.stop();
    const ended = (await within(loop)) !== "timed out";
    const stopped = await within(b.stopped);
    await nc.close();
    return { bye, result, ended, stopped, isStopped: b.isStopped };
  },
);

compatTest("service statsHandler data is reported, and a failing one counts an error", async (client, srv) => {
  const nc = await client.connect({ servers: srv.hostport });
  const m = svcm(client, nc);
  const service = await m.add({
    name: "s",
    version: "1.0.0",
    statsHandler: (ep: { subject: string }) => {
      if (ep.subject === "bad") return Promise.reject(new Error("no data"));
      return Promise.resolve({ subject: ep.subject });
    },
  });
  service.addEndpoint("good", () => {});
  service.addEndpoint("bad", () => {});
  const [stats] = await collect(await m.client().stats("s"));
  await service.stop();
  await nc.close();
  return stats.endpoints?.map((e) => [e.name, e.num_errors, e.data ?? null]);
});
