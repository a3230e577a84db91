/**
 * The names every nats.js 3.4 entry exports resolve from natsw's matching entry (the gate of
 * `scripts/compat_names.ts`), and the values among them behave as nats.js's do for small inputs.
 */
import assert from "node:assert/strict";
import * as njs from "@nats-io/nats-core";
import * as njsJs from "@nats-io/jetstream";
import * as njsKv from "@nats-io/kv";
import * as njsObj from "@nats-io/obj";
import * as nw from "../../mod.ts";
import * as nwJs from "../../jetstream/mod.ts";
import * as nwKv from "../../kv/mod.ts";
import * as nwObj from "../../obj/mod.ts";
import { compatTest } from "./harness.ts";
import { NatsServer } from "../helpers/server.ts";
import { chooseSha256 } from "../../obj/sha256_choice.ts";

Deno.test("compat - every nats.js export name resolves from the matching natsw entry", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("../../scripts/compat_names.ts", import.meta.url).pathname],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, text);
  const m = /names: (\d+) of (\d+) present/.exec(text);
  assert.ok(m, text);
  assert.equal(m[1], m[2], text);
});

Deno.test("compat - nanos, millis and Empty", () => {
  for (const ms of [0, 1, 1500, 30_000, 86_400_000]) assert.equal(nw.nanos(ms), njs.nanos(ms), `nanos(${ms})`);
  for (const ns of [0, 999_999, 1_000_000, 2_500_000, 1_500_000_000]) {
    assert.equal(nw.millis(ns), njs.millis(ns), `millis(${ns})`);
  }
  assert.ok(nw.Empty instanceof Uint8Array);
  assert.equal(nw.Empty.length, njs.Empty.length);
  assert.equal(nw.Empty.length, 0);
});

Deno.test("compat - backoff() gives nats.js's sequence for the same randomness", () => {
  const random = Math.random;
  try {
    for (const r of [0, 0.5, 0.999]) {
      Math.random = () => r;
      for (const policy of [undefined, [100, 1000], [0, 7, 30]]) {
        const ours = nw.backoff(policy);
        const theirs = njs.backoff(policy);
        const a = Array.from({ length: 10 }, (_, i) => ours.backoff(i));
        const b = Array.from({ length: 10 }, (_, i) => theirs.backoff(i));
        assert.deepEqual(a, b, `random ${r}, policy ${policy}`);
      }
    }
  } finally {
    Math.random = random;
  }
});

Deno.test("compat - deferred, delay and deadline", async () => {
  for (const make of [nw.deferred, njs.deferred]) {
    const d = make<number>();
    assert.ok(d instanceof Promise);
    d.resolve(7);
    assert.equal(await d, 7);
    const e = make<number>();
    e.reject(new Error("no"));
    await assert.rejects(e, /no/);
  }
  for (const delay of [nw.delay, njs.delay]) {
    const start = performance.now();
    const d = delay(10_000);
    d.cancel();
    await d;
    assert.ok(performance.now() - start < 5_000, "cancel resolves at once");
    const t = performance.now();
    await delay(30);
    assert.ok(performance.now() - t >= 25, "a delay waits");
  }
  for (const [deadline, Timeout] of [[nw.deadline, nw.TimeoutError], [njs.deadline, njs.TimeoutError]] as const) {
    assert.equal(await deadline(Promise.resolve("fast"), 1000), "fast");
    const slow = nw.delay(10_000);
    const start = performance.now();
    await assert.rejects(deadline(slow, 50), (e) => e instanceof Timeout);
    const took = performance.now() - start;
    slow.cancel();
    assert.ok(took >= 45 && took < 5_000, `deadline took ${took} ms`);
  }
});

compatTest("syncIterator() reads a subscription one message per next()", async (client, srv) => {
  const nc = await client.connect({ servers: srv.hostport });
  const sub = nc.subscribe("sync");
  const it = (client.name === "natsw" ? nw.syncIterator : njs.syncIterator)(sub);
  for (const s of ["a", "b", "c"]) nc.publish("sync", s);
  await nc.flush();
  const got: (string | null)[] = [];
  for (let i = 0; i < 3; i++) got.push(((await it.next()) as { string(): string } | null)?.string() ?? null);
  sub.unsubscribe();
  got.push(await it.next() as null);
  await nc.close();
  return got;
});

Deno.test("compat - hasWsProtocol and buildAuthenticator", async () => {
  const cases = [undefined, {}, { servers: "ws://a:80" }, { servers: ["nats://a", "WSS://b:443"] }, {
    servers: ["tls://a", "b:4222"],
  }];
  for (const c of cases) assert.equal(nw.hasWsProtocol(c), njs.hasWsProtocol(c), JSON.stringify(c));
  const auths = [
    { user: "u", pass: "p" },
    { token: "t" },
    { user: "u", token: "t", authenticator: () => ({ nkey: "N", sig: "S" }) },
    { authenticator: [() => ({ user: "a" }), () => ({ user: "b", pass: "c" })] },
    {},
  ];
  for (const opts of auths) {
    const ours = await nw.buildAuthenticator(opts as nw.ConnectionOptions)("nonce");
    const theirs = njs.buildAuthenticator(opts as njs.ConnectionOptions)("nonce") ?? {};
    // nats.js keeps `pass: undefined` without a password: the same CONNECT fields
    assert.deepEqual(ours, JSON.parse(JSON.stringify(theirs)), JSON.stringify(opts));
  }
});

Deno.test("compat - errors holds the same error classes under the same keys", () => {
  assert.deepEqual(Object.keys(nw.errors).sort(), Object.keys(njs.errors).sort());
  for (const [k, v] of Object.entries(nw.errors)) assert.equal(v, (nw as Record<string, unknown>)[k], k);
  assert.ok(new nw.errors.RequestError("x") instanceof nw.RequestError);
});

Deno.test("compat - MsgHdrsImpl: toRecord, fromRecord, equals, decode, findKeys, size", () => {
  const block = "NATS/1.0 503 No Responders\r\nA: 1\r\nA: 2\r\nB-C: x\r\n\r\n";
  const ours = nw.MsgHdrsImpl.decode(new TextEncoder().encode(block));
  const theirs = njs.MsgHdrsImpl.decode(new TextEncoder().encode(block));
  assert.deepEqual(ours.toRecord(), theirs.toRecord());
  assert.equal(ours.code, theirs.code);
  assert.equal(ours.description, theirs.description);
  assert.equal(ours.size(), theirs.size());
  assert.deepEqual(ours.findKeys("b-c", nw.Match.CanonicalMIME), theirs.findKeys("b-c", njs.Match.CanonicalMIME));
  const h = nw.headers();
  h.append("A", "1");
  h.append("A", "2");
  const copy = nw.MsgHdrsImpl.fromRecord((h as nw.MsgHdrsImpl).toRecord());
  assert.ok((h as nw.MsgHdrsImpl).equals(copy));
  copy.append("A", "3");
  assert.ok(!(h as nw.MsgHdrsImpl).equals(copy));
  const njsH = njs.MsgHdrsImpl.fromRecord({ A: ["1", "2"] }) as njs.MsgHdrsImpl;
  assert.deepEqual((h as nw.MsgHdrsImpl).toRecord(), njsH.toRecord());
  assert.equal(nw.MsgHdrsImpl.validHeaderValue("  v "), njs.MsgHdrsImpl.validHeaderValue("  v "));
  assert.throws(() => nw.MsgHdrsImpl.validHeaderValue("a\r\nb"), nw.InvalidArgumentError);
  assert.equal(new nw.MsgHdrsImpl().toString(), new njs.MsgHdrsImpl().toString());
  assert.equal((h as nw.MsgHdrsImpl).toString(), (njsH as njs.MsgHdrsImpl).toString());
});

/** Runs a Bench with `opts` against the client's connection and describes its metrics. */
compatTest("Bench pub/sub and req/rep report the same metrics as nats.js", async (client, srv) => {
  const nc = await client.connect({ servers: srv.hostport });
  const Bench = (client.name === "natsw" ? nw.Bench : njs.Bench) as unknown as new (
    nc: unknown,
    opts: nw.BenchOpts,
  ) => { run(): Promise<nw.Metric[]> };
  const runs: unknown[] = [];
  for (
    const opts of [
      { msgs: 2000, size: 16, pub: true, sub: true },
      { msgs: 2000, size: 16, pub: true, sub: true, callbacks: true },
      { msgs: 50, size: 8, req: true, rep: true, callbacks: true },
      { msgs: 50, size: 8, req: true, rep: true, asyncRequests: true },
    ]
  ) {
    const metrics = await new Bench(nc, opts).run();
    runs.push(metrics.map((m) => ({
      name: m.name,
      msgs: m.msgs,
      payload: m.payload,
      fields: Object.keys(m).sort(),
      measured: m.duration >= 0 && m.bytes > 0,
      line: /msgs\/sec - \[\d+\.\d\d secs\] ~ /.test(m.toString()),
      csv: m.toCsv().split(",").length,
      lang: m.lang.length > 0 && m.version.length > 0,
    })));
  }
  await nc.close();
  return runs;
});

Deno.test("compat - Metric.header() and a Bench without a part", async () => {
  assert.equal(nw.Metric.header(), njs.Metric.header());
  await using srv = await NatsServer.start();
  const nc = await nw.connect({ servers: srv.hostport });
  assert.throws(() => new nw.Bench(nc, { msgs: 10 }), /no options selected/);
  await nc.close();
});

Deno.test("compat - Perf measures between marks", () => {
  const perf = new nw.Perf();
  perf.mark("a");
  perf.mark("b");
  perf.measure("ab", "a", "b");
  const [entry] = perf.getEntries();
  assert.equal(entry.name, "ab");
  assert.ok(entry.duration >= 0);
  assert.throws(() => perf.measure("x", "a", "missing"), /missing is not defined/);
});

/** A server with a plain WebSocket listener; `ws` is its `ws://` URL. */
async function wsServer(): Promise<{ srv: NatsServer; ws: string }> {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  const srv = await NatsServer.start({ config: `websocket { listen: "127.0.0.1:${port}", no_tls: true }` });
  return { srv, ws: `ws://127.0.0.1:${port}` };
}

Deno.test("compat - wsconnect dials WebSocket URLs and refuses tls options, as nats.js does", async () => {
  const { srv, ws } = await wsServer();
  await using _srv = srv;
  const results: unknown[] = [];
  for (const wsconnect of [nw.wsconnect, njs.wsconnect]) {
    const nc = await wsconnect({ servers: ws });
    const sub = nc.subscribe("ws.echo", {
      callback: (_e, m) => {
        m.respond(`re: ${m.string()}`);
      },
    });
    const reply = await nc.request("ws.echo", "hi", { timeout: 5_000 });
    sub.unsubscribe();
    await nc.close();
    const refused = await wsconnect({ servers: ws, tls: {} }).then(() => "connected", (e: Error) => e.name);
    results.push({ reply: reply.string(), refused });
  }
  assert.deepEqual(results[0], results[1]);
  assert.deepEqual(results[0], { reply: "re: hi", refused: "InvalidArgumentError" });
});

Deno.test("compat - natsw's wsconnect reads nats:// and http:// URLs as ws:// ones and takes a wsFactory", async () => {
  const { srv, ws } = await wsServer();
  await using _srv = srv;
  const hostport = ws.slice("ws://".length);
  for (const servers of [`nats://${hostport}`, `http://${hostport}`]) {
    const nc = await nw.wsconnect({ servers, reconnect: false });
    await nc.flush();
    await nc.close();
  }
  const opened: string[] = [];
  const nc = await nw.wsconnect({
    servers: ws,
    wsFactory: (u) => {
      opened.push(u);
      return Promise.resolve({ socket: new WebSocket(u), encrypted: false });
    },
  });
  await nc.flush();
  await nc.close();
  assert.deepEqual(opened, [ws]);
});

Deno.test("compat - JetStream constants match nats.js", () => {
  for (const [k, v] of Object.entries(njsJs.JetStreamApiCodes)) {
    assert.equal((nwJs.JetStreamApiCodes as Record<string, number>)[k], v, k);
  }
  assert.equal(nwJs.JsApiCodes, nwJs.JetStreamApiCodes);
  assert.deepEqual({ ...nwJs.PubHeaders }, { ...njsJs.PubHeaders });
  assert.deepEqual({ ...nwJs.JsHeaders }, { ...njsJs.JsHeaders });
  assert.deepEqual({ ...nwJs.DirectMsgHeaders }, { ...njsJs.DirectMsgHeaders });
  assert.deepEqual({ ...nwJs.RepublishHeaders }, { ...njsJs.RepublishHeaders });
  assert.deepEqual({ ...nwJs.PersistMode }, { ...njsJs.PersistMode });
  assert.ok(new nwJs.HeartbeatsMissedError(1000) instanceof nwJs.JetStreamError);
  assert.ok(new nwJs.JetStreamStatusError(409, "Consumer Deleted") instanceof nwJs.JetStreamError);
});

compatTest("isPullConsumer and isPushConsumer tell the consumer kinds apart", async (client, srv) => {
  const nc = await client.connect({ servers: srv.hostport });
  const lib = client.name === "natsw"
    ? { jetstream: nwJs.jetstream, jetstreamManager: nwJs.jetstreamManager, is: nwJs }
    : { jetstream: njsJs.jetstream, jetstreamManager: njsJs.jetstreamManager, is: njsJs };
  // deno-lint-ignore no-explicit-any
  const jsm = await lib.jetstreamManager(nc as any);
  await jsm.streams.add({ name: "K", subjects: ["k.>"] });
  await jsm.consumers.add("K", { durable_name: "pull", ack_policy: "explicit" });
  await jsm.consumers.add("K", { durable_name: "push", ack_policy: "explicit", deliver_subject: "deliver.k" });
  // deno-lint-ignore no-explicit-any
  const js = lib.jetstream(nc as any);
  const pull = await js.consumers.get("K", "pull");
  const push = await js.consumers.getPushConsumer("K", "push");
  // deno-lint-ignore no-explicit-any
  const is = lib.is as any;
  const kinds = [is.isPullConsumer(pull), is.isPushConsumer(pull), is.isPullConsumer(push), is.isPushConsumer(push)];
  await nc.close();
  return kinds;
}, { jetstream: true });

compatTest("defaultBucketOpts() creates the same bucket", async (client, srv) => {
  const nc = await client.connect({ servers: srv.hostport });
  const [Kvm, defaults] = client.name === "natsw"
    ? [nwKv.Kvm, nwKv.defaultBucketOpts]
    : [njsKv.Kvm, njsKv.defaultBucketOpts];
  const opts = defaults();
  const { codec: _codec, ...plain } = opts; // before create(), which nats.js lets change `opts`
  // deno-lint-ignore no-explicit-any
  const kv = await new (Kvm as any)(nc).create("defaults", opts);
  await kv.put("k", "v");
  const status = await kv.status();
  const value = (await kv.get("k"))?.string();
  await nc.close();
  return { plain, history: status.history, replicas: status.replicas, storage: status.storage, value };
}, { jetstream: true });

Deno.test("compat - the object store's base64 codecs", () => {
  const inputs = [new Uint8Array([]), new Uint8Array([251, 255]), new Uint8Array([0, 1, 2, 3, 4]), "hello?", "ÿ>"];
  for (const name of ["Base64Codec", "Base64UrlCodec", "Base64UrlPaddedCodec"] as const) {
    const ours = nwObj[name];
    const theirs = njsObj[name];
    for (const input of inputs) {
      const enc = ours.encode(input);
      assert.equal(enc, theirs.encode(input), `${name}.encode(${input})`);
      assert.deepEqual(ours.decode(enc, true), theirs.decode(enc, true), `${name}.decode(${enc}, true)`);
      assert.equal(ours.decode(enc), theirs.decode(enc), `${name}.decode(${enc})`);
    }
  }
  for (const s of ["a+b/c==", "-_x="]) {
    assert.equal(nwObj.Base64UrlCodec.toB64URLEncoding(s), njsObj.Base64UrlCodec.toB64URLEncoding(s));
    assert.equal(nwObj.Base64UrlCodec.fromB64URLEncoding(s), njsObj.Base64UrlCodec.fromB64URLEncoding(s));
    assert.equal(nwObj.Base64UrlPaddedCodec.toB64URLEncoding(s), njsObj.Base64UrlPaddedCodec.toB64URLEncoding(s));
  }
  const big = new Uint8Array(200_000).map((_, i) => i);
  assert.deepEqual(nwObj.Base64Codec.decode(nwObj.Base64Codec.encode(big), true), big);
});

Deno.test("compat - setSha256Backend selects the hash, and the digests match nats.js's", async () => {
  await using srv = await NatsServer.start({ jetstream: true });
  const data = new Uint8Array(300_000).map((_, i) => (i * 31) & 0xff);
  const nnc = await nw.connect({ servers: srv.hostport });
  const { connect: njsConnect } = await import("@nats-io/transport-node");
  const jnc = await njsConnect({ servers: srv.hostport });
  try {
    assert.throws(() => nwObj.setSha256Backend("md5" as nwObj.Sha256Backend), nw.InvalidArgumentError);
    assert.throws(() => njsObj.setSha256Backend("md5" as njsObj.Sha256Backend));
    const digests: string[] = [];
    for (const backend of ["js", "native"] as const) {
      nwObj.setSha256Backend(backend);
      njsObj.setSha256Backend(backend);
      assert.equal(nwObj.getSha256Backend(), backend);
      assert.equal(njsObj.getSha256Backend(), njsObj.getSha256Backend());
      const ours = await new nwObj.Objm(nnc).create(`ours-${backend}`);
      const theirs = await new njsObj.Objm(jnc).create(`theirs-${backend}`);
      const a = await ours.putBlob({ name: "blob" }, data);
      const b = await theirs.putBlob({ name: "blob" }, data);
      assert.deepEqual(await ours.getBlob("blob"), data);
      digests.push(a.digest, b.digest);
    }
    assert.equal(new Set(digests).size, 1, digests.join(" "));
  } finally {
    chooseSha256(undefined); // back to natsw's default
    njsObj.setSha256Backend("js");
    await nnc.close();
    await jnc.close();
  }
});

Deno.test("compat - type names accept what nats.js code writes", () => {
  const up: njs.UserPass = { user: "u", pass: "p" };
  const auth: nw.Auth = up satisfies nw.UserPass;
  const jwt: nw.JwtAuth = { jwt: "j" };
  const status: nw.DisconnectStatus = { type: "disconnect", server: "a:4222" };
  const changed: nw.ServersChanged = { added: ["a"], deleted: [] };
  const opts: nw.SubOpts<nw.Msg> = { queue: "q", max: 1, callback: (_err, _m) => {} };
  const sub: nw.SubscriptionOptions = opts;
  const fetch: nwJs.FetchBytes = { max_bytes: 1024, expires: 5_000 };
  const consume: nwJs.ConsumeMessages = { max_messages: 10, threshold_messages: 5 };
  const purge: nwJs.PurgeOpts = { filter: "a.>", seq: 5 } satisfies nwJs.PurgeBySeq;
  const q: nwJs.MsgRequest = { last_by_subj: "a" } satisfies nwJs.LastForMsgRequest;
  assert.deepEqual(
    [auth, jwt.jwt, status.type, changed.added, sub.queue, fetch.max_bytes, consume.max_messages, purge, q],
    [up, "j", "disconnect", ["a"], "q", 1024, 10, { filter: "a.>", seq: 5 }, { last_by_subj: "a" }],
  );
});

Deno.test("compat - nkeys: keys, signatures and errors are nats.js's", () => {
  const enc = new TextEncoder();
  assert.deepEqual({ ...nw.nkeys.Prefix }, { ...njs.nkeys.Prefix });
  assert.deepEqual({ ...nw.nkeys.NKeysErrorCode }, { ...njs.nkeys.NKeysErrorCode });
  for (const create of ["createUser", "createAccount", "createOperator", "createServer", "createCluster"] as const) {
    const theirs = njs.nkeys[create]();
    const ours = nw.nkeys.fromSeed(theirs.getSeed().slice());
    assert.equal(ours.getPublicKey(), theirs.getPublicKey(), create);
    assert.deepEqual(ours.getPrivateKey(), theirs.getPrivateKey(), create);
    const data = enc.encode(`nonce for ${create}`);
    const sig = ours.sign(data);
    assert.deepEqual(sig, theirs.sign(data), create);
    assert.ok(theirs.verify(data, sig) && ours.verify(data, theirs.sign(data)));
    assert.ok(nw.nkeys.fromPublic(ours.getPublicKey()).verify(data, sig));
    assert.ok(!nw.nkeys.fromPublic(ours.getPublicKey()).verify(enc.encode("other"), sig));
    const fresh = nw.nkeys[create]();
    assert.equal(njs.nkeys.fromSeed(fresh.getSeed().slice()).getPublicKey(), fresh.getPublicKey(), create);
  }
  const user = nw.nkeys.createUser();
  assert.equal(user.getPublicKey()[0], "U");
  assert.equal(nw.nkeys.Prefixes.isValidPublicPrefix(nw.nkeys.Prefix.User), true);
  assert.equal(nw.nkeys.Prefixes.startsWithValidPrefix("Q"), njs.nkeys.Prefixes.startsWithValidPrefix("Q"));
  for (const bad of ["SUAXXX", "UAAAAA", "SUAM3NZBQG4UHN5DWAP5DN2TS3K7OMNGWZJTVBZWQW36V7LMHPOIMNBTVI"]) {
    const theirs = (() => {
      try {
        return njs.nkeys.fromSeed(enc.encode(bad)).getPublicKey();
      } catch (e) {
        return (e as { code: string }).code;
      }
    })();
    const ours = (() => {
      try {
        return nw.nkeys.fromSeed(enc.encode(bad)).getPublicKey();
      } catch (e) {
        assert.ok(e instanceof nw.nkeys.NKeysError);
        return e.code;
      }
    })();
    assert.equal(ours, theirs, bad);
  }
  user.clear();
  assert.throws(
    () => user.getPublicKey(),
    (e) => e instanceof nw.nkeys.NKeysError && e.code === "nkeys: pair is cleared",
  );
  const publicOnly = nw.nkeys.fromPublic(nw.nkeys.createUser().getPublicKey());
  assert.throws(
    () => publicOnly.sign(enc.encode("x")),
    (e) => e instanceof nw.nkeys.NKeysError && e.code === "nkeys: cannot sign, no private key available",
  );
  assert.equal(nw.nkeys.encode(new Uint8Array([250, 1])), njs.nkeys.encode(new Uint8Array([250, 1])));
  assert.deepEqual(nw.nkeys.decode("+gE="), njs.nkeys.decode("+gE="));
});

Deno.test("compat - nkeys: curve keys seal and open across nats.js and natsw", () => {
  const msg = new TextEncoder().encode("the secret plan");
  const theirs = njs.nkeys.createCurve();
  const ours = nw.nkeys.fromSeed(theirs.getSeed());
  assert.equal(ours.getPublicKey(), theirs.getPublicKey());
  assert.deepEqual(ours.getPrivateKey(), theirs.getPrivateKey());
  const peer = nw.nkeys.createCurve();
  const nonce = crypto.getRandomValues(new Uint8Array(24));
  assert.deepEqual(ours.seal(msg, peer.getPublicKey(), nonce), theirs.seal(msg, peer.getPublicKey(), nonce));
  const sealed = theirs.seal(msg, peer.getPublicKey());
  assert.deepEqual(peer.open(sealed, theirs.getPublicKey()), msg);
  const back = peer.seal(msg, theirs.getPublicKey());
  assert.deepEqual(njs.nkeys.fromCurveSeed(theirs.getSeed()).open(back, peer.getPublicKey()), msg);
  const tampered = back.slice();
  tampered[tampered.length - 1] ^= 1;
  assert.equal(ours.open(tampered, peer.getPublicKey()), null);
  assert.throws(
    () => ours.sign(msg),
    (e) => e instanceof nw.nkeys.NKeysError && e.code === theirsCode(() => theirs.sign(msg)),
  );
  assert.throws(() => ours.seal(msg, "UABC"), nw.nkeys.NKeysError);
});

/** The `code` of the NKeysError `f` throws. */
function theirsCode(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as { code: string }).code;
  }
  throw new Error("did not throw");
}
