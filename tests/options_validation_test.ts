/**
 * Every option of `connect()`, `publish()`, `subscribe()`, `unsubscribe()`, `request()` and
 * `requestMany()` is checked before anything is dialed or sent, and an explicit `undefined` keeps
 * the default. Bad connect options are tried against a listener that counts accepted sockets:
 * none may reach it.
 */
import assert from "node:assert/strict";
import {
  connect,
  ConnectionError,
  headers,
  InvalidArgumentError,
  type Msg,
  type NatsConnection,
  SlowConsumerError,
  type Status,
  TimeoutError,
} from "../mod.ts";
import { CONNECTION_OPTION_RULES, type ConnectionOptions } from "../src/options.ts";
import type { RequestManyOptions } from "../src/request.ts";
import { certFiles } from "./helpers/certs.ts";
import { NatsServer } from "./helpers/server.ts";
import { delay, take, waitFor } from "./helpers/util.ts";

/** A TCP listener on loopback that only counts the sockets it accepts. */
function countingPeer(): { url: string; accepted: () => number; close: () => Promise<void> } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Deno.Conn[] = [];
  const loop = (async () => {
    try {
      for await (const c of listener) conns.push(c);
    } catch {
      // closed
    }
  })();
  return {
    url: `127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    accepted: () => conns.length,
    close: async () => {
      listener.close();
      await loop;
      for (const c of conns) c.close();
    },
  };
}

/** Rejects with an `InvalidArgumentError` whose message has every one of `parts`. */
function invalid(...parts: string[]): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof InvalidArgumentError, `an InvalidArgumentError, got ${err}`);
    for (const p of parts) assert.ok(err.message.includes(p), `'${err.message}' should mention ${p}`);
    return true;
  };
}

/** Resolves with the first status of `type`, or rejects after `timeout` ms. */
async function nextStatus(nc: NatsConnection, type: Status["type"], timeout = 10_000): Promise<Status> {
  const it = nc.status()[Symbol.asyncIterator]();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const found = (async () => {
    for (;;) {
      const r = await it.next();
      if (r.done || r.value.type === type) return r.done ? undefined : r.value;
    }
  })();
  const expired = new Promise<undefined>((resolve) => timer = setTimeout(() => resolve(undefined), timeout));
  try {
    const s = await Promise.race([found, expired]);
    if (s === undefined) throw new Error(`no '${type}' status within ${timeout} ms`);
    return s;
  } finally {
    clearTimeout(timer);
    await it.return?.();
  }
}

// [bad options, what the message must name]
const BAD_CONNECT: [Record<string, unknown>, string][] = [
  [{ pingInterval: 0 }, "'pingInterval'"],
  [{ pingInterval: -1 }, "'pingInterval'"],
  [{ pingInterval: NaN }, "'pingInterval'"],
  [{ pingInterval: 2 ** 31 }, "'pingInterval'"],
  [{ pingInterval: "1000" }, "'pingInterval'"],
  [{ timeout: NaN }, "'timeout'"],
  [{ timeout: Infinity }, "'timeout'"],
  [{ timeout: 0 }, "'timeout'"],
  [{ requestTimeout: NaN }, "'requestTimeout'"],
  [{ requestTimeout: -5 }, "'requestTimeout'"],
  [{ flushTimeout: 0 }, "'flushTimeout'"],
  [{ drainTimeout: NaN }, "'drainTimeout'"],
  [{ maxPingOut: 0 }, "'maxPingOut'"],
  [{ maxPingOut: 1.5 }, "'maxPingOut'"],
  [{ reconnect: "yes" }, "'reconnect'"],
  [{ reconnect: 1 }, "'reconnect'"],
  [{ maxReconnectAttempts: -2 }, "'maxReconnectAttempts'"],
  [{ maxReconnectAttempts: 2.5 }, "'maxReconnectAttempts'"],
  [{ reconnectTimeWait: -1 }, "'reconnectTimeWait'"],
  [{ reconnectTimeWait: 2 ** 31 }, "'reconnectTimeWait'"],
  [{ reconnectJitter: NaN }, "'reconnectJitter'"],
  [{ reconnectJitterTLS: Infinity }, "'reconnectJitterTLS'"],
  [{ reconnectDelayHandler: 100 }, "'reconnectDelayHandler'"],
  [{ waitOnFirstConnect: "true" }, "'waitOnFirstConnect'"],
  [{ noRandomize: 0 }, "'noRandomize'"],
  [{ ignoreClusterUpdates: null }, "'ignoreClusterUpdates'"],
  [{ reconnectBufSize: -1 }, "'reconnectBufSize'"],
  [{ maxOutboundBytes: 0 }, "'maxOutboundBytes'"],
  [{ maxPendingMsgs: NaN }, "'maxPendingMsgs'"],
  [{ maxPendingMsgs: 0 }, "'maxPendingMsgs'"],
  [{ maxPendingMsgs: Infinity }, "'maxPendingMsgs'"],
  [{ maxPendingBytes: 1.5 }, "'maxPendingBytes'"],
  [{ requestsSurviveDisconnect: "no" }, "'requestsSurviveDisconnect'"],
  [{ verbose: 1 }, "'verbose'"],
  [{ pedantic: "x" }, "'pedantic'"],
  [{ noEcho: null }, "'noEcho'"],
  [{ name: 5 }, "'name'"],
  [{ user: {} }, "'user'"],
  [{ inboxPrefix: "" }, "'inboxPrefix'"],
  [{ inboxPrefix: 5 }, "'inboxPrefix'"],
  [{ authenticator: "fn" }, "'authenticator'"],
  [{ authenticator: [() => ({}), 5] }, "'authenticator'[1]"],
  [{ port: 0 }, "'port'"],
  [{ port: 65536 }, "'port'"],
  [{ port: "4222" }, "'port'"],
  [{ servers: 5 }, "'servers'"],
  [{ servers: [5] }, "'servers'[0]"],
  [{ servers: "" }, "'servers'"],
  [{ tls: "yes" }, "'tls'"],
  [{ tls: false }, "'tls'"],
  [{ tls: [] }, "'tls'"],
  [{ tls: { caCerts: "pem" } }, "'caCerts'"],
  [{ tls: { handshakeFirst: "y" } }, "'handshakeFirst'"],
  [{ tls: { cert: "pem" } }, "'key'"],
  [{ tls: { caCert: ["pem"] } }, "did you mean 'caCerts'"],
  [{ tls: { ca: 5 } }, "'ca'"],
  [{ tls: { certFile: "/nonexistent/x.pem" } }, "cannot read tls.certFile '/nonexistent/x.pem'"],
  [{ pingInteval: 1000 }, "unknown connect option 'pingInteval' (did you mean 'pingInterval'?)"],
  [{ debug: "yes" }, "'debug'"],
  [{ noAsyncTraces: 1 }, "'noAsyncTraces'"],
  [{ ignoreAuthErrorAbort: "no" }, "'ignoreAuthErrorAbort'"],
  [{ resolve: false }, "connect option 'resolve' is a nats.js option natsw does not support yet"],
  [{ reconnectToServer: () => undefined }, "'reconnectToServer' is a nats.js option"],
];

Deno.test("options - bad connect options are an InvalidArgumentError and nothing is dialed", async () => {
  const peer = countingPeer();
  try {
    for (const [bad, names] of BAD_CONNECT) {
      const opts = { servers: peer.url, ...bad } as ConnectionOptions;
      await assert.rejects(connect(opts), invalid(names), JSON.stringify(Object.keys(bad)));
    }
    for (const notAnObject of ["nats://127.0.0.1", null, 5, [peer.url]]) {
      await assert.rejects(connect(notAnObject as ConnectionOptions), invalid("connect options must be an object"));
    }
    await assert.rejects(connect({ servers: peer.url, port: 4222 }), invalid("mutually exclusive"));
    await assert.rejects(connect({ servers: `tls://${peer.url}`, tls: null }), invalid("'tls' is null", "server 1"));
    await assert.rejects(connect({ servers: [peer.url, `wss://${peer.url}`], tls: null }), invalid("server 2"));
    assert.equal(peer.accepted(), 0, "no bad option may dial");
    // the peer does count
    const probe = await Deno.connect({ hostname: "127.0.0.1", port: Number(peer.url.split(":")[1]) });
    await waitFor(() => peer.accepted() === 1, "the probe to be counted");
    probe.close();
  } finally {
    await peer.close();
  }
});

Deno.test("options - a secret given with the wrong type is not echoed", async () => {
  const peer = countingPeer();
  try {
    const bads: Record<string, unknown>[] = [{ pass: 987654321 }, { token: 987654321 }, {
      tls: { cert: "c", key: 987654321 },
    }];
    for (const bad of bads) {
      await assert.rejects(connect({ servers: peer.url, ...bad } as ConnectionOptions), (err: unknown) => {
        assert.ok(err instanceof InvalidArgumentError);
        assert.ok(!err.message.includes("987654321"), err.message);
        assert.match(err.message, /must be a string, got a number/);
        return true;
      });
    }
    assert.equal(peer.accepted(), 0);
  } finally {
    await peer.close();
  }
});

Deno.test("options - explicit undefined keeps every connect default, and reconnect stays on", async () => {
  await using srv = await NatsServer.start();
  const everyKeyUndefined: Record<string, undefined> = {};
  for (const key of Object.keys(CONNECTION_OPTION_RULES)) everyKeyUndefined[key] = undefined;
  const nc = await connect({ ...everyKeyUndefined, servers: srv.url });
  const o = nc.options;
  assert.equal(o.timeout, 20_000);
  assert.equal(o.requestTimeout, 1_000);
  assert.equal(o.pingInterval, 120_000);
  assert.equal(o.maxPingOut, 2);
  assert.equal(o.reconnect, true);
  assert.equal(o.maxReconnectAttempts, 10);
  assert.equal(o.reconnectTimeWait, 2_000);
  assert.equal(o.maxPendingMsgs, 512 * 1024);
  assert.equal(o.maxPendingBytes, 64 * 1024 * 1024);
  assert.equal(o.inboxPrefix, "_INBOX");
  assert.equal(o.tls, undefined);
  assert.deepEqual(o.servers, [srv.url]);
  const back = nextStatus(nc, "reconnect");
  await nc.reconnect();
  await back;
  const sub = nc.subscribe("after.reconnect");
  nc.publish("after.reconnect", "ok");
  assert.equal((await take(sub, 1))[0].string(), "ok");
  await nc.close();
});

Deno.test("options - port dials 127.0.0.1:<port>, as in nats.js", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ port: srv.port });
  assert.equal(nc.getServer(), `127.0.0.1:${srv.port}`);
  assert.deepEqual(nc.options.servers, [`127.0.0.1:${srv.port}`]);
  const sub = nc.subscribe("port.works");
  nc.publish("port.works", "yes");
  assert.equal((await take(sub, 1))[0].string(), "yes");
  await nc.close();
  const empty = await connect({ servers: [], port: srv.port }); // an empty list is "not given"
  assert.equal(empty.getServer(), `127.0.0.1:${srv.port}`);
  await empty.close();
});

Deno.test("options - tls: null never uses TLS: plain servers work, a TLS-only server fails", async () => {
  await using plain = await NatsServer.start();
  const nc = await connect({ servers: plain.url, tls: null });
  assert.equal(nc.options.tls, null);
  await nc.flush();
  await nc.close();

  await using certs = await certFiles();
  await using secure = await NatsServer.start({
    config: `tls {\n cert_file: "${certs.path("serverCert")}"\n key_file: "${certs.path("serverKey")}"\n}`,
  });
  await assert.rejects(connect({ servers: secure.url, tls: null }), (err: unknown) => {
    assert.ok(err instanceof ConnectionError, `a ConnectionError, got ${err}`);
    assert.match(err.message, /requires TLS, and the tls option is null/);
    return true;
  });
});

Deno.test("options - explicit undefined in subscribe keeps the connection's pending limit", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url, maxPendingMsgs: 3 });
  const sub = nc.subscribe("limited", { maxPendingMsgs: undefined, queue: undefined, max: undefined });
  for (let i = 0; i < 5; i++) nc.publish("limited", `m${i}`);
  await nc.flush();
  await waitFor(() => sub.getReceived() === 5, "every message to arrive");
  assert.equal(sub.getPending(), 3);
  assert.equal(sub.getDropped(), 2);
  await nc.close();
});

Deno.test("options - bad subscribe options throw before SUB, and unsubscribe(max) takes integers only", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url });
  const bad: [Record<string, unknown>, string][] = [
    [{ max: 1.5 }, "'max'"],
    [{ max: Infinity }, "'max'"],
    [{ max: 0 }, "'max'"],
    [{ max: -1 }, "'max'"],
    [{ max: "2" }, "'max'"],
    [{ queue: 5 }, "'queue'"],
    [{ timeout: NaN }, "'timeout'"],
    [{ timeout: -1 }, "'timeout'"],
    [{ timeout: 2 ** 31 }, "'timeout'"],
    [{ callback: "fn" }, "'callback'"],
    [{ maxPendingMsgs: 0 }, "'maxPendingMsgs'"],
    [{ maxPendingBytes: 1.5 }, "'maxPendingBytes'"],
    [{ maxPendingMsg: 10 }, "did you mean 'maxPendingMsgs'"],
  ];
  for (const [opts, names] of bad) assert.throws(() => nc.subscribe("s", opts), invalid(names), names);
  assert.throws(() => nc.subscribe("s", null as never), invalid("subscribe options must be an object"));
  const sub = nc.subscribe("s");
  assert.equal(sub.getID(), 1, "no rejected subscribe created (or sent) a subscription");

  for (const max of [1.5, -1, NaN, Infinity, "1"]) {
    assert.throws(() => sub.unsubscribe(max as number), invalid("unsubscribe max"), String(max));
  }
  nc.publish("s", "still here");
  assert.equal((await take(sub, 1))[0].string(), "still here", "a rejected unsubscribe sent no UNSUB");
  sub.unsubscribe(0);
  assert.equal(sub.isClosed(), true, "unsubscribe(0) still means now");

  const limited = nc.subscribe("lim", { max: 2 });
  for (let i = 0; i < 3; i++) nc.publish("lim", `${i}`);
  assert.deepEqual((await take(limited, 3)).map((m) => m.string()), ["0", "1"]);
  await nc.close();
});

Deno.test("options - bad publish options throw before anything is sent", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url });
  const sub = nc.subscribe("pub");
  await nc.flush();
  const before = nc.stats().outMsgs;
  const bad: [unknown, string][] = [
    [{ replyTo: "r" }, "did you mean 'reply'"],
    [{ reply: 5 }, "'reply'"],
    [{ traceOnly: "yes", traceDestination: "t" }, "'traceOnly'"],
    [{ traceDestination: 5 }, "'traceDestination'"],
    [{ headers: { "X-A": "1" } }, "headers"],
    [null, "publish options must be an object"],
    [[], "publish options must be an object"],
  ];
  for (const [opts, names] of bad) assert.throws(() => nc.publish("pub", "x", opts as never), invalid(names), names);
  assert.equal(nc.stats().outMsgs, before);
  const h = headers();
  h.set("X-A", "1");
  nc.publish("pub", "a", { reply: undefined, headers: undefined, traceDestination: undefined, traceOnly: false });
  nc.publish("pub", "b", { reply: "answer.here", headers: h });
  const [a, b] = await take(sub, 2);
  assert.equal(a.string(), "a");
  assert.equal(b.reply, "answer.here");
  assert.equal(b.headers?.get("X-A"), "1");
  await nc.close();
});

Deno.test("options - bad request and requestMany options reject before anything is sent", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url });
  const responder = await connect({ servers: srv.url });
  let seen = 0;
  responder.subscribe("svc", {
    callback: (_e, m) => {
      seen++;
      m.respond("ok");
    },
  });
  await responder.flush();
  const badRequest: [Record<string, unknown>, string][] = [
    [{ timeout: NaN }, "'timeout'"],
    [{ timeout: 0 }, "'timeout'"],
    [{ timeout: 0, noMux: true }, "'timeout'"],
    [{ timeout: -1 }, "'timeout'"],
    [{ timeout: "100" }, "'timeout'"],
    [{ timeout: Infinity, noMux: true }, "'timeout'"],
    [{ timeout: 2 ** 31 }, "'timeout'"],
    [{ noMux: "yes" }, "'noMux'"],
    [{ reply: "" }, "'reply'"],
    [{ reply: 5 }, "'reply'"],
    [{ headers: { "X-A": "1" } }, "headers"],
    [{ headers: { "X-A": "1" }, noMux: true }, "headers"],
    [{ timeOut: 100 }, "did you mean 'timeout'"],
    [{ traceOnly: 1 }, "'traceOnly'"],
  ];
  for (const [opts, names] of badRequest) await assert.rejects(nc.request("svc", "x", opts), invalid(names), names);
  const badMany: [Record<string, unknown>, string][] = [
    [{ maxWait: NaN }, "'maxWait'"],
    [{ maxWait: 0 }, "'maxWait'"],
    [{ maxWait: -1 }, "'maxWait'"],
    [{ maxMessages: 0 }, "'maxMessages'"],
    [{ maxMessages: 1.5 }, "'maxMessages'"],
    [{ maxMessages: -1 }, "'maxMessages'"],
    [{ stall: 0 }, "'stall'"],
    [{ stall: NaN }, "'stall'"],
    [{ sentinel: "" }, "'sentinel'"],
    [{ sentinel: false }, "'sentinel'"],
    [{ strategy: "fast" }, "'strategy'"],
    [{ noMux: 1 }, "'noMux'"],
    [{ maxMessage: 2 }, "did you mean 'maxMessages'"],
    [{ strategy: "count" }, "strategy 'count' needs maxMessages"],
    [{ strategy: "timer", maxMessages: 2 }, "'maxMessages' does nothing with strategy 'timer'"],
    [{ strategy: "count", maxMessages: 2, stall: 50 }, "'stall' does nothing with strategy 'count'"],
    [{ strategy: "stall", sentinel: true }, "'sentinel' does nothing with strategy 'stall'"],
    [{ strategy: "sentinel", sentinel: true }, "'sentinel' does nothing with strategy 'sentinel'"],
  ];
  for (const [opts, names] of badMany) await assert.rejects(nc.requestMany("svc", "x", opts), invalid(names), names);
  await assert.rejects(nc.request("svc", "x", null as never), invalid("request options must be an object"));
  assert.equal((await nc.request("svc", "x")).string(), "ok");
  assert.equal(seen, 1, "only the valid request reached the responder");
  await nc.close();
  await responder.close();
});

Deno.test("options - explicit undefined request timeouts mean the connection's requestTimeout", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url, requestTimeout: 200 });
  nc.subscribe("silent", { callback: () => {} });
  for (const opts of [{ timeout: undefined }, { timeout: undefined, noMux: true }]) {
    await assert.rejects(nc.request("silent", "x", opts), (err: unknown) => {
      assert.ok(err instanceof TimeoutError);
      assert.equal(err.timeout, 200);
      return true;
    });
  }
  const none = await take(await nc.requestMany("silent", "x", { maxWait: undefined, stall: undefined }), 1);
  assert.deepEqual(none, [], "requestMany ends at requestTimeout");
  await nc.close();
});

Deno.test("options - requestMany ends when the connection closes, not at maxWait", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url });
  nc.subscribe("quiet", { callback: () => {} });
  const replies = await nc.requestMany("quiet", "", { maxWait: 60_000 });
  const collected = take(replies, 1, 10_000);
  await nc.close();
  assert.deepEqual(await collected, []);
});

/** A responder on its own connection answering every request on `subject` with `replies`. */
async function multiResponder(url: string, subject: string, replies: string[]): Promise<NatsConnection> {
  const nc = await connect({ servers: url });
  nc.subscribe(subject, { callback: (_e, m) => replies.forEach((r) => nc.publish(m.reply!, r)) });
  await nc.flush();
  return nc;
}

async function strings(nc: NatsConnection, subject: string, opts: RequestManyOptions): Promise<string[]> {
  // at most 10 s: a strategy that does not end the request fails here rather than hanging
  return (await take(await nc.requestMany(subject, "", opts), 100, 10_000)).map((m: Msg) => m.string());
}

Deno.test("options - requestMany strategies behave as in nats.js", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url });
  const responder = await multiResponder(srv.url, "many", ["a", "", "b"]);
  const long = 60_000; // never reached: each strategy below ends the request by itself
  assert.deepEqual(await strings(nc, "many", { strategy: "count", maxMessages: 2, maxWait: long }), ["a", ""]);
  assert.deepEqual(await strings(nc, "many", { strategy: "sentinel", maxWait: long }), ["a", ""]);
  assert.deepEqual(await strings(nc, "many", { strategy: "stall", maxWait: long }), ["a", "", "b"]);
  assert.deepEqual(await strings(nc, "many", { strategy: "timer", maxWait: 300 }), ["a", "", "b"]);
  assert.deepEqual(await strings(nc, "many", { sentinel: true, maxWait: long }), ["a"], "natsw's own sentinel");
  assert.deepEqual(await strings(nc, "many", { noMux: true, maxMessages: 3, maxWait: long }), ["a", "", "b"]);
  await nc.close();
  await responder.close();
});

Deno.test("options - requestMany strategy 'stall': maxWait only bounds the wait for the first reply", async () => {
  await using srv = await NatsServer.start();
  const nc = await connect({ servers: srv.url });
  const responder = await connect({ servers: srv.url });
  let replyTo = "";
  responder.subscribe("slow", {
    callback: (_e, m) => {
      replyTo = m.reply!;
      m.respond("first");
    },
  });
  await responder.flush();
  const it = (await nc.requestMany("slow", "", { strategy: "stall", maxWait: 300, stall: 3_000 }))[
    Symbol.asyncIterator
  ]();
  assert.equal((await it.next()).value?.string(), "first");
  await delay(600); // past maxWait: with natsw's own stall the request would have ended
  responder.publish(replyTo, "second");
  const second = await it.next();
  assert.equal(second.done, false);
  assert.equal(second.value.string(), "second");
  assert.equal((await it.next()).done, true, "ends after the stall");
  await nc.close();
  await responder.close();
});

Deno.test("options - requestMany replies are bounded by maxPendingMsgs and maxPendingBytes", async () => {
  await using srv = await NatsServer.start();
  for (const [limits, fit] of [[{ maxPendingMsgs: 5 }, 5], [{ maxPendingBytes: 100 }, 3]] as const) {
    const nc = await connect({ servers: srv.url, ...limits });
    const responder = await connect({ servers: srv.url });
    const reply = "r".repeat(30);
    responder.subscribe("flood", {
      callback: (_e, m) => {
        for (let i = 0; i < 20; i++) responder.publish(m.reply!, reply);
        responder.publish("flood.done", "");
      },
    });
    await responder.flush();
    const done = nc.subscribe("flood.done", { max: 1 });
    const slow = nextStatus(nc, "slowConsumer");
    const replies = await nc.requestMany("flood", "", { maxWait: 60_000 });
    // the same publisher's messages arrive in order: every reply has been read once "done" is
    await take(done, 1);
    await slow;
    const got: Msg[] = [];
    await assert.rejects(
      (async () => {
        for await (const m of replies) got.push(m);
      })(),
      (err: unknown) => {
        assert.ok(err instanceof SlowConsumerError, `a SlowConsumerError, got ${err}`);
        assert.equal(err.pending, fit);
        return true;
      },
    );
    assert.equal(got.length, fit, "the replies queued before the overflow are yielded");
    await nc.close();
    await responder.close();
  }
});
