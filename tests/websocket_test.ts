import assert from "node:assert/strict";
import { headers, NatsConnection } from "../mod.ts";
import { wsDial } from "../src/transport/websocket.ts";
import { denoWsDial } from "../src/transport/deno_websocket.ts";
import { certFiles } from "./helpers/certs.ts";
import { freePort, NatsServer } from "./helpers/server.ts";
import { take, waitFor } from "./helpers/util.ts";

async function wsServer(extra = "", ws = "no_tls: true"): Promise<{ srv: NatsServer; url: string; port: number }> {
  const port = freePort();
  const srv = await NatsServer.start({ config: `websocket { listen: "127.0.0.1:${port}", ${ws} }\n${extra}` });
  return { srv, url: `ws://127.0.0.1:${port}`, port };
}

Deno.test("websocket - publish, subscribe and request through the WebSocket port only", async () => {
  const { srv, url } = await wsServer();
  await using _srv = srv;
  const nc = await NatsConnection.connect({ servers: url }, wsDial);
  assert.ok(nc.info?.server_id);
  const sub = nc.subscribe("ws.greet");
  nc.publish("ws.greet", "one");
  nc.publish("ws.greet", new Uint8Array([1, 2, 3]));
  const [a, b] = await take(sub, 2);
  assert.equal(a.string(), "one");
  assert.deepEqual(b.data, new Uint8Array([1, 2, 3]));

  nc.subscribe("ws.echo", { callback: (_err, m) => m.respond(`echo:${m.string()}`) });
  const reply = await nc.request("ws.echo", "hi", { timeout: 5000 });
  assert.equal(reply.string(), "echo:hi");
  await nc.close();
});

Deno.test("websocket - headers round trip", async () => {
  const { srv, url } = await wsServer();
  await using _srv = srv;
  const nc = await NatsConnection.connect({ servers: url }, wsDial);
  const sub = nc.subscribe("ws.h");
  const h = headers();
  h.append("X-Id", "1");
  h.append("X-Id", "2");
  nc.publish("ws.h", "body", { headers: h });
  const [m] = await take(sub, 1);
  assert.deepEqual(m.headers?.values("X-Id"), ["1", "2"]);
  assert.equal(m.string(), "body");
  await nc.close();
});

Deno.test("websocket - 4 MiB messages span many frames and reads", async () => {
  const { srv, url } = await wsServer("max_payload: 8MB");
  await using _srv = srv;
  const nc = await NatsConnection.connect({ servers: url }, wsDial);
  assert.equal(nc.info?.max_payload, 8 * 1024 * 1024);
  const size = 4 * 1024 * 1024;
  const payloads = [0, 1, 2].map((k) => {
    const p = new Uint8Array(size);
    for (let i = 0; i < size; i++) p[i] = (i * 31 + k * 7) & 0xff;
    return p;
  });
  const sub = nc.subscribe("ws.big");
  const small = nc.subscribe("ws.small");
  for (const p of payloads) {
    nc.publish("ws.big", p);
    nc.publish("ws.small", "between");
  }
  const got = await take(sub, 3, 30_000);
  for (let k = 0; k < 3; k++) assert.deepEqual(got[k].data, payloads[k]);
  assert.equal((await take(small, 3)).length, 3);
  nc.subscribe("ws.big.echo", { callback: (_err, m) => m.respond(m.data) });
  const r = await nc.request("ws.big.echo", payloads[1], { timeout: 10_000 });
  assert.deepEqual(r.data, payloads[1]);
  await nc.close();
});

Deno.test("websocket - a URL with a path connects, and a stopped server ends the stream", async () => {
  const { srv, url } = await wsServer();
  const nc = await NatsConnection.connect({ servers: `${url}/some/path`, reconnect: false }, wsDial);
  const sub = nc.subscribe("ws.p");
  nc.publish("ws.p", "x");
  assert.equal((await take(sub, 1))[0].string(), "x");
  await srv.stop();
  const err = await nc.closed();
  assert.ok(err instanceof Error);
  assert.match(err.message, /closed/);
});

Deno.test("websocket - dialing a port with nothing listening fails with ConnectionError", async () => {
  const port = freePort();
  await assert.rejects(
    NatsConnection.connect({ servers: `ws://127.0.0.1:${port}`, reconnect: false }, wsDial),
    (err: Error) => err.name === "ConnectionError" && err.message.includes(`ws://127.0.0.1:${port}`),
  );
});

Deno.test("websocket - reconnects to the same ws:// URL after a server restart", async () => {
  const { srv, url } = await wsServer();
  await using _srv = srv;
  const nc = await NatsConnection.connect({ servers: `${url}/nats`, reconnectTimeWait: 100 }, wsDial);
  const sub = nc.subscribe("ws.r");
  await nc.flush();
  await srv.restart();
  await waitFor(() => nc.stats().reconnects === 1, "reconnect");
  nc.publish("ws.r", "after");
  assert.equal((await take(sub, 1))[0].string(), "after");
  await nc.close();
});

Deno.test("websocket - wss:// with a test CA, per connection", async () => {
  await using certs = await certFiles();
  const tls = `tls { cert_file: "${certs.path("serverCert")}", key_file: "${certs.path("serverKey")}" }`;
  const { srv, port } = await wsServer("", tls);
  await using _srv = srv;
  const nc = await NatsConnection.connect(
    { servers: `wss://127.0.0.1:${port}`, tls: { caCerts: [certs.pem.ca] } },
    denoWsDial,
  );
  assert.equal(nc.info?.tls_required, true);
  nc.subscribe("wss.echo", { callback: (_err, m) => m.respond(m.data) });
  assert.equal((await nc.request("wss.echo", "secure", { timeout: 5000 })).string(), "secure");
  await nc.close();

  await assert.rejects(
    NatsConnection.connect({ servers: `wss://127.0.0.1:${port}`, tls: { caCerts: [certs.pem.otherCa] } }, denoWsDial),
    (err: Error) => err.name === "ConnectionError" && /certificate|UnknownIssuer/i.test(err.message),
  );
  await assert.rejects(
    NatsConnection.connect({ servers: `wss://127.0.0.1:${port}`, tls: { caCerts: [certs.pem.ca] } }, wsDial),
    (err: Error) => err.name === "ConnectionError" && err.message.includes("denoWsDial"),
  );
});

Deno.test("websocket - wss:// with a client certificate (mutual TLS)", async () => {
  await using certs = await certFiles();
  const tls = `tls { cert_file: "${certs.path("serverCert")}", key_file: "${certs.path("serverKey")}", ` +
    `ca_file: "${certs.path("ca")}", verify: true }`;
  const { srv, port } = await wsServer("", tls);
  await using _srv = srv;
  const servers = `wss://127.0.0.1:${port}`;
  const nc = await NatsConnection.connect(
    { servers, tls: { caCerts: [certs.pem.ca], cert: certs.pem.clientCert, key: certs.pem.clientKey } },
    denoWsDial,
  );
  const sub = nc.subscribe("mtls");
  nc.publish("mtls", "ok");
  assert.equal((await take(sub, 1))[0].string(), "ok");
  await nc.close();
  await assert.rejects(
    NatsConnection.connect({ servers, tls: { caCerts: [certs.pem.ca] }, reconnect: false }, denoWsDial),
    (err: Error) => err.name === "ConnectionError",
  );
});
