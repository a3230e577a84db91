// Browser test page (bundled by scripts/browser_test.sh with esbuild from a scratch project that
// installed the npm tarball): connects over WebSocket to the nats-server named by ?ws=, exchanges
// messages, and POSTs the outcome to /result on the page's own server. The package is imported
// dynamically so that `deno check tests/` does not try to resolve "natsw" (an npm install).
const { connect, headers, NoRespondersError } = await import("natsw");
const { jetstream, jetstreamManager } = await import("natsw/jetstream");

function check(cond, what) {
  if (!cond) throw new Error(`check failed: ${what}`);
}

async function run() {
  const servers = new URL(location.href).searchParams.get("ws");
  const nc = await connect({ servers, name: "browser" });
  const done = [];
  try {
    const sub = nc.subscribe("browser.>", { max: 3 });
    const h = headers();
    h.set("X-From", "chromium");
    for (let i = 0; i < 3; i++) {
      nc.publish(`browser.${i}`, `m${i}`, { headers: h });
    }
    const got = [];
    for await (const m of sub) {
      got.push(`${m.subject}=${m.string()}/${m.headers?.get("X-From")}`);
    }
    check(
      got.join(",") ===
        "browser.0=m0/chromium,browser.1=m1/chromium,browser.2=m2/chromium",
      got.join(","),
    );
    done.push("pubsub");

    nc.subscribe("browser.echo", {
      callback: (_e, m) => m.respond(`echo:${m.string()}`),
    });
    const big = "b".repeat(150_000);
    check(
      (await nc.request("browser.echo", "hi")).string() === "echo:hi",
      "request",
    );
    check(
      (await nc.request("browser.echo", big)).string() === `echo:${big}`,
      "large request",
    );
    const noone = await nc.request("browser.nobody", "?").catch((e) => e);
    check(noone instanceof NoRespondersError, `no responders: ${noone}`);
    done.push("request");

    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: "WEB", subjects: ["web.>"] });
    const ack = await jetstream(nc).publish("web.page", "stored");
    check(
      ack.seq === 1 && ack.stream === "WEB",
      `js ack ${JSON.stringify(ack)}`,
    );
    check(
      (await jsm.streams.getMessage("WEB", { seq: 1 }))?.string() === "stored",
      "stored message",
    );
    done.push("jetstream");
  } finally {
    await nc.close();
  }
  return { ok: true, done, userAgent: navigator.userAgent };
}

const out = document.getElementById("result");
const report = (r) => {
  out.textContent = JSON.stringify(r);
  return fetch("/result", { method: "POST", body: JSON.stringify(r) });
};
run().then(
  report,
  (err) => report({ ok: false, error: String(err?.stack ?? err) }),
);
