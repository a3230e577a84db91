/**
 * Importing the library needs no permission: every entry point loads in a `deno run --no-prompt`
 * process given no permission at all, so nothing touches a permission-gated `Deno.*` API at
 * import time (Deno Deploy, `--no-prompt` scripts and JSR consumers load it as is). Also checks
 * that the Node and browser entries export every runtime-neutral value of the Deno entry.
 */
import assert from "node:assert/strict";
import * as denoEntry from "../mod.ts";
import * as nodeEntry from "../src/runtime/node.ts";
import * as browserEntry from "../src/runtime/browser.ts";
import { repoUrl, runScript } from "./helpers/script.ts";

/** The entry points that exist in this checkout (feature folders land one by one). */
async function entries(): Promise<string[]> {
  const all = [
    "mod.ts",
    "jetstream/mod.ts",
    "kv/mod.ts",
    "obj/mod.ts",
    "service/mod.ts",
    "src/runtime/browser.ts",
    "src/runtime/node.ts",
  ];
  const found: string[] = [];
  for (const e of all) {
    try {
      await Deno.stat(new URL(repoUrl(e)));
      found.push(e);
    } catch {
      // not written yet
    }
  }
  return found;
}

Deno.test("permissions - every entry point imports with no permissions", async () => {
  const list = await entries();
  assert.ok(
    list.includes("mod.ts") && list.includes("src/runtime/node.ts") &&
      list.includes("src/runtime/browser.ts"),
  );
  const source = list.map((e, i) => `import * as m${i} from "${repoUrl(e)}";`).join("\n") +
    `\nconst counts = [${list.map((_, i) => `Object.keys(m${i}).length`).join(", ")}];` +
    `\nif (counts.some((n) => n === 0)) throw new Error("an entry exported nothing");` +
    `\nconsole.log("OK", counts.join(","));\n`;
  const r = await runScript(source, []);
  assert.equal(r.code, 0, `exit ${r.code}\n${r.stderr}`);
  assert.match(r.stdout, /^OK \d+(,\d+)*\n$/);
  assert.equal(r.stdout.trim().split(" ")[1].split(",").length, list.length);
});

Deno.test("permissions - a Deno-only API used at import time would fail the same probe", async () => {
  const r = await runScript(
    `Deno.env.get("NATS_URL");\nconsole.log("OK");\n`,
    [],
  );
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /NotCapable|Requires env access/);
});

Deno.test("entries - Node and browser entries export every runtime-neutral value of mod.ts", () => {
  // the Deno transports, and the file readers (Node has its own; a browser has no files)
  const denoOnly = new Set(["denoDial", "denoWsDial", "readCredsFile", "loadContext"]);
  const neutral = Object.keys(denoEntry).filter((k) => !denoOnly.has(k));
  const missing = (m: object) => neutral.filter((k) => !(k in m));
  assert.deepEqual(missing(nodeEntry), []);
  assert.deepEqual(missing(browserEntry), []);
  assert.equal(typeof nodeEntry.loadContext, "function");
  for (const k of neutral) {
    if (k === "connect") continue;
    assert.equal(
      (nodeEntry as Record<string, unknown>)[k],
      (denoEntry as Record<string, unknown>)[k],
      k,
    );
    assert.equal(
      (browserEntry as Record<string, unknown>)[k],
      (denoEntry as Record<string, unknown>)[k],
      k,
    );
  }
  assert.equal(typeof nodeEntry.readCredsFile, "function");
  assert.equal(typeof nodeEntry.nodeDial, "function");
  const extraBrowser = Object.keys(browserEntry).filter((k) => !(k in denoEntry));
  assert.deepEqual(extraBrowser, []);
});
