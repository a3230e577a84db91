/**
 * The Node {@link Host} of the testing kit (the npm build's default; Deno can use it too).
 * @module
 */
import { distinctPort } from "./ports.ts";
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { access, constants, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { connect as tcpConnect, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Host, HostListener, HostProcess, HostSocket, RunResult } from "./host.ts";

/** Pull-style reads over a Node socket: chunks queue up (the socket pauses while one waits unread). */
function socket(s: Socket): HostSocket {
  const chunks: Uint8Array[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  s.on("data", (c: Uint8Array) => {
    chunks.push(c);
    s.pause();
    notify();
  });
  s.on("end", () => (ended = true, notify()));
  s.on("close", () => (ended = true, notify()));
  s.on("error", () => (ended = true, notify()));
  return {
    async read(buf) {
      while (!chunks.length && !ended) await new Promise<void>((r) => wake = r);
      const c = chunks.shift();
      if (!c) return null;
      const n = Math.min(c.length, buf.length);
      buf.set(c.subarray(0, n));
      if (n < c.length) chunks.unshift(c.subarray(n));
      if (!chunks.length) s.resume();
      return n;
    },
    write: (data) => new Promise<void>((resolve, reject) => s.write(data, (err) => err ? reject(err) : resolve())),
    close: () => s.destroy(),
  };
}

function listener(server: Server): HostListener {
  const waiting: ((s: HostSocket | null) => void)[] = [];
  const ready: HostSocket[] = [];
  let closed = false;
  server.on("connection", (s) => {
    const hs = socket(s);
    const w = waiting.shift();
    if (w) w(hs);
    else ready.push(hs);
  });
  return {
    port: (server.address() as { port: number }).port,
    accept: () => {
      const s = ready.shift();
      if (s || closed) return Promise.resolve(s ?? null);
      return new Promise((r) => waiting.push(r));
    },
    close() {
      if (closed) return;
      closed = true;
      server.close();
      for (const s of ready.splice(0)) s.close();
      for (const w of waiting.splice(0)) w(null);
    },
  };
}

async function listen(port: number): Promise<Server> {
  const server = createServer({ pauseOnConnect: false });
  server.listen(port, "127.0.0.1");
  await once(server, "listening");
  return server;
}

/** Processes, files and sockets through Node's built-in modules. */
export const nodeHost: Host = {
  env: (name) => process.env[name],
  cwd: () => process.cwd(),
  async isExecutable(path) {
    try {
      await access(path, constants.X_OK);
      return (await stat(path)).isFile();
    } catch {
      return false;
    }
  },
  makeTempDir: (prefix) => mkdtemp(join(tmpdir(), prefix)),
  readTextFile: (path) => readFile(path, "utf8"),
  writeTextFile: (path, text) => writeFile(path, text),
  remove: (path) => rm(path, { recursive: true, force: true }),
  spawn(bin, args): HostProcess {
    const child = spawn(bin, args, { stdio: "ignore" });
    const exited = new Promise<void>((r) => {
      child.once("exit", () => r());
      child.once("error", () => r());
    });
    return {
      pid: child.pid ?? -1,
      exited,
      signal(sig) {
        // process.kill, not child.kill: some runtimes send only the first signal through child.kill
        if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
        try {
          process.kill(child.pid, sig);
        } catch {
          // exited meanwhile
        }
      },
    };
  },
  run: (bin, args, cwd) =>
    new Promise<RunResult>((resolve) => {
      execFile(bin, args, { cwd, encoding: "utf8" }, (err, stdout, stderr) => {
        resolve({ success: !err, stdout: String(stdout), stderr: String(stderr || (err?.message ?? "")) });
      });
    }),
  freePort: () =>
    distinctPort(async () => {
      const server = await listen(0);
      const { port } = server.address() as { port: number };
      server.close();
      await once(server, "close");
      return port;
    }),
  listen: async (port) => listener(await listen(port)),
  async connect(port) {
    const s = tcpConnect({ host: "127.0.0.1", port });
    await once(s, "connect");
    return socket(s);
  },
};
