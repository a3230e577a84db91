import assert from "node:assert/strict";
import { connect, InvalidSubjectError, OutboundBufferFullError, ProtocolError } from "../mod.ts";
import { NatsServer } from "./helpers/server.ts";
import { delay, take, waitFor } from "./helpers/util.ts";

Deno.test("limits - a synchronous loop of 2 M publishes succeeds, far past maxOutboundBytes", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url });
  let got = 0;
  nc.subscribe("burst", { callback: () => got++ });
  await nc.flush();
  const payload = new Uint8Array(16);
  const n = 2_000_000;
  for (let i = 0; i < n; i++) nc.publish("burst", payload);
  await nc.flush();
  await waitFor(() => got === n, `all ${n} messages (got ${got})`, 60_000);
  await nc.close();
});

Deno.test("limits - a synchronous burst stops at 16 times the limit; writable() waits for room", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url, maxOutboundBytes: 64 * 1024 });
  const sub = nc.subscribe("ob");
  await nc.flush();
  const payload = new Uint8Array(1000);
  let sent = 0;
  const err = (() => {
    try {
      for (let i = 0; i < 2000; i++) {
        nc.publish("ob", payload);
        sent++;
      }
    } catch (e) {
      return e;
    }
  })();
  assert.ok(err instanceof OutboundBufferFullError, String(err));
  assert.equal(err.limit, 16 * 64 * 1024);
  assert.ok(sent > 950 && sent < 1050, `a synchronous burst stops near 16 x the limit (${sent})`);
  for (let i = sent; i < 2000; i++) {
    if ((i - sent) % 16 === 0) await nc.writable();
    nc.publish("ob", payload);
  }
  await nc.flush();
  const got = await take(sub, 2000);
  assert.equal(got.length, 2000);
  await nc.close();
});

Deno.test("limits - a producer on a stalled socket gets OutboundBufferFullError, then recovers", async () => {
  await using srv = await NatsServer.start();
  const limit = 256 * 1024;
  const nc = await connect({ servers: srv.url, maxOutboundBytes: limit, pingInterval: 60_000 });
  await nc.flush();
  const payload = new Uint8Array(1000);
  srv.signal("SIGSTOP");
  let err: unknown;
  try {
    const deadline = Date.now() + 30_000;
    for (let i = 0; i < 1_000_000 && Date.now() < deadline && err === undefined; i++) {
      try {
        nc.publish("stalled", payload);
      } catch (e) {
        err = e;
      }
      if (i % 10 === 9) await delay(5);
    }
  } finally {
    srv.signal("SIGCONT");
  }
  assert.ok(err instanceof OutboundBufferFullError, `a stalled socket must refuse publishes (${err})`);
  assert.equal(err.limit, limit);
  await nc.writable();
  nc.publish("stalled", payload);
  await nc.flush();
  await nc.close();
});

Deno.test("options - verbose and pedantic modes, custom inbox prefix", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url, verbose: true, pedantic: true, inboxPrefix: "_MY.inbox" });
  nc.subscribe("v", { callback: (_e, m) => m.respond(m.reply ?? "") });
  const reply = await nc.request("v", "x");
  assert.match(reply.string(), /^_MY\.inbox\./);
  await nc.close();
  await assert.rejects(connect({ servers: srv.url, inboxPrefix: "bad.*" }), InvalidSubjectError);
});

Deno.test("protocol - a peer that sends garbage closes the connection with a clear ProtocolError", async () => {
  // Not a NATS server: a hostile TCP peer that answers the handshake, then sends bytes that break
  // the protocol. The client must close with a typed error and not hang.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const peer = (async () => {
    const conn = await listener.accept();
    const enc = new TextEncoder();
    await conn.write(enc.encode('INFO {"server_id":"x","version":"0","host":"x","port":1,"max_payload":1024}\r\n'));
    const buf = new Uint8Array(4096);
    await conn.read(buf); // CONNECT + PING
    await conn.write(enc.encode("PONG\r\nMSG a 1 5\r\nhello\r\nBOGUS stuff\r\n"));
    await conn.read(buf).catch(() => null);
    conn.close();
  })();
  const nc = await connect({ servers: `127.0.0.1:${port}`, reconnect: false });
  const err = await nc.closed();
  assert.ok(err instanceof ProtocolError, `closed with ${err}`);
  assert.match(err.message, /unknown protocol operation near 'BOGUS stuff/);
  await peer;
  listener.close();
});
