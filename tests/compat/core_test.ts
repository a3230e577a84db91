/** Core behaviours a nats.js program relies on, checked against nats.js itself. */
import { type CompatConnection, compatTest } from "./harness.ts";
import { NatsServer } from "../helpers/server.ts";

compatTest("connect({ port }) dials 127.0.0.1:<port>", async (client, srv) => {
  const nc = await client.connect({ port: srv.port });
  nc.subscribe("echo", { callback: (_e: unknown, m: { respond(d: string): void }) => m.respond("pong") });
  const reply = await nc.request("echo", "ping", { timeout: 5_000 });
  await nc.close();
  return reply.string();
});

compatTest("connect({ timeout: undefined }) keeps the default timeout", async (client, srv) => {
  const nc = await client.connect({ servers: srv.hostport, timeout: undefined });
  await nc.flush();
  await nc.close();
  return "connected";
});

compatTest("breaking out of for await unsubscribes", async (client, srv) => {
  const nc = await client.connect({ servers: srv.hostport });
  const sub = nc.subscribe("loop");
  for (let i = 0; i < 3; i++) nc.publish("loop", `m${i}`);
  const seen: string[] = [];
  for await (const m of sub) {
    seen.push(m.string());
    break;
  }
  await nc.flush();
  nc.publish("loop", "after");
  await nc.flush();
  const result = { seen, closed: sub.isClosed() };
  await nc.close();
  return result;
});

compatTest("respondMessage(msg) sends the message itself to its reply subject", async (client, srv) => {
  const nc = await client.connect({ servers: srv.hostport });
  nc.subscribe("mirror", { callback: (_e: unknown, m: unknown) => nc.respondMessage(m as never) });
  const reply = await nc.request("mirror", "look at me", { timeout: 5_000 });
  await nc.close();
  return { data: reply.string(), replyIsInbox: (reply.reply ?? "").startsWith("_INBOX.") };
});

compatTest("a tight synchronous loop of 500,000 publishes is delivered whole", async (client, srv) => {
  const nc = await client.connect({ servers: srv.hostport });
  let got = 0;
  nc.subscribe("tight", { callback: () => got++ });
  await nc.flush();
  const payload = new Uint8Array(64);
  for (let i = 0; i < 500_000; i++) nc.publish("tight", payload);
  await nc.flush();
  for (let i = 0; i < 600 && got < 500_000; i++) await new Promise((r) => setTimeout(r, 50));
  await nc.close();
  return got;
});

compatTest("requestMany({ strategy: 'stall' }) ends after the replies stop, not at maxWait", async (client, srv) => {
  const nc = await client.connect({ servers: srv.hostport });
  for (let i = 0; i < 3; i++) {
    nc.subscribe("many", { callback: (_e: unknown, m: { respond(d: string): void }) => m.respond(`r${i}`) });
  }
  await nc.flush();
  const started = Date.now();
  const replies: string[] = [];
  for await (const m of await nc.requestMany("many", "", { strategy: "stall", stall: 200, maxWait: 10_000 })) {
    replies.push(m.string());
  }
  const early = Date.now() - started < 5_000;
  await nc.close();
  return { count: replies.length, early };
});

compatTest("requestMany({ strategy: 'count' }) stops at maxMessages", async (client, srv) => {
  const nc = await client.connect({ servers: srv.hostport });
  for (let i = 0; i < 4; i++) {
    nc.subscribe("count", { callback: (_e: unknown, m: { respond(d: string): void }) => m.respond("r") });
  }
  await nc.flush();
  let n = 0;
  for await (const _m of await nc.requestMany("count", "", { strategy: "count", maxMessages: 2, maxWait: 5_000 })) n++;
  await nc.close();
  return n;
});

/** A server where user `u` may not subscribe to `secret.>`. */
const DENY_SECRET = {
  config:
    `authorization { users: [ { user: "u", password: "p", permissions: { subscribe: { deny: ["secret.>"] } } } ] }`,
};

compatTest(
  "a callback subscription the server denies gets the error once and closes; the connection stays",
  async (client, srv) => {
    const nc = await client.connect({ servers: srv.hostport, user: "u", pass: "p" });
    const errors: string[] = [];
    let done: () => void = () => {};
    const called = new Promise<void>((r) => done = r);
    for (const queue of [undefined, "workers"]) {
      nc.subscribe("secret.x", {
        queue,
        callback: (err: { name: string } | null) => {
          if (err) errors.push(err.name);
          if (errors.length === 2) done();
        },
      });
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([called, new Promise((r) => timer = setTimeout(r, 5_000))]);
    clearTimeout(timer);
    nc.subscribe("open", { callback: (_e: unknown, m: { respond(d: string): void }) => m.respond("still up") });
    const reply = (await nc.request("open", "", { timeout: 5_000 })).string();
    await nc.close();
    return { errors, after: reply };
  },
  DENY_SECRET,
);

compatTest("a subscription timeout reaches the callback with a TimeoutError", async (client, srv) => {
  const nc = await client.connect({ servers: srv.hostport });
  const got = await new Promise<string>((resolve) => {
    nc.subscribe("quiet", {
      timeout: 100,
      callback: (err: { name: string } | null) => resolve(err ? err.name : "msg"),
    });
  });
  await nc.close();
  return got;
});

compatTest("setServers() moves the client to the new pool on the next reconnect", async (client, srv) => {
  await using other = await NatsServer.start();
  const nc = await client.connect({ servers: srv.hostport, reconnectTimeWait: 50 }) as CompatConnection & {
    setServers(s: string[]): void;
    reconnect(): Promise<void>;
    info?: { port: number };
  };
  const bad = (() => {
    try {
      nc.setServers([]);
      return "accepted";
    } catch (e) {
      return (e as Error).name;
    }
  })();
  nc.setServers([other.hostport]);
  await nc.reconnect();
  for (let i = 0; i < 200 && nc.info?.port !== other.port; i++) await new Promise((r) => setTimeout(r, 25));
  const movedTo = nc.info?.port === other.port ? "other" : "same";
  await nc.close();
  return { bad, movedTo };
});
