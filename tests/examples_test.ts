import assert from "node:assert/strict";
import { connect } from "../mod.ts";
import { Kvm } from "../kv/mod.ts";
import { NatsServer } from "../testing/mod.ts";
import { freePortSync } from "../testing/deno_host.ts";
import { httpGet } from "../testing/http.ts";
import { delay } from "./helpers/util.ts";

const root = new URL("..", import.meta.url).pathname;

Deno.test("examples - the Deno tour runs with nothing but --allow-net to the server", async () => {
  await using server = await NatsServer.start({ jetstream: true });
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", `--allow-net=${server.hostport}`, "examples/deno/tour.ts", server.url],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  assert.deepEqual(stdout.trim().split("\n"), [
    "pubsub: hello ann, hello bob, hello cy",
    "request: noon",
    "jetstream: seq 1 = one pizza",
    "kv: color = blue",
    "obj: hello.txt = hello, objects",
    "service: SHOUT",
    "tour: ok",
  ]);
});

/** GET `path` from the edge function; the status and parsed JSON body, or status 0 when it does not answer. */
async function get(port: number, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), 3000);
  try {
    const r = await fetch(`http://127.0.0.1:${port}${path}`, { signal: ac.signal });
    return { status: r.status, body: await r.json() };
  } catch {
    return { status: 0, body: {} };
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `path` until it answers 200 (at most `timeout` ms). */
async function until200(port: number, path: string, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  let last = { status: 0, body: {} as Record<string, unknown> };
  while (Date.now() < deadline) {
    last = await get(port, path);
    if (last.status === 200) return last;
    await delay(100);
  }
  assert.fail(`${path} never answered 200; last: ${JSON.stringify(last)}`);
}

Deno.test("examples - the edge function answers HTTP from one NATS connection and survives a server restart", async () => {
  await using server = await NatsServer.start({ jetstream: true, monitor: true });
  const edgeConnections = async () => {
    const r = await httpGet(`http://127.0.0.1:${server.monitorPort}/connz`, 2000);
    return ((r?.json as { connections?: { name?: string }[] })?.connections ?? []).filter((c) => c.name === "edge")
      .length;
  };
  const nc = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 50 });
  const kv = await new Kvm(nc).create("edge");
  await kv.put("greeting", "hi from kv");
  let answered = 0;
  nc.subscribe("edge.time", { callback: (_e, m) => m.respond(`tick ${++answered}`) });
  await nc.flush();
  const http = freePortSync();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "serve",
      "--no-prompt",
      `--allow-net=${server.hostport},127.0.0.1:${http}`,
      "--host",
      "127.0.0.1",
      "--port",
      String(http),
      "examples/edge/main.ts",
      server.url,
    ],
    cwd: root,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  try {
    assert.deepEqual((await until200(http, "/time")).body, { time: "tick 1" });
    const read = await get(http, "/kv/greeting");
    assert.equal(read.status, 200);
    assert.equal(read.body.value, "hi from kv");
    assert.equal((await get(http, "/kv/missing")).status, 404);
    assert.equal(await edgeConnections(), 1, "one connection for every request so far");

    await server.restart();
    const after = await until200(http, "/time");
    assert.match(String(after.body.time), /^tick \d+$/);
    assert.equal((await until200(http, "/kv/greeting")).body.value, "hi from kv", "KV kept across the restart");
    assert.equal((await get(http, "/time")).status, 200);
    assert.equal(await edgeConnections(), 1, "still one connection after the restart");
  } finally {
    // `deno serve` shuts down gracefully on SIGTERM and so waits for the NATS connection: the
    // isolate is simply killed, as an edge runtime does
    child.kill("SIGKILL");
    await child.status;
    const log = await stderr;
    assert.doesNotMatch(log, /error/i, log);
    await nc.close();
  }
});
