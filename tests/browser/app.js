// Browser test page (bundled by scripts/browser_test.sh with esbuild from a scratch project that
// installed the npm tarball): connects over WebSocket to the nats-server named by ?ws=, exchanges
// messages, stores an object, and POSTs the outcome to /result on the page's own server. The package is imported
// dynamically so that `deno check tests/` does not try to resolve "natsw" (an npm install).
const { connect, headers, NoRespondersError } = await import("natsw");
const { jetstream, jetstreamManager } = await import("natsw/jetstream");
const { Objm, sha256Implementation } = await import("natsw/obj");

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

    // Browsers have no incremental native SHA-256: the object store uses the WebAssembly one.
    check(sha256Implementation() === "wasm", `hash ${sha256Implementation()}`);
    const os = await new Objm(nc).create("web");
    const blob = new Uint8Array(300_000).map((_, i) => (i * 7) % 251);
    const info = await os.putBlob({ name: "blob" }, blob);
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", blob));
    const b64 = btoa(String.fromCharCode(...digest)).replaceAll("+", "-").replaceAll("/", "_");
    check(info.digest === `SHA-256=${b64}`, `digest ${info.digest} vs ${b64}`);
    const back = await os.getBlob("blob");
    check(back?.length === blob.length && back.every((b, i) => b === blob[i]), "object bytes");
    done.push("objectstore");
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
