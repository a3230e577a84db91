import assert from "node:assert/strict";
import { connect, denoDial, InvalidArgumentError, NatsConnection } from "../mod.ts";
import { freePort, NatsServer } from "./helpers/server.ts";
import { type CertFiles, certFiles } from "./helpers/certs.ts";
import { take } from "./helpers/util.ts";
import { repoUrl, runScript } from "./helpers/script.ts";

interface ConnInfo {
  name?: string;
  tls_version?: string;
}

/** A server with a `tls {}` block (plus `extra` inside it) and monitoring, to see each connection's TLS. */
async function tlsServer(
  certs: CertFiles,
  extra = "",
  files: { cert: "serverCert" | "wrongHostCert"; key: "serverKey" | "wrongHostKey" } = {
    cert: "serverCert",
    key: "serverKey",
  },
  outside = "",
): Promise<{ srv: NatsServer; connz: () => Promise<ConnInfo[]>; http: number }> {
  const http = freePort();
  const srv = await NatsServer.start({
    config: `http: "127.0.0.1:${http}"\n${outside}\n` +
      `tls {\n cert_file: "${certs.path(files.cert)}"\n key_file: "${certs.path(files.key)}"\n ${extra}\n}`,
  });
  const connz = async () => {
    const res = await fetch(`http://127.0.0.1:${http}/connz`);
    return ((await res.json()) as { connections?: ConnInfo[] }).connections ?? [];
  };
  return { srv, connz, http };
}

async function roundTrip(nc: NatsConnection): Promise<void> {
  const sub = nc.subscribe("tls.rt");
  nc.publish("tls.rt", "secret");
  assert.equal((await take(sub, 1))[0].string(), "secret");
}

Deno.test("tls - upgrade after INFO with a test CA", async () => {
  await using certs = await certFiles();
  const { srv, connz } = await tlsServer(certs);
  await using _srv = srv;
  const nc = await connect({ servers: srv.url, name: "upgraded", tls: { caCerts: [certs.pem.ca] } });
  assert.equal(nc.info?.tls_required, true);
  await roundTrip(nc);
  const [c] = await connz();
  assert.equal(c.name, "upgraded");
  assert.match(c.tls_version ?? "", /^1\.[23]$/);
  await nc.close();
});

Deno.test("tls - nats.js's tls.ca (one PEM text) trusts a private CA", async () => {
  await using certs = await certFiles();
  const { srv } = await tlsServer(certs);
  await using _s = srv;
  const nc = await connect({ servers: srv.url, tls: { ca: certs.pem.ca } });
  assert.equal(nc.info?.tls_required, true);
  await roundTrip(nc);
  await nc.close();
});

Deno.test("tls - tls:// URL with tls options and localhost as the verified name", async () => {
  await using certs = await certFiles();
  const { srv } = await tlsServer(certs);
  await using _srv = srv;
  const nc = await connect({ servers: `tls://localhost:${srv.port}`, tls: { caCerts: [certs.pem.ca] } });
  await roundTrip(nc);
  await nc.close();
});

Deno.test("tls - TLS-first handshake (server handshake_first)", async () => {
  await using certs = await certFiles();
  const { srv, connz } = await tlsServer(certs, "handshake_first: true");
  await using _srv = srv;
  const nc = await connect({ servers: srv.url, tls: { caCerts: [certs.pem.ca], handshakeFirst: true } });
  await roundTrip(nc);
  assert.ok((await connz())[0].tls_version);
  await nc.close();
  await assert.rejects(
    connect({ servers: srv.url, timeout: 500, tls: { caCerts: [certs.pem.ca] } }),
    (err: Error) => err.name === "TimeoutError",
    "a client that waits for INFO never gets one from a handshake_first server",
  );
});

Deno.test("tls - handshake_first auto accepts TLS-first and classic clients", async () => {
  await using certs = await certFiles();
  const { srv, connz } = await tlsServer(certs, 'handshake_first: "auto"');
  await using _srv = srv;
  const first = await connect({
    servers: srv.url,
    name: "first",
    tls: { caCerts: [certs.pem.ca], handshakeFirst: true },
  });
  const classic = await connect({ servers: srv.url, name: "classic", tls: { caCerts: [certs.pem.ca] } });
  await roundTrip(first);
  await roundTrip(classic);
  const conns = await connz();
  assert.deepEqual(conns.map((c) => c.name).sort(), ["classic", "first"]);
  assert.ok(conns.every((c) => c.tls_version));
  await first.close();
  await classic.close();
});

Deno.test("tls - nats.js's caFile, certFile and keyFile are read at connect (mutual TLS)", async () => {
  await using certs = await certFiles();
  const { srv } = await tlsServer(certs, `ca_file: "${certs.path("ca")}"\n verify: true\n handshake_first: true`);
  await using _srv = srv;
  const tls = {
    caFile: certs.path("ca"),
    certFile: certs.path("clientCert"),
    keyFile: certs.path("clientKey"),
    handshakeFirst: true,
  };
  const nc = await connect({ servers: srv.url, tls });
  assert.equal(nc.info?.tls_verify, true);
  await roundTrip(nc);
  await nc.close();
  const err = await connect({ servers: srv.url, tls: { ...tls, keyFile: "/nonexistent/client.key" } }).then(
    () => undefined,
    (e) => e,
  );
  assert.ok(err instanceof InvalidArgumentError, String(err));
  assert.match(err.message, /cannot read tls\.keyFile '\/nonexistent\/client\.key'/);
  // without the entry point's file access the files cannot be read: a clear error, nothing dialed
  await assert.rejects(
    NatsConnection.connect({ servers: srv.url, tls }, denoDial),
    /read by the connect\(\) of an entry point/,
  );
});

Deno.test("tls - mutual TLS with TLS-first and a client certificate", async () => {
  await using certs = await certFiles();
  const { srv } = await tlsServer(certs, `ca_file: "${certs.path("ca")}"\n verify: true\n handshake_first: true`);
  await using _srv = srv;
  const tls = { caCerts: [certs.pem.ca], cert: certs.pem.clientCert, key: certs.pem.clientKey, handshakeFirst: true };
  const nc = await connect({ servers: srv.url, tls });
  assert.equal(nc.info?.tls_verify, true);
  await roundTrip(nc);
  await nc.close();
  await assert.rejects(
    connect({ servers: srv.url, tls: { caCerts: [certs.pem.ca], handshakeFirst: true }, reconnect: false }),
    (err: Error) => err.name === "ConnectionError",
    "without a client certificate the server ends the connection",
  );
});

Deno.test("tls - a client certificate on the upgrade path fails with a clear error", async () => {
  await using certs = await certFiles();
  const { srv } = await tlsServer(certs, `ca_file: "${certs.path("ca")}"\n verify: true`);
  await using _srv = srv;
  const tls = { caCerts: [certs.pem.ca], cert: certs.pem.clientCert, key: certs.pem.clientKey };
  await assert.rejects(
    connect({ servers: srv.url, tls }),
    (err: Error) => err.name === "ConnectionError" && /handshake_first/.test(err.message),
  );
});

Deno.test("tls - a server certificate from another CA is rejected", async () => {
  await using certs = await certFiles();
  const { srv } = await tlsServer(certs);
  await using _srv = srv;
  await assert.rejects(
    connect({ servers: srv.url, tls: { caCerts: [certs.pem.otherCa] } }),
    (err: Error) => err.name === "ConnectionError" && /UnknownIssuer|certificate/i.test(err.message),
  );
});

Deno.test("tls - TLS-first rejects a certificate from another CA and closes the socket", async () => {
  await using certs = await certFiles();
  const { srv } = await tlsServer(certs, "handshake_first: true");
  await using _srv = srv;
  await assert.rejects(
    connect({ servers: srv.url, tls: { caCerts: [certs.pem.otherCa], handshakeFirst: true } }),
    (err: Error) => err.name === "ConnectionError" && /UnknownIssuer|certificate/i.test(err.message),
  );
});

Deno.test("tls - a certificate for another host name is rejected", async () => {
  await using certs = await certFiles();
  const { srv } = await tlsServer(certs, "", { cert: "wrongHostCert", key: "wrongHostKey" });
  await using _srv = srv;
  await assert.rejects(
    connect({ servers: srv.url, tls: { caCerts: [certs.pem.ca] } }),
    (err: Error) => err.name === "ConnectionError" && /NotValidForName|name/i.test(err.message),
  );
});

Deno.test("tls - requiring TLS from a server without TLS fails", async () => {
  await using srv = await NatsServer.start();
  await assert.rejects(
    connect({ servers: srv.url, tls: {} }),
    (err: Error) => err.name === "ConnectionError" && /does not support TLS/.test(err.message),
  );
});

Deno.test("tls - mixed mode (allow_non_tls): nats:// stays plain, tls options upgrade", async () => {
  await using certs = await certFiles();
  const { srv, connz } = await tlsServer(certs, "", undefined, "allow_non_tls: true");
  await using _srv = srv;
  const plain = await connect({ servers: srv.url, name: "plain" });
  assert.equal(plain.info?.tls_available, true);
  const secure = await connect({ servers: srv.url, name: "secure", tls: { caCerts: [certs.pem.ca] } });
  await roundTrip(plain);
  await roundTrip(secure);
  const byName = new Map((await connz()).map((c) => [c.name, c]));
  assert.equal(byName.get("plain")?.tls_version, undefined);
  assert.ok(byName.get("secure")?.tls_version);
  await plain.close();
  await secure.close();
});

Deno.test("tls - without TLS options a tls:// URL or a server's tls_required still brings TLS (CA via --cert)", async () => {
  await using certs = await certFiles();
  const required = await tlsServer(certs);
  await using _required = required.srv;
  const mixed = await tlsServer(certs, "", undefined, "allow_non_tls: true");
  await using _mixed = mixed.srv;
  const script = `
    import { connect } from "${repoUrl("mod.ts")}";
    const [requiredUrl, tlsUrl, connzUrl] = Deno.args;
    for (const [name, servers] of [["required", requiredUrl], ["tls-url", tlsUrl]]) {
      const nc = await connect({ servers, name });
      const sub = nc.subscribe("s");
      nc.publish("s", name);
      for await (const m of sub) { console.log(m.string()); break; }
      if (name === "tls-url") {
        const { connections } = await (await fetch(connzUrl)).json();
        console.log(connections.find((c) => c.name === name).tls_version);
      }
      await nc.close();
    }
  `;
  const res = await runScript(
    script,
    [
      `--cert=${certs.path("ca")}`,
      `--allow-net=127.0.0.1:${required.srv.port},127.0.0.1:${mixed.srv.port},127.0.0.1:${mixed.http}`,
    ],
    [required.srv.url, `tls://127.0.0.1:${mixed.srv.port}`, `http://127.0.0.1:${mixed.http}/connz`],
  );
  assert.equal(res.code, 0, res.stderr);
  const [a, b, version] = res.stdout.trim().split("\n");
  assert.deepEqual([a, b], ["required", "tls-url"]);
  assert.match(version, /^1\.[23]$/);
  // Both connections were gone by now; a plain nats:// client to the mixed server stays plain.
  const plain = await connect({ servers: mixed.srv.url, name: "plain" });
  assert.equal((await mixed.connz()).find((c) => c.name === "plain")?.tls_version, undefined);
  await plain.close();
});
