/** Core behaviours a nats.js program relies on, checked against nats.js itself. */
import { compatTest } from "./harness.ts";

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
