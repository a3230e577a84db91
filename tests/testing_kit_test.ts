import assert from "node:assert/strict";
import { createUser } from "@nats-io/nkeys";
import { connect, type NatsConnection, nkeyAuthenticator, type Status, wsconnect } from "../mod.ts";
import { jetstreamManager } from "../jetstream/mod.ts";
import {
  findServer,
  NatsCluster,
  NatsServer,
  requireServer,
  ServerNotFoundError,
  serverVersion,
  ServerVersionError,
  TcpProxy,
  withServer,
} from "../testing/mod.ts";
import { denoHost } from "../testing/deno_host.ts";
import { nodeHost } from "../testing/node_host.ts";
import { delay, waitFor } from "./helpers/util.ts";

function watch(nc: NatsConnection): Status[] {
  const events: Status[] = [];
  (async () => {
    for await (const s of nc.status()) events.push(s);
  })();
  return events;
}

/** Resolves to true when `p` settles within `ms`, false otherwise (the timer is always cleared). */
async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<false>((r) => timer = setTimeout(() => r(false), ms));
  try {
    return await Promise.race([p.then(() => true, () => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

const fast = { reconnectTimeWait: 50, reconnectJitter: 10, maxReconnectAttempts: -1 };

Deno.test("testing kit - pause() freezes the server (nothing answers), resume() lets it go on", async () => {
  await using server = await NatsServer.start();
  const nc = await connect({ servers: server.url });
  await server.pause();
  const flushed = nc.flush();
  assert.equal(await settlesWithin(flushed, 300), false, "a paused server answers no PING");
  assert.equal(server.running, true);
  server.resume();
  assert.equal(await settlesWithin(flushed, 5000), true, "the PONG comes after resume()");
  await nc.close();
});

Deno.test("testing kit - kill() then restart() comes back on the same port with the JetStream store kept", async () => {
  await using server = await NatsServer.start({ jetstream: true });
  const port = server.port;
  let nc = await connect({ servers: server.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "KEPT", subjects: ["kept.>"] });
  await nc.request("kept.a", "survives");
  await nc.close();
  await server.kill();
  assert.equal(server.running, false);
  await assert.rejects(connect({ servers: server.url, maxReconnectAttempts: 0 }));
  await server.restart();
  assert.equal(server.port, port);
  nc = await connect({ servers: server.url });
  const m = await (await jetstreamManager(nc)).streams.getMessage("KEPT", { seq: 1 });
  assert.equal(m?.string(), "survives");
  await nc.close();
});

Deno.test("testing kit - lameDuck() announces ldm to clients, then the server exits", async () => {
  await using server = await NatsServer.start({
    config: 'lame_duck_duration: "30s"\nlame_duck_grace_period: "1s"',
  });
  const nc = await connect({ servers: server.url, maxReconnectAttempts: 0 });
  const events = watch(nc);
  server.lameDuck();
  await waitFor(() => events.some((e) => e.type === "ldm"), "ldm status");
  assert.equal(await server.waitForExit(10_000), true, "the server exits at the end of lame duck mode");
  assert.equal(server.running, false);
  await nc.closed();
});

Deno.test("testing kit - reload(config) rewrites the config and SIGHUPs: a new user can connect", async () => {
  const users = (...names: string[]) =>
    `authorization { users: [ ${names.map((n) => `{ user: ${n}, password: ${n}-pw }`).join(", ")} ] }`;
  await using server = await NatsServer.start({ config: users("alice") });
  await assert.rejects(connect({ servers: server.url, user: "bob", pass: "bob-pw", maxReconnectAttempts: 0 }));
  const alice = await connect({ servers: server.url, user: "alice", pass: "alice-pw" });
  await server.reload(users("alice", "bob"));
  const bob = await connect({ servers: server.url, user: "bob", pass: "bob-pw" });
  await bob.flush();
  await alice.flush();
  await bob.close();
  await alice.close();
  assert.match(await Deno.readTextFile(server.configFile), /bob-pw/);
});

Deno.test("testing kit - auth option: users, token, nkeys and accounts", async () => {
  const kp = createUser();
  await using server = await NatsServer.start({
    auth: {
      accounts: {
        A: { users: [{ user: "a", password: "pa" }, { nkey: kp.getPublicKey() }], jetstream: false },
        B: { users: [{ user: "b", password: "pb" }] },
      },
    },
  });
  const a = await connect({ servers: server.url, user: "a", pass: "pa" });
  const n = await connect({ servers: server.url, authenticator: nkeyAuthenticator(kp.getSeed()) });
  const b = await connect({ servers: server.url, user: "b", pass: "pb" });
  n.subscribe("hello", { callback: (_e, m) => m.respond("same account") });
  await n.flush();
  assert.equal((await a.request("hello", "")).string(), "same account");
  await assert.rejects(b.request("hello", "", { timeout: 500 }), "account B does not see account A");
  await Promise.all([a.close(), n.close(), b.close()]);
  await using tokenServer = await NatsServer.start({ auth: { token: "s3cret" } });
  await assert.rejects(connect({ servers: tokenServer.url, token: "wrong", maxReconnectAttempts: 0 }));
  const t = await connect({ servers: tokenServer.url, token: "s3cret" });
  await t.close();
});

Deno.test("testing kit - TLS with the handed-back CA, plus WebSocket over TLS", async () => {
  await using server = await NatsServer.start({ tls: true, websocket: true });
  assert.match(server.ca ?? "", /BEGIN CERTIFICATE/);
  assert.match(server.url, /^tls:\/\/127\.0\.0\.1:/);
  await assert.rejects(connect({ servers: server.url, maxReconnectAttempts: 0 }), "the CA is not trusted by default");
  const nc = await connect({ servers: server.url, tls: { ca: server.ca } });
  await nc.flush();
  await nc.close();
  assert.match(server.wsUrl, /^wss:\/\//);
  const dir = server.dir;
  await server.stop();
  await assert.rejects(Deno.stat(dir), "stop() removes the folder, certificates included");
});

Deno.test("testing kit - plain WebSocket port", async () => {
  await using server = await NatsServer.start({ websocket: true });
  const nc = await wsconnect({ servers: server.wsUrl });
  nc.subscribe("ws", { callback: (_e, m) => m.respond("over ws") });
  assert.equal((await nc.request("ws", "")).string(), "over ws");
  await nc.close();
});

Deno.test("testing kit - proxy cut() drops connections; with refuse, new ones until heal()", async () => {
  await using server = await NatsServer.start();
  await using proxy = await TcpProxy.start(server.port);
  const nc = await connect({ servers: proxy.url, ...fast });
  const events = watch(nc);
  await nc.flush();
  assert.equal(proxy.connections, 1);
  proxy.cut(true);
  await waitFor(() => events.some((e) => e.type === "disconnect"), "disconnect");
  await delay(300);
  assert.equal(events.some((e) => e.type === "reconnect"), false, "refused while cut");
  proxy.heal();
  await waitFor(() => events.some((e) => e.type === "reconnect"), "reconnect after heal()");
  await nc.flush();
  await nc.close();
});

Deno.test("testing kit - proxy delay() and throttle() slow traffic down", async () => {
  await using server = await NatsServer.start();
  await using proxy = await TcpProxy.start(server.port);
  const echo = await connect({ servers: server.url });
  echo.subscribe("echo", { callback: (_e, m) => m.respond(m.data) });
  await echo.flush();
  const nc = await connect({ servers: proxy.url });
  let t = Date.now();
  await nc.flush();
  const plain = Date.now() - t;
  proxy.delay(150);
  t = Date.now();
  await nc.flush();
  const delayed = Date.now() - t;
  assert.ok(delayed >= 280, `a round trip through a 150 ms delay took ${delayed} ms (plain: ${plain} ms)`);
  proxy.heal();
  proxy.throttle(20_000);
  t = Date.now();
  const reply = await nc.request("echo", new Uint8Array(10_000).fill(7), { timeout: 10_000 });
  const throttled = Date.now() - t;
  assert.equal(reply.data.length, 10_000);
  assert.ok(throttled >= 800, `10 kB each way at 20 kB/s took ${throttled} ms`);
  await nc.close();
  await echo.close();
});

Deno.test("testing kit - proxy blackhole(): the socket stays open, nothing comes back, the client sees it stale", async () => {
  await using server = await NatsServer.start();
  await using proxy = await TcpProxy.start(server.port);
  const nc = await connect({ servers: proxy.url, pingInterval: 200, maxPingOut: 2, timeout: 500, ...fast });
  const events = watch(nc);
  await nc.flush();
  proxy.blackhole();
  assert.equal(await settlesWithin(nc.request("nobody", "", { timeout: 5000 }), 150), false, "no answer");
  assert.equal(proxy.connections, 1, "the socket is still open");
  await waitFor(() => events.some((e) => e.type === "staleConnection"), "stale connection", 5000);
  proxy.heal();
  await waitFor(() => events.some((e) => e.type === "reconnect"), "reconnect after heal()");
  await nc.flush();
  await nc.close();
});

Deno.test("testing kit - a 3-node JetStream cluster holds an R3 stream", async () => {
  await using cluster = await NatsCluster.start(3, { jetstream: true });
  const nc = await connect({ servers: cluster.urls });
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.add({ name: "R3", subjects: ["r3.>"], num_replicas: 3 });
  assert.equal(info.config.num_replicas, 3);
  await nc.request("r3.x", "replicated");
  await waitFor(async () => (await jsm.streams.info("R3")).cluster?.replicas?.length === 2, "two replicas");
  await nc.close();
});

Deno.test("testing kit - requireServer() fails with the reason; it passes for what the server has", async () => {
  const version = await serverVersion();
  assert.match(version, /^\d+\.\d+\.\d+/);
  assert.equal(await requireServer(">=2.10"), version);
  const err = await requireServer(">=99.1").catch((e) => e);
  assert.ok(err instanceof ServerVersionError);
  assert.equal(err.message, `this test needs nats-server >=99.1, but ${await findServer()} is ${version}`);
  await assert.rejects(requireServer("newest"), TypeError);
});

Deno.test("testing kit - no server anywhere: a typed error that says how to install one", async () => {
  const empty = await Deno.makeTempDir({ prefix: "natsw-nowhere-" });
  try {
    const host = { ...denoHost, env: () => undefined, cwd: () => empty };
    const err = await NatsServer.start({ host }).catch((e) => e);
    assert.ok(err instanceof ServerNotFoundError);
    assert.match(err.message, /^nats-server not found \(looked at \$NATS_SERVER_BIN \(unset\), PATH, \.cache/);
    assert.match(err.message, /set NATS_SERVER_BIN/);
    assert.match(err.message, /run `scripts\/ensure_nats_server\.sh`/);
    const badEnv = { ...host, env: (n: string) => n === "NATS_SERVER_BIN" ? `${empty}/missing` : undefined };
    const err2 = await NatsServer.start({ host: badEnv }).catch((e) => e);
    assert.ok(err2 instanceof ServerNotFoundError);
    assert.ok(err2.searched.includes(`NATS_SERVER_BIN=${empty}/missing`));
  } finally {
    await Deno.remove(empty, { recursive: true });
  }
});

Deno.test("testing kit - withServer() prints the server log when the test throws, and stops the server", async () => {
  const printed: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => printed.push(args.join(" "));
  let dir = "";
  try {
    await assert.rejects(
      withServer({}, (server) => {
        dir = server.dir;
        return Promise.reject(new Error("test failed"));
      }),
      /test failed/,
    );
  } finally {
    console.error = original;
  }
  assert.match(printed.join("\n"), /nats-server log[\s\S]*Server is ready/);
  await assert.rejects(Deno.stat(dir), "the folder is gone");
});

Deno.test("testing kit - the Node host (the npm build's) runs servers, restarts and proxies too", async () => {
  await using server = await NatsServer.start({ host: nodeHost, jetstream: true });
  await using proxy = await TcpProxy.start(server.port, { host: nodeHost });
  const nc = await connect({ servers: proxy.url, ...fast });
  const events = watch(nc);
  nc.subscribe("node", { callback: (_e, m) => m.respond(m.data) });
  const big = new Uint8Array(200_000).fill(3);
  assert.equal((await nc.request("node", big)).data.length, big.length, "large payloads pass the proxy both ways");
  await server.restart();
  await waitFor(() => events.some((e) => e.type === "reconnect"), "reconnect after restart()");
  proxy.cut();
  await waitFor(() => events.filter((e) => e.type === "reconnect").length === 2, "reconnect after cut()");
  assert.equal((await nc.request("node", "again")).string(), "again");
  await nc.close();
});

Deno.test("testing kit - a config the server rejects: the start error carries the server's reason", async () => {
  const err = await NatsServer.start({ config: 'lame_duck_duration: "1s"' }).catch((e) => e);
  assert.ok(err instanceof Error);
  assert.match(err.message, /did not start[\s\S]*lame_duck_duration/);
});

Deno.test("testing kit - await using kills the server and removes its folder even when the test throws", async () => {
  let pid = 0;
  let dir = "";
  let port = 0;
  await assert.rejects(async () => {
    await using server = await NatsServer.start({ jetstream: true });
    ({ pid, dir, port } = server);
    throw new Error("boom");
  }, /boom/);
  assert.throws(() => Deno.kill(pid, "SIGCONT"), "the process is gone");
  await assert.rejects(Deno.stat(dir), "the folder is gone");
  await assert.rejects(Deno.connect({ hostname: "127.0.0.1", port }), "nothing listens on its port");
});
