/**
 * `nats` CLI contexts: each kind of credential, TLS files, the inbox prefix and the JetStream
 * domain reach a real server as the CLI would send them; explicit options win; bad contexts are
 * typed errors that name the file and never its secrets; only the asked-for paths and variables
 * need permissions.
 */
import assert from "node:assert/strict";
import { createUser } from "@nats-io/nkeys";
import { connect, InvalidArgumentError, loadContext } from "../mod.ts";
import { jetstream, jetstreamManager } from "../jetstream/mod.ts";
import { NatsServer } from "./helpers/server.ts";
import { certFiles } from "./helpers/certs.ts";
import { repoUrl, runScript } from "./helpers/script.ts";

/** A config folder holding `nats/context/<name>.json` for each entry, and the selected one. */
async function contextDir(contexts: Record<string, unknown>, selected?: string) {
  const dir = await Deno.makeTempDir({ prefix: "natsw-ctx-" });
  await Deno.mkdir(`${dir}/nats/context`, { recursive: true });
  for (const [name, body] of Object.entries(contexts)) {
    await Deno.writeTextFile(
      `${dir}/nats/context/${name}.json`,
      typeof body === "string" ? body : JSON.stringify(body),
    );
  }
  if (selected) await Deno.writeTextFile(`${dir}/nats/context.txt`, `${selected}\n`);
  return {
    dir,
    path: (name: string) => `${dir}/nats/context/${name}.json`,
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

Deno.test("context - user/password, inbox prefix and JetStream domain from a context file", async () => {
  await using srv = await NatsServer.start({
    jetstream: true,
    config: `jetstream { domain: hub }\nauthorization { user: "ctx", password: "ctx-s3cret" }`,
  });
  await using ctx = await contextDir({
    dev: { url: srv.url, user: "ctx", password: "ctx-s3cret", inbox_prefix: "_CTX", jetstream_domain: "hub" },
  });
  const loaded = await loadContext(ctx.path("dev"));
  assert.equal(loaded.name, "dev");
  assert.deepEqual(loaded.jetstream, { domain: "hub" });
  await using nc = await connect({ context: ctx.path("dev") });
  assert.equal(nc.options.inboxPrefix, "_CTX");
  nc.subscribe("ctx.echo", { callback: (_e, m) => m.respond(m.reply ?? "") });
  assert.match((await nc.request("ctx.echo")).string(), /^_CTX\./);
  // jetstream(nc) picks up the context's domain: the API answers on $JS.hub.API
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "CTX", subjects: ["ctx.js"], storage: "memory" });
  const ack = await jetstream(nc).publish("ctx.js", "x");
  assert.equal(ack.stream, "CTX");
  assert.equal(ack.domain, "hub");
});

Deno.test("context - an nkey seed file and a CA file (TLS)", async () => {
  await using certs = await certFiles();
  const user = createUser();
  const seedFile = await Deno.makeTempFile({ prefix: "natsw-ctx-seed-" });
  try {
    await Deno.writeTextFile(seedFile, `# my seed\n${new TextDecoder().decode(user.getSeed())}\n`);
    await using srv = await NatsServer.start({
      config: `authorization { users: [ { nkey: "${user.getPublicKey()}" } ] }\n` +
        `tls { cert_file: "${certs.path("serverCert")}"\n key_file: "${certs.path("serverKey")}" }`,
    });
    await using ctx = await contextDir({
      nk: { url: `tls://localhost:${srv.port}`, nkey: seedFile, ca: certs.path("ca") },
    });
    await using nc = await connect({ context: ctx.path("nk") });
    assert.equal(nc.info?.tls_required, true);
    await nc.flush();
  } finally {
    await Deno.remove(seedFile);
  }
});

Deno.test("context - explicit options win over the context", async () => {
  await using srv = await NatsServer.start();
  await using ctx = await contextDir({ dev: { url: "nats://127.0.0.1:1", inbox_prefix: "_CTX" } });
  await using nc = await connect({ context: ctx.path("dev"), servers: srv.url, inboxPrefix: "_MINE" });
  assert.equal(nc.options.inboxPrefix, "_MINE");
  await nc.flush();
});

Deno.test("context - bad contexts are InvalidArgumentErrors that name the file, never its secrets", async () => {
  await using ctx = await contextDir({
    broken: '{"url": "nats://x", "password": "leaky-s3cret", ',
    nsc: { nsc: "nsc://op/acc/user" },
    wrongtype: { url: 5, password: "leaky-s3cret" },
    badcreds: { creds: "/nonexistent/user.creds", password: "leaky-s3cret" },
  });
  for (
    const [name, want] of [
      ["broken", /not valid JSON/],
      ["nsc", /nsc lookups are not supported/],
      ["wrongtype", /'url' must be a string/],
      ["badcreds", /cannot read its creds file/],
      ["missing", /unknown context 'missing'/],
    ] as const
  ) {
    const err = await loadContext(ctx.path(name)).then(() => undefined, (e) => e);
    assert.ok(err instanceof InvalidArgumentError, `${name}: ${err}`);
    assert.match(err.message, want);
    if (name !== "missing") assert.ok(err.message.includes(name), `${name}: the message names the context`);
    const all = `${err.message} ${err.cause instanceof Error ? err.cause.message : ""}`;
    assert.ok(!all.includes("leaky-s3cret"), `${name} leaks: ${all}`);
  }
  await assert.rejects(loadContext("../etc"), /invalid context name/);
});

Deno.test("context - the selected context, read with only the permissions it needs", async () => {
  await using srv = await NatsServer.start();
  await using ctx = await contextDir({ picked: { url: srv.url, inbox_prefix: "_PICKED" } }, "picked");
  const script = `
    import { connect } from "${repoUrl("mod.ts")}";
    const nc = await connect({ context: "" });
    console.log(nc.options.inboxPrefix);
    await nc.close();
  `;
  const ok = await runScript(
    script,
    [
      `--allow-net=127.0.0.1:${srv.port}`,
      `--allow-read=${ctx.dir}`,
      "--allow-env=XDG_CONFIG_HOME,HOME,USERPROFILE",
    ],
    [],
    { XDG_CONFIG_HOME: ctx.dir },
  );
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout.trim(), "_PICKED");
  const noEnv = await runScript(script, [`--allow-net=127.0.0.1:${srv.port}`, `--allow-read=${ctx.dir}`], [], {
    XDG_CONFIG_HOME: ctx.dir,
  });
  assert.notEqual(noEnv.code, 0);
  assert.match(noEnv.stderr, /needs --allow-env=XDG_CONFIG_HOME/);
});
