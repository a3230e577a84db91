// natsw in a browser page: connects over WebSocket to the server named by ?ws= (default
// ws://127.0.0.1:8080; the server needs `websocket { listen: 127.0.0.1:8080, no_tls: true }`), then
// chats with itself, asks a question and keeps a counter in KV (needs JetStream).
// Bundle it for the page with any bundler, e.g.
//   npm install natsw && npx esbuild app.js --bundle --format=esm --outfile=bundle.js
// With ?report=1 (as the CI test loads it) the outcome is also POSTed to /result.
const { connect } = await import("natsw");
const { Kvm } = await import("natsw/kv");

const params = new URL(location.href).searchParams;
const log = document.getElementById("log");
const lines = [];
const say = (line) => {
  lines.push(line);
  log.textContent = lines.join("\n");
};

async function main() {
  const nc = await connect({ servers: params.get("ws") ?? "ws://127.0.0.1:8080", name: "browser-example" });
  try {
    say(`connected to ${nc.getServer()}`);
    const sub = nc.subscribe("page.chat", { max: 1 });
    nc.publish("page.chat", "hello from the page");
    for await (const m of sub) say(`chat: ${m.string()}`);

    nc.subscribe("page.ask", { callback: (_err, m) => m.respond(`you asked: ${m.string()}`) });
    say(`request: ${(await nc.request("page.ask", "anyone there?")).string()}`);

    const kv = await new Kvm(nc).create("page");
    const visits = Number((await kv.get("visits"))?.string() ?? "0") + 1;
    await kv.put("visits", String(visits));
    say(`kv: visits = ${(await kv.get("visits"))?.string()}`);
  } finally {
    await nc.close();
  }
  return { ok: true, lines };
}

main().then(
  (r) => r,
  (err) => (say(`error: ${err}`), { ok: false, error: String(err?.stack ?? err), lines }),
).then((r) => {
  if (params.get("report")) return fetch("/result", { method: "POST", body: JSON.stringify(r) });
});
