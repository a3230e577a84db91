// Serves the browser test page from a folder on 127.0.0.1, starts headless Chromium on it, and
// waits for the page to POST its outcome to /result. Prints the outcome; exits 0 only when the
// page reported { ok: true }.
// Usage: node serve.mjs <folder> <chromium> <ws-url> [timeout-ms] [page (default index.html)] [expect-line]
// With expect-line, the page must also have reported that line among its `lines`.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";

const [dir, chromium, wsUrl, timeoutArg, pagePath = "index.html", expectLine] = process.argv.slice(2);
const timeoutMs = Number(timeoutArg ?? 60_000);
const types = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".map": "application/json",
};
const { promise: outcome, resolve } = (() => {
  let resolve;
  const promise = new Promise((r) => resolve = r);
  return { promise, resolve };
})();

const server = createServer((req, res) => {
  if (req.method === "POST" && req.url === "/result") {
    let body = "";
    req.on("data", (c) => body += c);
    req.on("end", () => {
      res.end("ok");
      resolve(body);
    });
    return;
  }
  const path = normalize(new URL(req.url, "http://x").pathname).replace(/^\/+/, "") ||
    "index.html";
  try {
    const data = readFileSync(join(dir, path));
    res.writeHead(200, {
      "content-type": types[extname(path)] ?? "application/octet-stream",
    });
    res.end(data);
  } catch {
    res.writeHead(404).end();
  }
});
server.listen(0, "127.0.0.1");
await once(server, "listening");
const page = `http://127.0.0.1:${server.address().port}/${pagePath}?report=1&ws=${encodeURIComponent(wsUrl)}`;

const profile = mkdtempSync(join(tmpdir(), "natsw-chromium-"));
const browser = spawn(chromium, [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
  `--user-data-dir=${profile}`,
  page,
], { stdio: ["ignore", "ignore", "pipe"] });
let browserLog = "";
browser.stderr.on("data", (c) => browserLog += c);
const exited = once(browser, "exit").then(() => "chromium exited before the page reported");

let timer;
const result = await Promise.race([
  outcome,
  exited,
  new Promise((r) =>
    timer = setTimeout(
      () => r(`no result from the page within ${timeoutMs} ms`),
      timeoutMs,
    )
  ),
]);
clearTimeout(timer);
if (browser.exitCode === null && browser.signalCode === null) {
  browser.kill("SIGKILL");
  await exited;
}
server.close();
// Chromium's helper processes may still be writing to the profile for a moment after the kill.
try {
  rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
} catch (err) {
  console.error(`warning: could not remove ${profile}: ${err.message}`);
}

let parsed;
try {
  parsed = JSON.parse(result);
} catch {
  parsed = { ok: false, error: result };
}
console.log(`page result: ${JSON.stringify(parsed)}`);
if (expectLine && !parsed.lines?.includes(expectLine)) parsed.ok = false;
if (!parsed.ok) {
  console.log(
    `chromium log (tail):\n${browserLog.split("\n").slice(-20).join("\n")}`,
  );
  process.exit(1);
}
