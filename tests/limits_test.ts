import assert from "node:assert/strict";
import { connect, InvalidSubjectError, OutboundBufferFullError, ProtocolError } from "../mod.ts";
import { NatsServer } from "./helpers/server.ts";
import { take } from "./helpers/util.ts";

Deno.test("limits - the outbound buffer is bounded while connected; writable() waits for room", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url, maxOutboundBytes: 64 * 1024 });
  const sub = nc.subscribe("ob");
  await nc.flush();
  const payload = new Uint8Array(1000);
  let sent = 0;
  assert.throws(() => {
    for (let i = 0; i < 1000; i++) {
      nc.publish("ob", payload);
      sent++;
    }
  }, OutboundBufferFullError);
  assert.ok(sent > 30 && sent < 70, `a synchronous burst stops near the limit (${sent})`);
  for (let i = sent; i < 1000; i++) {
    if (i % 16 === 0) await nc.writable();
    nc.publish("ob", payload);
  }
  await nc.flush();
  const got = await take(sub, 1000);
  assert.equal(got.length, 1000);
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
