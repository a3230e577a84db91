import assert from "node:assert/strict";
import { createUser } from "@nats-io/nkeys";
import {
  AuthorizationError,
  connect,
  InvalidArgumentError,
  type NatsConnection,
  PermissionViolationError,
  type Status,
  UserAuthenticationExpiredError,
} from "../mod.ts";
import {
  credsAuthenticator,
  jwtAuthenticator,
  nkeyAuthenticator,
  tokenAuthenticator,
  usernamePasswordAuthenticator,
} from "../src/auth/authenticators.ts";
import { parseCreds } from "../src/auth/creds.ts";
import { readCredsFile } from "../src/auth/creds_file.ts";
import { NatsServer } from "./helpers/server.ts";
import { formatCreds, TestOperator } from "./helpers/jwt.ts";
import { repoUrl, runScript } from "./helpers/script.ts";
import { take, waitFor } from "./helpers/util.ts";

async function roundTrip(nc: NatsConnection, subject = "auth.rt"): Promise<void> {
  const sub = nc.subscribe(subject);
  nc.publish(subject, "hello");
  assert.equal((await take(sub, 1))[0].string(), "hello");
}

async function rejectsAuth(p: Promise<NatsConnection>): Promise<void> {
  await assert.rejects(
    p,
    (err: Error) => err instanceof AuthorizationError && /authorization violation/i.test(err.message),
  );
}

/** An operator-mode server; its folder (with the operator JWT) is removed on dispose. */
async function operatorServer(op: TestOperator): Promise<NatsServer & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "natsw-operator-" });
  const srv = await NatsServer.start({ config: await op.serverConfig(dir) }).catch(async (err) => {
    await Deno.remove(dir, { recursive: true });
    throw err;
  });
  const stop = srv.stop.bind(srv);
  srv.stop = async () => {
    await stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  return srv;
}

Deno.test("auth - user and password from options, URL and authenticator", async () => {
  await using srv = await NatsServer.start({ config: 'authorization { user: "app", password: "p@ss w0rd" }' });
  const a = await connect({ servers: srv.url, user: "app", pass: "p@ss w0rd" });
  await roundTrip(a);
  await a.close();
  const b = await connect({ servers: `nats://app:${encodeURIComponent("p@ss w0rd")}@127.0.0.1:${srv.port}` });
  await roundTrip(b);
  await b.close();
  const c = await connect({
    servers: srv.url,
    authenticator: usernamePasswordAuthenticator("app", async () => await Promise.resolve("p@ss w0rd")),
  });
  await roundTrip(c);
  await c.close();
  await rejectsAuth(connect({ servers: srv.url, user: "app", pass: "wrong" }));
  await rejectsAuth(connect({ servers: srv.url, authenticator: usernamePasswordAuthenticator("app", "wrong") }));
  await rejectsAuth(connect({ servers: srv.url }));
});

Deno.test("auth - token from options, URL and authenticator", async () => {
  await using srv = await NatsServer.start({ config: 'authorization { token: "s3cr3t" }' });
  for (
    const opts of [
      { servers: srv.url, token: "s3cr3t" },
      { servers: `nats://s3cr3t@127.0.0.1:${srv.port}` },
      { servers: srv.url, authenticator: tokenAuthenticator(() => "s3cr3t") },
      { servers: srv.url, authenticator: tokenAuthenticator("s3cr3t") },
    ]
  ) {
    const nc = await connect(opts);
    await roundTrip(nc);
    await nc.close();
  }
  await rejectsAuth(connect({ servers: srv.url, token: "nope" }));
  await rejectsAuth(connect({ servers: srv.url, authenticator: tokenAuthenticator("nope") }));
});

Deno.test("auth - NKey signs the server nonce", async () => {
  const user = createUser();
  const seed = new TextDecoder().decode(user.getSeed());
  await using srv = await NatsServer.start({ config: `authorization { users: [ { nkey: ${user.getPublicKey()} } ] }` });
  const a = await connect({ servers: srv.url, authenticator: nkeyAuthenticator(seed) });
  assert.ok(a.info?.nonce);
  await roundTrip(a);
  await a.close();
  const b = await connect({ servers: srv.url, authenticator: nkeyAuthenticator(() => user.getSeed()) });
  await roundTrip(b);
  await b.close();
  await rejectsAuth(
    connect({ servers: srv.url, authenticator: nkeyAuthenticator(createUser().getSeed()) }),
  );
  const bytes = user.getSeed();
  nkeyAuthenticator(bytes);
  assert.deepEqual(bytes, user.getSeed(), "the caller's seed bytes are left intact");
  assert.throws(() => nkeyAuthenticator("SUNOTASEED"), InvalidArgumentError);
  await assert.rejects(
    connect({ servers: srv.url, authenticator: nkeyAuthenticator(() => "SUNOTASEED") }),
    InvalidArgumentError,
  );
});

Deno.test("auth - authenticators run on every connect and may change credentials", async () => {
  await using srv = await NatsServer.start({ config: 'authorization { token: "first" }' });
  const nonces: Array<string | undefined> = [];
  let token = "first";
  const nc = await connect({
    servers: srv.url,
    reconnectTimeWait: 50,
    authenticator: [tokenAuthenticator(() => token), (nonce) => {
      nonces.push(nonce);
      return {};
    }],
  });
  assert.equal(nonces.length, 1);
  token = "second";
  await Deno.writeTextFile(srv.configFile, (await Deno.readTextFile(srv.configFile)).replace('"first"', '"second"'));
  await srv.restart();
  await waitFor(() => nc.stats().reconnects === 1, "reconnect with the new token");
  assert.equal(nonces.length, 2);
  await roundTrip(nc);
  await nc.close();
});

Deno.test("auth - the same authorization error twice while reconnecting closes the connection", async () => {
  await using srv = await NatsServer.start({ config: 'authorization { token: "first" }' });
  const nc = await connect({ servers: srv.url, token: "first", reconnectTimeWait: 50, reconnectJitter: 0 });
  const events: string[] = [];
  const watching = (async () => {
    for await (const s of nc.status() as AsyncIterable<Status>) events.push(s.type);
  })();
  await Deno.writeTextFile(srv.configFile, (await Deno.readTextFile(srv.configFile)).replace('"first"', '"second"'));
  await srv.restart();
  const closedWith = await nc.closed();
  await watching;
  assert.ok(closedWith instanceof AuthorizationError, String(closedWith));
  assert.equal(events.at(-1), "close");
  assert.equal(events.filter((e) => e === "reconnecting").length, 2);
});

Deno.test("auth - operator mode: user JWT with seed, creds text, bearer JWT", async () => {
  const op = new TestOperator();
  await using srv = await operatorServer(op);
  const user = op.user("alice");
  const a = await connect({ servers: srv.url, authenticator: jwtAuthenticator(user.jwt, user.seed) });
  await roundTrip(a);
  await a.close();

  const creds = formatCreds(user.jwt, user.seed);
  const b = await connect({ servers: srv.url, authenticator: credsAuthenticator(creds) });
  await roundTrip(b);
  await b.close();
  const c = await connect({
    servers: srv.url,
    authenticator: credsAuthenticator(async () => await Promise.resolve(new TextEncoder().encode(creds))),
  });
  await roundTrip(c);
  await c.close();

  const bearer = op.user("bearer", { bearer: true });
  const d = await connect({ servers: srv.url, authenticator: jwtAuthenticator(() => bearer.jwt) });
  await roundTrip(d);
  await d.close();

  await rejectsAuth(connect({ servers: srv.url, authenticator: jwtAuthenticator(user.jwt) }));
  await rejectsAuth(connect({ servers: srv.url, authenticator: jwtAuthenticator(user.jwt, op.user("eve").seed) }));
  const stranger = new TestOperator().user("stranger");
  await rejectsAuth(connect({ servers: srv.url, authenticator: jwtAuthenticator(stranger.jwt, stranger.seed) }));
});

Deno.test("auth - an expired user JWT is refused, one expiring while connected ends the connection", async () => {
  const op = new TestOperator();
  await using srv = await operatorServer(op);
  const old = op.user("old", { exp: Math.floor(Date.now() / 1000) - 60 });
  await rejectsAuth(connect({ servers: srv.url, authenticator: jwtAuthenticator(old.jwt, old.seed) }));

  const soon = op.user("soon", { exp: Math.floor(Date.now() / 1000) + 2 });
  const nc = await connect({
    servers: srv.url,
    reconnect: false,
    authenticator: jwtAuthenticator(soon.jwt, soon.seed),
  });
  const errors: Error[] = [];
  const watching = (async () => {
    for await (const s of nc.status() as AsyncIterable<Status>) if (s.type === "error") errors.push(s.error);
  })();
  await roundTrip(nc);
  const closedWith = await nc.closed();
  await watching;
  assert.ok(closedWith instanceof UserAuthenticationExpiredError, String(closedWith));
  assert.ok(errors.some((e) => e instanceof UserAuthenticationExpiredError));
});

Deno.test("auth - permission violations report operation and subject; a denied subscription ends", async () => {
  await using srv = await NatsServer.start({
    config: `authorization { users: [ { user: "limited", password: "pw", permissions: {
      publish: { allow: ["allowed.>"] }, subscribe: { allow: ["allowed.>", "_INBOX.>"] } } } ] }`,
  });
  const nc = await connect({ servers: srv.url, user: "limited", pass: "pw" });
  const errors: PermissionViolationError[] = [];
  const got = Promise.withResolvers<void>();
  (async () => {
    for await (const s of nc.status()) {
      if (s.type === "error" && s.error instanceof PermissionViolationError) {
        errors.push(s.error);
        if (errors.length === 2) got.resolve();
      }
    }
  })();
  const denied = nc.subscribe("secret.>");
  nc.publish("secret.x", "nope");
  await got.promise;
  const sub = errors.find((e) => e.operation === "subscription");
  const pub = errors.find((e) => e.operation === "publish");
  assert.equal(sub?.subject, "secret.>");
  assert.equal(pub?.subject, "secret.x");
  const ended = await denied.closed;
  assert.ok(ended instanceof PermissionViolationError);
  assert.equal(ended.subject, "secret.>");
  await roundTrip(nc, "allowed.ok");
  await nc.close();
});

Deno.test("auth - creds parsing is tolerant and rejects malformed text", () => {
  const u = createUser();
  const seed = new TextDecoder().decode(u.getSeed());
  const jwt = "eyJhbGciOiJlZDI1NTE5LW5rZXkifQ.eyJzdWIiOiJVIn0.c2ln";
  assert.deepEqual(parseCreds(formatCreds(jwt, seed)), { jwt, seed });
  const crlf = `---BEGIN NATS USER JWT---\r\n\r\n  ${jwt}  \r\n---END NATS USER JWT---\r\n` +
    `--- BEGIN USER NKEY SEED ---\r\n${seed}\r\n--- END USER NKEY SEED ---\r\n`;
  assert.deepEqual(parseCreds(crlf), { jwt, seed });
  assert.deepEqual(parseCreds(`-----BEGIN NATS USER JWT-----\n${jwt}\n------END NATS USER JWT------\n`), { jwt });
  const bad = [
    "",
    "just text",
    `-----BEGIN NATS USER JWT-----\n${jwt}\n`,
    `-----BEGIN NATS USER JWT-----\nnot-a-jwt\n------END NATS USER JWT------\n`,
    formatCreds(jwt, "SAXXXX"),
  ];
  for (const text of bad) assert.throws(() => parseCreds(text), InvalidArgumentError, JSON.stringify(text));
  assert.throws(() => credsAuthenticator("nothing here"), InvalidArgumentError);
});

Deno.test("auth - readCredsFile reads and checks a creds file", async () => {
  const op = new TestOperator();
  const user = op.user("file");
  const dir = await Deno.makeTempDir({ prefix: "natsw-creds-" });
  try {
    await Deno.writeTextFile(`${dir}/user.creds`, formatCreds(user.jwt, user.seed));
    assert.deepEqual(parseCreds(await readCredsFile(`${dir}/user.creds`)), { jwt: user.jwt, seed: user.seed });
    await assert.rejects(readCredsFile(`${dir}/missing.creds`), InvalidArgumentError);
    await Deno.writeTextFile(`${dir}/bad.creds`, "garbage");
    await assert.rejects(readCredsFile(`${dir}/bad.creds`), InvalidArgumentError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("auth - a client script needs only --allow-net for its server", async () => {
  const user = createUser();
  await using srv = await NatsServer.start({ config: `authorization { users: [ { nkey: ${user.getPublicKey()} } ] }` });
  const script = `
    import { connect } from "${repoUrl("mod.ts")}";
    import { nkeyAuthenticator } from "${repoUrl("src/auth/authenticators.ts")}";
    import { readCredsFile } from "${repoUrl("src/auth/creds_file.ts")}";
    const nc = await connect({ servers: "127.0.0.1:${srv.port}", authenticator: nkeyAuthenticator(Deno.args[0]) });
    const sub = nc.subscribe("perm.check");
    nc.publish("perm.check", "OK");
    for await (const m of sub) { console.log(m.string()); break; }
    await nc.close();
    await readCredsFile("user.creds").catch((err) => console.log(err.name, err.cause?.name));
  `;
  const res = await runScript(script, [`--allow-net=127.0.0.1:${srv.port}`], [
    new TextDecoder().decode(user.getSeed()),
  ]);
  assert.equal(res.code, 0, res.stderr);
  assert.deepEqual(res.stdout.trim().split("\n"), ["OK", "InvalidArgumentError NotCapable"]);
});
