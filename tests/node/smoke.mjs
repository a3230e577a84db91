// Smoke suite for the npm package on Node (run by scripts/node_smoke.sh from a scratch project that
// installed the packed tarball, so every import below resolves through the package's `exports`).
// Each test starts its own real nats-server (NATS_SERVER_BIN); CERTS_DIR holds openssl-made
// ca.pem, server.pem/key and client.pem/key.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect as tcpConnect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { test } from "node:test";
import assert from "node:assert/strict";
// The package is imported dynamically: `deno check tests/` walks this file too, and only static
// imports of "natsw" (which Deno cannot resolve: it is the npm package installed by the script) fail it.
const {
  connect,
  ConnectionError,
  createInbox,
  headers,
  NatsConnection,
  NoRespondersError,
  readCredsFile,
  wsDialer,
} = await import("natsw");
const { jetstream, jetstreamManager } = await import("natsw/jetstream");
const { Svcm } = await import("natsw/service");

const BIN = process.env.NATS_SERVER_BIN ?? "nats-server";
const CERTS = process.env.CERTS_DIR ?? "";
const pem = (name) => readFileSync(join(CERTS, name), "utf8");

async function freePort() {
  const srv = createServer().listen(0, "127.0.0.1");
  await once(srv, "listening");
  const { port } = srv.address();
  srv.close();
  await once(srv, "close");
  return port;
}

async function portOpen(port) {
  const s = tcpConnect({ host: "127.0.0.1", port });
  try {
    await once(s, "connect");
    return true;
  } catch {
    return false;
  } finally {
    s.destroy();
  }
}

/** A nats-server on 127.0.0.1 with `config` appended; `restart()` keeps its port and store. */
async function startServer(config = "", { jetstream: js = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "natsw-smoke-"));
  const port = await freePort();
  const conf = join(dir, "server.conf");
  writeFileSync(
    conf,
    `listen: "127.0.0.1:${port}"\n${js ? `jetstream { store_dir: "${join(dir, "js")}" }\n` : ""}${config}\n`,
  );
  let child;
  const launch = async () => {
    child = spawn(BIN, ["-c", conf], { stdio: ["ignore", "ignore", "pipe"] });
    let log = "";
    child.stderr.on("data", (b) => log += b);
    for (let i = 0; i < 400 && child.exitCode === null; i++) {
      if (await portOpen(port)) return;
      await sleep(25);
    }
    throw new Error(`nats-server did not start:\n${log}`);
  };
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, "exit");
    child.kill("SIGKILL");
    await exited;
  };
  await launch();
  return {
    port,
    url: `nats://127.0.0.1:${port}`,
    restart: async () => {
      await kill();
      await launch();
    },
    stop: async () => {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Connections opened by the running test; closed when it ends, whatever happened. */
const opened = [];
const track = (nc) => (opened.push(nc), nc);

/** Runs `fn(server)` with a fresh server, then closes the test's connections and stops it. */
async function withServer(config, opts, fn) {
  const srv = await startServer(config, opts);
  try {
    await fn(srv);
  } finally {
    await Promise.all(opened.splice(0).map((nc) => nc.close().catch(() => {})));
    await srv.stop();
  }
}

test("node - publish and subscribe with headers", async () => {
  await withServer("", {}, async (srv) => {
    const nc = track(await connect({ servers: srv.url }));
    const sub = nc.subscribe("smoke.>", { max: 3 });
    const h = headers();
    h.set("X-Run", "node");
    for (let i = 0; i < 3; i++) {
      nc.publish(`smoke.${i}`, `m${i}`, { headers: h });
    }
    const got = [];
    for await (const m of sub) {
      got.push(`${m.subject}=${m.string()}:${m.headers?.get("X-Run")}`);
    }
    assert.deepEqual(got, [
      "smoke.0=m0:node",
      "smoke.1=m1:node",
      "smoke.2=m2:node",
    ]);
    assert.equal(nc.stats().inMsgs, 3);
    await nc.close();
  });
});

test("node - request, reply and no responders", async () => {
  await withServer("", {}, async (srv) => {
    const nc = track(await connect({ servers: srv.url }));
    nc.subscribe("echo", {
      callback: (_err, m) => m.respond(`echo:${m.string()}`),
    });
    const big = "x".repeat(200_000);
    assert.equal(
      (await nc.request("echo", "hi", { timeout: 2000 })).string(),
      "echo:hi",
    );
    assert.equal(
      (await nc.request("echo", big, { timeout: 2000 })).string(),
      `echo:${big}`,
    );
    await assert.rejects(
      nc.request("nobody.home", "?", { timeout: 2000 }),
      NoRespondersError,
    );
    await nc.drain();
  });
});

test("node - reconnects after a server restart and keeps subscriptions", async () => {
  await withServer("", {}, async (srv) => {
    const nc = track(
      await connect({
        servers: srv.url,
        reconnectTimeWait: 100,
        maxReconnectAttempts: -1,
      }),
    );
    const seen = [];
    (async () => {
      for await (const s of nc.status()) seen.push(s.type);
    })();
    const inbox = createInbox();
    const sub = nc.subscribe(inbox);
    await nc.flush();
    await srv.restart();
    for (let i = 0; i < 200 && !seen.includes("reconnect"); i++) {
      await sleep(25);
    }
    assert.ok(
      seen.includes("disconnect") && seen.includes("reconnect"),
      `status: ${seen.join(",")}`,
    );
    nc.publish(inbox, "after");
    const it = sub[Symbol.asyncIterator]();
    assert.equal((await it.next()).value.string(), "after");
    assert.equal(nc.stats().reconnects, 1);
    await nc.close();
  });
});

const tlsBlock = (extra) =>
  `tls {\n cert_file: "${join(CERTS, "server.pem")}"\n key_file: "${join(CERTS, "server.key")}"\n` +
  ` ca_file: "${join(CERTS, "ca.pem")}"\n ${extra}\n}`;

test("node - mutual TLS upgraded after INFO with a client certificate", async () => {
  await withServer(tlsBlock("verify: true"), {}, async (srv) => {
    const tls = {
      caCerts: [pem("ca.pem")],
      cert: pem("client.pem"),
      key: pem("client.key"),
    };
    const nc = track(await connect({ servers: srv.url, tls }));
    assert.equal(nc.info?.tls_required, true);
    assert.equal(nc.info?.tls_verify, true);
    nc.subscribe("tls.echo", { callback: (_e, m) => m.respond(m.data) });
    assert.equal((await nc.request("tls.echo", "secret")).string(), "secret");
    await nc.close();
    await assert.rejects(
      connect({
        servers: srv.url,
        tls: { caCerts: [pem("ca.pem")] },
        reconnect: false,
        timeout: 2000,
      }),
      ConnectionError,
    );
  });
});

test("node - TLS-first handshake to a localhost name", async () => {
  await withServer(tlsBlock("handshake_first: true"), {}, async (srv) => {
    const servers = `tls://localhost:${srv.port}`;
    const nc = track(
      await connect({
        servers,
        tls: { caCerts: [pem("ca.pem")], handshakeFirst: true },
      }),
    );
    assert.equal((await nc.rtt()) >= 0, true);
    await nc.close();
  });
});

test("node - JetStream publish and consume", async () => {
  await withServer("", { jetstream: true }, async (srv) => {
    const nc = track(await connect({ servers: srv.url }));
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: "SMOKE", subjects: ["js.>"] });
    await jsm.consumers.add("SMOKE", {
      durable_name: "c",
      ack_policy: "explicit",
    });
    const js = jetstream(nc);
    for (let i = 1; i <= 5; i++) {
      assert.equal((await js.publish(`js.${i}`, `v${i}`)).seq, i);
    }
    const messages = await (await js.consumers.get("SMOKE", "c")).consume({
      max_messages: 2,
    });
    const got = [];
    for await (const m of messages) {
      got.push(m.string());
      m.ack();
      if (got.length === 5) break;
    }
    assert.deepEqual(got, ["v1", "v2", "v3", "v4", "v5"]);
    await nc.drain();
  });
});

test("node - service request through the service API", async () => {
  await withServer("", {}, async (srv) => {
    const nc = track(await connect({ servers: srv.url }));
    const service = await new Svcm(nc).add({ name: "smoke", version: "1.0.0" });
    service.addEndpoint(
      "double",
      (_err, m) => m.respond(String(2 * Number(m.string()))),
    );
    await nc.flush();
    assert.equal((await nc.request("double", "21")).string(), "42");
    const pings = [];
    for await (const p of await new Svcm(nc).client().ping("smoke")) {
      pings.push(p.name);
    }
    assert.deepEqual(pings, ["smoke"]);
    await service.stop();
    await nc.close();
  });
});

const kv = await import("natsw/kv").catch(() => undefined);
test(
  "node - KV put, get and watch",
  { skip: kv ? false : "natsw/kv is not in this build (kv/mod.ts missing)" },
  async () => {
    await withServer("", { jetstream: true }, async (srv) => {
      const nc = track(await connect({ servers: srv.url }));
      const bucket = await new kv.Kvm(nc).create("smoke");
      const watch = await bucket.watch({ key: "a.>" });
      await bucket.put("a.one", "1");
      await bucket.put("a.two", "2");
      assert.equal((await bucket.get("a.one"))?.string(), "1");
      const seen = [];
      for await (const e of watch) {
        seen.push(`${e.key}=${e.string()}`);
        if (seen.length === 2) break;
      }
      assert.deepEqual(seen, ["a.one=1", "a.two=2"]);
      await nc.close();
    });
  },
);

const obj = await import("natsw/obj").catch(() => undefined);
test(
  "node - object store put and get",
  { skip: obj ? false : "natsw/obj is not in this build (obj/mod.ts missing)" },
  async () => {
    await withServer("", { jetstream: true }, async (srv) => {
      const nc = track(await connect({ servers: srv.url }));
      const store = await new obj.Objm(nc).create("smoke");
      const data = new Uint8Array(300_000).map((_, i) => i % 251);
      const info = await store.putBlob({ name: "blob" }, data);
      assert.equal(info.size, data.length);
      // Node 20.16+ hands out node:crypto through process.getBuiltinModule: the native hash is used
      assert.equal(obj.sha256Implementation(), "native");
      const expected = createHash("sha256").update(data).digest("base64url");
      assert.equal(info.digest, `SHA-256=${expected}=`);
      assert.deepEqual(await store.getBlob("blob"), data);
      await nc.close();
    });
  },
);

test("node - WebSocket: the global WebSocket on Node 22+, a clear error on Node 20", async () => {
  const wsPort = await freePort();
  await withServer(
    `websocket {\n listen: "127.0.0.1:${wsPort}"\n no_tls: true\n}`,
    {},
    async () => {
      const servers = `ws://127.0.0.1:${wsPort}`;
      if (typeof globalThis.WebSocket !== "function") {
        await assert.rejects(
          connect({ servers, reconnect: false }),
          (err) =>
            err instanceof ConnectionError &&
            /no global WebSocket.*'ws' package/.test(err.message),
        );
        return;
      }
      const nc = track(await connect({ servers }));
      nc.subscribe("ws.echo", { callback: (_e, m) => m.respond(m.data) });
      assert.equal(
        (await nc.request("ws.echo", "over ws")).string(),
        "over ws",
      );
      await nc.close();
    },
  );
});

const wsPkg = await import("ws").catch(() => undefined);
test(
  "node - WebSocket through the ws package and wsDialer",
  { skip: wsPkg ? false : "ws is not installed" },
  async () => {
    const wsPort = await freePort();
    await withServer(
      `websocket {\n listen: "127.0.0.1:${wsPort}"\n no_tls: true\n}`,
      {},
      async () => {
        const dial = wsDialer((url) => ({ socket: new wsPkg.WebSocket(url) }));
        const nc = track(
          await NatsConnection.connect(
            { servers: `ws://127.0.0.1:${wsPort}` },
            dial,
          ),
        );
        nc.subscribe("ws.echo", { callback: (_e, m) => m.respond(m.data) });
        const big = "w".repeat(100_000);
        assert.equal((await nc.request("ws.echo", big)).string(), big);
        await nc.close();
      },
    );
  },
);

test("node - readCredsFile reads with node:fs and names a missing file", async () => {
  await assert.rejects(
    readCredsFile("/nonexistent/user.creds"),
    /cannot read creds file '\/nonexistent\/user.creds'/,
  );
});

// The testing kit from the npm package (its Node host), running the examples/node tour (copied next
// to this file by scripts/node_smoke.sh) against a server it started, then faults through its proxy.
test("node - natsw/testing starts servers and proxies; the examples/node tour runs", async () => {
  const { NatsServer, TcpProxy } = await import("natsw/testing");
  const server = await NatsServer.start({ jetstream: true });
  try {
    const child = spawn(process.execPath, ["tour.mjs", server.url], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (c) => out += c);
    const [code] = await once(child, "exit");
    assert.equal(code, 0);
    assert.deepEqual(out.trim().split("\n"), [
      "pubsub: hello ann, hello bob, hello cy",
      "request: noon",
      "jetstream: seq 1 = one pizza",
      "kv: color = blue",
      "obj: hello.txt = hello, objects",
      "service: SHOUT",
      "tour: ok",
    ]);
    const proxy = await TcpProxy.start(server.port);
    try {
      const nc = await connect({ servers: proxy.url, maxReconnectAttempts: -1, reconnectTimeWait: 50 });
      try {
        const reconnects = async (n) => {
          let seen = 0;
          for await (const s of nc.status()) if (s.type === "reconnect" && ++seen === n) return;
        };
        nc.subscribe("kit", { callback: (_e, m) => m.respond(m.data) });
        const first = reconnects(1);
        await server.restart();
        await first;
        const second = reconnects(1);
        proxy.cut();
        await second;
        assert.equal((await nc.request("kit", "back", { timeout: 5000 })).string(), "back");
      } finally {
        await nc.close();
      }
    } finally {
      await proxy.close();
    }
  } finally {
    await server.stop();
  }
});
