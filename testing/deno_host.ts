/**
 * The Deno {@link Host} of the testing kit.
 * @module
 */
import type { Host, HostListener, HostProcess, HostSocket, RunResult } from "./host.ts";
import { distinctPort } from "./ports.ts";

/** A TCP port on 127.0.0.1 that was free a moment ago (bound, then released; synchronous). */
export function freePortSync(): number {
  return distinctPort(() => {
    const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (l.addr as Deno.NetAddr).port;
    l.close();
    return port;
  });
}

function socket(conn: Deno.TcpConn): HostSocket {
  let closed = false;
  return {
    read: (buf) => conn.read(buf),
    async write(data) {
      let off = 0;
      while (off < data.length) off += await conn.write(data.subarray(off));
    },
    close() {
      if (closed) return;
      closed = true;
      try {
        conn.close();
      } catch {
        // already closed by the peer
      }
    },
  };
}

function listener(l: Deno.TcpListener): HostListener {
  let closed = false;
  return {
    port: l.addr.port,
    async accept() {
      try {
        return socket(await l.accept());
      } catch (err) {
        if (closed) return null;
        throw err;
      }
    },
    close() {
      if (closed) return;
      closed = true;
      l.close();
    },
  };
}

function process(child: Deno.ChildProcess): HostProcess {
  let done = false;
  const exited = child.status.then(() => {
    done = true;
  });
  return {
    pid: child.pid,
    exited,
    signal(sig) {
      if (done) return;
      try {
        child.kill(sig);
      } catch {
        // exited meanwhile
      }
    },
  };
}

/** Processes, files and sockets through the Deno namespace. */
export const denoHost: Host = {
  env: (name) => Deno.env.get(name),
  cwd: () => Deno.cwd(),
  async isExecutable(path) {
    try {
      const st = await Deno.stat(path);
      return st.isFile && ((st.mode ?? 0o111) & 0o111) !== 0;
    } catch {
      return false;
    }
  },
  makeTempDir: (prefix) => Deno.makeTempDir({ prefix }),
  readTextFile: (path) => Deno.readTextFile(path),
  writeTextFile: (path, text) => Deno.writeTextFile(path, text),
  remove: (path) => Deno.remove(path, { recursive: true }).catch(() => {}),
  spawn: (bin, args) => process(new Deno.Command(bin, { args, stdin: "null", stdout: "null", stderr: "null" }).spawn()),
  async run(bin, args, cwd): Promise<RunResult> {
    const out = await new Deno.Command(bin, { args, cwd, stdin: "null", stdout: "piped", stderr: "piped" }).output();
    const text = new TextDecoder();
    return { success: out.success, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
  },
  freePort: () => Promise.resolve(freePortSync()),
  listen: (port) => Promise.resolve(listener(Deno.listen({ hostname: "127.0.0.1", port }))),
  connect: async (port) => socket(await Deno.connect({ hostname: "127.0.0.1", port })),
};
