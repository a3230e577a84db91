/**
 * The connection under attack and under faults: a TLS pool never falls back to plain text, URLs
 * never leak credentials, a bad announced URL is skipped, each kind of server `-ERR` gets the
 * right reaction, flush and drain end on a frozen server, and a failed drain still closes.
 */
import assert from "node:assert/strict";
import {
  AuthorizationError,
  ClosedConnectionError,
  connect,
  ConnectionError,
  InvalidArgumentError,
  ProtocolError,
  ServerError,
  type Status,
  TimeoutError,
} from "../mod.ts";
import { Broadcaster } from "../src/queue.ts";
import { dialTarget, ServerPool } from "../src/connection/servers.ts";
import { freePort, NatsServer } from "./helpers/server.ts";
import { certFiles } from "./helpers/certs.ts";
import { repoUrl, runScript } from "./helpers/script.ts";
import { delay, waitFor } from "./helpers/util.ts";

const enc = new TextEncoder();

/** `promise`, or `fallback` after `ms` (the timer is always cleared). */
async function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([promise, new Promise<F>((r) => timer = setTimeout(() => r(fallback), ms))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Collects every status event of `nc` until it closes. */
function record(nc: { status(): AsyncIterable<Status> }): Status[] {
  const seen: Status[] = [];
  (async () => {
    for await (const s of nc.status()) seen.push(s);
  })();
  return seen;
}

/**
 * A test peer that speaks just enough of the server side (INFO, PONG for PING) and then runs
 * `afterConnect` with a writer for the socket the client finished its handshake on. Every socket
 * it accepted is counted in `accepted`; `close()` ends them all.
 */
function peer(
  info: Record<string, unknown>,
  afterConnect: (write: (text: string) => Promise<void>, n: number) => void | Promise<void>,
  refuseFrom = Infinity,
) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const conns = new Set<Deno.Conn>();
  const tasks: Promise<void>[] = [];
  let accepted = 0;
  const serve = async (conn: Deno.Conn, n: number) => {
    const write = async (text: string) => {
      await conn.write(enc.encode(text)).catch(() => {});
    };
    await write(`INFO ${JSON.stringify({ server_id: "PEER", version: "2.15.1", max_payload: 1048576, ...info })}\r\n`);
    const buf = new Uint8Array(64 * 1024);
    let text = "";
    let handshaken = false;
    for (let reads = 0; reads < 10_000; reads++) {
      const got = await conn.read(buf).catch(() => null);
      if (got === null) return;
      text += new TextDecoder().decode(buf.subarray(0, got));
      let eol: number;
      while ((eol = text.indexOf("\r\n")) >= 0) {
        const line = text.slice(0, eol);
        text = text.slice(eol + 2);
        if (line === "PING" && n >= refuseFrom) {
          await write("-ERR 'Authorization Violation'\r\n");
        } else if (line === "PING") {
          await write("PONG\r\n");
          if (!handshaken) {
            handshaken = true;
            await afterConnect(write, n);
          }
        }
      }
    }
  };
  const accepting = (async () => {
    for await (const conn of listener) {
      conns.add(conn);
      tasks.push(
        serve(conn, ++accepted).finally(() => {
          conns.delete(conn);
          try {
            conn.close();
          } catch {
            // closed by close()
          }
        }),
      );
    }
  })();
  return {
    port,
    get accepted() {
      return accepted;
    },
    async close() {
      listener.close();
      for (const c of conns) c.close();
      await accepting.catch(() => {});
      await Promise.allSettled(tasks);
    },
  };
}

Deno.test("hardening - a pool with a tls:// server dials every server, announced ones too, with TLS", () => {
  const pool = new ServerPool(["tls://a.example:4222", "nats://b.example:4222"], false);
  assert.equal(pool.secure, true);
  pool.update(["c.example:4222"], "nats");
  for (const s of pool.servers) assert.ok(dialTarget(s, undefined).tls, `${s.hostport} would be dialed in clear`);
  const plain = new ServerPool(["nats://a.example:4222"], false);
  plain.update(["c.example:4222"], "nats");
  assert.ok(plain.servers.every((s) => dialTarget(s, undefined).tls === undefined));
});

Deno.test("hardening - credentials never reach a plain-text cluster member after a tls:// server", async () => {
  await using certs = await certFiles();
  const routes = [freePort(), freePort()];
  const route = `routes: [nats-route://127.0.0.1:${routes[0]}, nats-route://127.0.0.1:${routes[1]}]`;
  const auth = `authorization { user: "alice", password: "hunter2-secret" }`;
  const http = freePort();
  await using a = await NatsServer.start({
    name: "a",
    config: `cluster { name: "c"; listen: 127.0.0.1:${routes[0]}; ${route} }\n${auth}\n` +
      `tls { cert_file: "${certs.path("serverCert")}"\n key_file: "${certs.path("serverKey")}" }`,
  });
  await using b = await NatsServer.start({
    name: "b",
    config: `cluster { name: "c"; listen: 127.0.0.1:${routes[1]}; ${route} }\n${auth}\nhttp: "127.0.0.1:${http}"`,
  });
  const script = `
    import { connect } from "${repoUrl("mod.ts")}";
    const [a, b] = Deno.args;
    const nc = await connect({ servers: "tls://localhost:" + a, user: "alice", pass: "hunter2-secret",
      reconnectTimeWait: 50, reconnectJitterTLS: 0 });
    for (let i = 0; i < 200 && !nc.getServers().some((s) => s.endsWith(":" + b)); i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    // reconnect until the client has tried B (the pool order is random), at most 10 times
    const errors = [];
    const servers = [];
    const events = nc.status()[Symbol.asyncIterator]();
    for (let i = 0; i < 10 && !errors.some((e) => /TLS/.test(e)); i++) {
      await nc.reconnect();
      for (let n = 0; n < 100; n++) {
        const { value: s } = await events.next();
        if (s.type === "error") errors.push(s.error.message);
        if (s.type === "reconnect") {
          servers.push(s.server);
          break;
        }
      }
    }
    const server = servers.at(-1);
    console.log(JSON.stringify({ servers: nc.getServers(), errors, server }));
    await nc.close();
  `;
  const out = await runScript(script, ["--allow-net=127.0.0.1,localhost", `--cert=${certs.path("ca")}`], [
    String(a.port),
    String(b.port),
  ]);
  assert.equal(out.code, 0, out.stderr);
  const result = JSON.parse(out.stdout.trim().split("\n").pop()!);
  assert.ok(result.servers.includes(b.hostport), `B was not announced: ${out.stdout}`);
  assert.ok([`localhost:${a.port}`, a.hostport].includes(result.server), `came back on ${result.server}, not on A`);
  assert.ok(result.errors.some((e: string) => /does not support TLS/.test(e)), out.stdout);
  // B saw the client's socket but never a CONNECT: no closed connection of B ever authenticated
  const res = await fetch(`http://127.0.0.1:${http}/connz?state=closed&auth=true`);
  const closed = ((await res.json()) as { connections?: { authorized_user?: string }[] }).connections ?? [];
  assert.ok(closed.every((c) => !c.authorized_user), JSON.stringify(closed));
});

Deno.test("hardening - malformed server URLs are refused without echoing their credentials", async () => {
  for (
    const servers of ["nats://alice:s3cr3t-pw@[::1", "http://alice:s3cr3t-pw@127.0.0.1:4222", "s3cr3t-pw@host:99999"]
  ) {
    const err = await connect({ servers, reconnect: false }).then(() => undefined, (e) => e);
    assert.ok(err instanceof InvalidArgumentError, `${servers}: ${err}`);
    const text = `${err.message} ${(err.cause as Error | undefined)?.message ?? ""} ${err.stack}`;
    assert.doesNotMatch(text, /s3cr3t-pw/, text);
  }
});

Deno.test("hardening - an announced URL that cannot be dialed is skipped with an error status, once", async () => {
  await using good = await NatsServer.start();
  let send: ((text: string) => Promise<void>) | undefined;
  const p = peer({}, (write) => {
    send = write;
  });
  try {
    const nc = await connect({ servers: `127.0.0.1:${p.port}`, reconnect: false });
    const seen = record(nc);
    const bad = ["127.0.0.1:abc", "http://127.0.0.1:1", "127.0.0.1:99999", "u:pw-secret@127.0.0.1:99999"];
    const info = JSON.stringify({
      server_id: "PEER",
      version: "2.15.1",
      max_payload: 1048576,
      connect_urls: [...bad, good.hostport],
    });
    await send!(`INFO ${info}\r\n`);
    await nc.flush();
    await send!(`INFO ${info}\r\n`);
    await nc.flush();
    assert.ok(!nc.isClosed());
    assert.ok(nc.getServers().includes(good.hostport));
    assert.equal(nc.getServers().length, 2);
    await nc.close();
    const errors = seen.filter((s) => s.type === "error").map((s) => (s as { error: Error }).error);
    assert.equal(errors.length, bad.length, errors.map((e) => e.message).join("\n"));
    assert.ok(errors.every((e) => e instanceof ProtocolError && !/pw-secret/.test(e.message)));
  } finally {
    await p.close();
  }
});

Deno.test("hardening - -ERR 'Stale Connection' reconnects at once, and a later close() reports no error", async () => {
  const p = peer({}, async (write, n) => {
    if (n === 1) await write("-ERR 'Stale Connection'\r\n");
  });
  try {
    const nc = await connect({ servers: `127.0.0.1:${p.port}`, reconnectTimeWait: 20, reconnectJitter: 0 });
    const seen = record(nc);
    await waitFor(() => seen.some((s) => s.type === "reconnect"), "a reconnect after the stale -ERR");
    assert.equal(p.accepted, 2);
    await nc.close();
    assert.equal(await nc.closed(), undefined);
  } finally {
    await p.close();
  }
});

Deno.test("hardening - -ERR 'Maximum Connections Exceeded' reconnects", async () => {
  const p = peer({}, async (write, n) => {
    if (n === 1) await write("-ERR 'maximum connections exceeded'\r\n");
  });
  try {
    const nc = await connect({ servers: `127.0.0.1:${p.port}`, reconnectTimeWait: 20, reconnectJitter: 0 });
    const seen = record(nc);
    await waitFor(() => seen.some((s) => s.type === "reconnect"), "a reconnect");
    await nc.close();
    assert.equal(await nc.closed(), undefined);
  } finally {
    await p.close();
  }
});

Deno.test("hardening - -ERR 'Authorization Violation' while connected reconnects, repeated it closes", async () => {
  // the first socket is accepted then told its authorization is gone; every later one is refused
  const p = peer({}, async (write) => await write("-ERR 'Authorization Violation'\r\n"), 2);
  try {
    const nc = await connect({ servers: `127.0.0.1:${p.port}`, reconnectTimeWait: 20, reconnectJitter: 0 });
    const closed = await within(nc.closed(), 10_000, "still open");
    assert.ok(closed instanceof AuthorizationError, String(closed));
    assert.ok(p.accepted >= 2, "it must have tried again before giving up");
  } finally {
    await p.close();
  }
});

Deno.test("hardening - ignoreAuthErrorAbort keeps trying past a repeated authorization error", async () => {
  const p = peer({}, async (write) => await write("-ERR 'Authorization Violation'\r\n"), 2);
  try {
    const nc = await connect({
      servers: `127.0.0.1:${p.port}`,
      reconnectTimeWait: 10,
      reconnectJitter: 0,
      maxReconnectAttempts: 5,
      ignoreAuthErrorAbort: true,
    });
    const closed = await within(nc.closed(), 10_000, "still open");
    assert.ok(closed instanceof AuthorizationError, String(closed));
    assert.equal(p.accepted, 6, "the first socket, then every one of the 5 attempts");
  } finally {
    await p.close();
  }
});

Deno.test("hardening - a reconnectDelayHandler that returns NaN waits reconnectTimeWait, with an error status", async () => {
  const p = peer({}, async (write) => await write("-ERR 'Stale Connection'\r\n"));
  try {
    const nc = await connect({
      servers: `127.0.0.1:${p.port}`,
      reconnectTimeWait: 200,
      maxReconnectAttempts: -1,
      reconnectDelayHandler: () => NaN,
    });
    const seen = record(nc);
    await waitFor(() => seen.filter((s) => s.type === "reconnect").length >= 2, "two reconnects");
    await nc.close();
    const bad = seen.filter((s) => s.type === "error" && s.error instanceof InvalidArgumentError);
    assert.ok(bad.length >= 2 && bad.length <= 4, `one error per wait, not a tight loop (${bad.length})`);
    assert.ok(p.accepted <= 5, `no tight redial loop (${p.accepted} sockets)`);
  } finally {
    await p.close();
  }
});

Deno.test("hardening - -ERR 'Unknown Protocol Operation' and unknown -ERR texts close the connection", async () => {
  for (
    const [text, type] of [["Unknown Protocol Operation", ProtocolError], [
      "Something Entirely New",
      ServerError,
    ]] as const
  ) {
    const p = peer({}, async (write) => await write(`-ERR '${text}'\r\n`));
    try {
      const nc = await connect({ servers: `127.0.0.1:${p.port}` });
      const closed = await within(nc.closed(), 10_000, "still open");
      assert.ok(closed instanceof type, `${text}: ${closed}`);
      assert.equal(p.accepted, 1, "no reconnect after an error that ends the connection");
      assert.ok(nc.isClosed());
    } finally {
      await p.close();
    }
  }
});

Deno.test("hardening - flush() on a frozen server rejects with TimeoutError", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url, flushTimeout: 300, reconnect: false });
  srv.signal("SIGSTOP");
  try {
    const started = Date.now();
    await assert.rejects(nc.flush(), TimeoutError);
    assert.ok(Date.now() - started < 5_000);
  } finally {
    srv.signal("SIGCONT");
  }
  await nc.flush();
  await nc.close();
});

Deno.test("hardening - drain() on a frozen server times out and closes with TimeoutError", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url, drainTimeout: 300, reconnect: false });
  nc.subscribe("d.x");
  await nc.flush();
  srv.signal("SIGSTOP");
  try {
    await assert.rejects(nc.drain(), TimeoutError);
    assert.ok(nc.isClosed());
    assert.ok((await nc.closed()) instanceof TimeoutError);
    assert.throws(() => nc.publish("d.x", "late"), ClosedConnectionError);
  } finally {
    srv.signal("SIGCONT");
  }
});

Deno.test("hardening - a drain cut short by a connection loss closes with the loss as its error", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url, reconnectTimeWait: 50, timeout: 500 });
  nc.subscribe("d.y");
  await nc.flush();
  srv.signal("SIGSTOP");
  try {
    const draining = nc.drain().then(() => undefined, (e) => e);
    await delay(100); // the drain's UNSUB and PING reach the socket, which the frozen server never answers
    await nc.reconnect(); // the socket is lost under the drain
    const err = await within(draining, 15_000, "drain never settled");
    assert.ok(err instanceof ConnectionError, String(err));
    assert.ok(nc.isClosed(), "a failed drain must close, not leave a draining zombie");
    assert.equal(await within(nc.closed(), 10_000, "never closed"), err);
  } finally {
    srv.signal("SIGCONT");
  }
});

Deno.test("hardening - status() costs nothing until it is iterated", async () => {
  const hub = new Broadcaster<number>(4);
  const unused = Array.from({ length: 1000 }, () => hub.listen());
  assert.equal(hub.listenerCount, 0);
  const it = unused[0][Symbol.asyncIterator]();
  assert.equal(hub.listenerCount, 1);
  for (let i = 0; i < 10; i++) hub.emit(i);
  assert.deepEqual((await it.next()).value, 6, "a listener keeps only the latest `limit` items");
  await it.return!();
  assert.equal(hub.listenerCount, 0);
});

Deno.test("hardening - debug traces every protocol line to the sink, CONNECT's password as ***", async () => {
  await using srv = await NatsServer.start({ config: `authorization { user: "alice", password: "tr4ce-s3cret" }` });
  const lines: string[] = [];
  const nc = await connect({
    servers: srv.url,
    user: "alice",
    pass: "tr4ce-s3cret",
    debug: (direction, line) => lines.push(`${direction} ${line}`),
  });
  const sub = nc.subscribe("dbg", { max: 1 });
  nc.publish("dbg", "hello");
  for await (const m of sub) assert.equal(m.string(), "hello");
  await nc.close();
  assert.match(lines[0], /^< INFO \{/);
  const connectLine = lines.find((l) => l.startsWith("> CONNECT "));
  assert.ok(connectLine && connectLine.includes('"pass":"***"'), connectLine);
  assert.ok(lines.every((l) => !l.includes("tr4ce-s3cret")));
  for (
    const want of [
      /^> SUB dbg 1$/,
      /^> PUB dbg 5$/,
      /^> hello$/,
      /^< MSG dbg 1 5$/,
      /^< hello$/,
      /^> PING$/,
      /^< PONG$/,
    ]
  ) {
    assert.ok(lines.some((l) => want.test(l)), `${want} missing from:\n${lines.join("\n")}`);
  }
});
