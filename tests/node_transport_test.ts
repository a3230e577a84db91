/**
 * The Node transport (`src/transport/node_tcp.ts`, `node:net`/`node:tls`) under Deno's Node
 * compatibility, against real servers: the same code the npm package runs on Node (the npm smoke
 * suite, scripts/node_smoke.sh, runs it on Node itself).
 */
import assert from "node:assert/strict";
import { connect as nodeConnect } from "../src/runtime/node.ts";
import { NatsServer } from "./helpers/server.ts";
import { certFiles } from "./helpers/certs.ts";
import { take, waitFor } from "./helpers/util.ts";

Deno.test("node transport - payloads larger than the read buffer arrive whole and in order", async () => {
  await using srv = await NatsServer.start({ config: "max_payload: 8MB" });
  const nc = await nodeConnect({ servers: srv.url });
  const sub = nc.subscribe("big");
  const sizes = [1, 70_000, 1_048_576, 3_000_000, 5];
  for (const [i, n] of sizes.entries()) nc.publish("big", new Uint8Array(n).fill(i + 1));
  const got = await take(sub, sizes.length);
  assert.deepEqual(got.map((m) => m.data.length), sizes);
  for (const [i, m] of got.entries()) assert.ok(m.data.every((b) => b === i + 1), `payload ${i}`);
  await nc.close();
});

Deno.test("node transport - a burst of 20 MB is written without losing bytes", async () => {
  await using srv = await NatsServer.start();
  const nc = await nodeConnect({ servers: srv.url });
  const sub = nc.subscribe("burst");
  const payload = new Uint8Array(10_000).fill(7);
  for (let i = 0; i < 2000; i++) nc.publish("burst", payload);
  await nc.flush();
  await waitFor(() => sub.getReceived() === 2000, "2000 messages");
  assert.equal(nc.stats().outBytes >= 20_000_000, true);
  await nc.close();
});

Deno.test("node transport - mutual TLS upgraded after INFO", async () => {
  await using certs = await certFiles();
  await using srv = await NatsServer.start({
    config: `tls {\n cert_file: "${certs.path("serverCert")}"\n key_file: "${certs.path("serverKey")}"\n` +
      ` ca_file: "${certs.path("ca")}"\n verify: true\n}`,
  });
  const tls = { caCerts: [certs.pem.ca], cert: certs.pem.clientCert, key: certs.pem.clientKey };
  const nc = await nodeConnect({ servers: srv.url, tls });
  assert.equal(nc.info?.tls_verify, true);
  nc.subscribe("echo", { callback: (_e, m) => m.respond(m.data) });
  assert.equal((await nc.request("echo", "over mTLS")).string(), "over mTLS");
  await nc.close();
  // Refused: the server's TLS alert normally arrives at once (ConnectionError); on a loaded machine
  // Deno's node:tls emulation has been seen to surface it only after the connect timeout.
  await assert.rejects(
    nodeConnect({ servers: srv.url, tls: { caCerts: [certs.pem.ca] }, reconnect: false, timeout: 5000 }),
    (err: Error) => err.name === "ConnectionError" || err.name === "TimeoutError",
  );
});

Deno.test("node transport - TLS-first and a wrong CA", async () => {
  await using certs = await certFiles();
  await using srv = await NatsServer.start({
    config: `tls {\n cert_file: "${certs.path("serverCert")}"\n key_file: "${certs.path("serverKey")}"\n` +
      ` handshake_first: true\n}`,
  });
  const nc = await nodeConnect({ servers: srv.url, tls: { caCerts: [certs.pem.ca], handshakeFirst: true } });
  assert.ok(await nc.rtt() >= 0);
  await nc.close();
  await assert.rejects(
    nodeConnect({ servers: srv.url, tls: { caCerts: [certs.pem.otherCa], handshakeFirst: true }, reconnect: false }),
    /TLS handshake failed/,
  );
});

Deno.test("node transport - refused connection is a ConnectionError naming the server", async () => {
  await using srv = await NatsServer.start();
  const url = srv.url;
  await srv.stop();
  await assert.rejects(
    nodeConnect({ servers: url, reconnect: false }),
    (err: Error) => err.name === "ConnectionError" && err.message.includes(url.replace("nats://", "")),
  );
});
