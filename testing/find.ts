/**
 * Finding the nats-server binary ($NATS_SERVER_BIN, then PATH, then the `.cache/nats-server/`
 * folder that `scripts/ensure_nats_server.sh` fills) and checking its version.
 * @module
 */
import type { Host } from "./host.ts";

/**
 * Thrown when no nats-server binary is found; the message says how to install one.
 *
 * @example
 * ```ts
 * import { NatsServer, ServerNotFoundError } from "@natsw/natsw/testing";
 * const err = await NatsServer.start().catch((e) => e);
 * if (err instanceof ServerNotFoundError) console.error(err.message, err.searched);
 * ```
 */
export class ServerNotFoundError extends Error {
  /** Every place that was looked at. */
  readonly searched: string[];
  /** An error naming the places in `searched`. */
  constructor(searched: string[]) {
    super(
      "nats-server not found (looked at " + searched.join(", ") + "). Install nats-server >= 2.10 " +
        "(https://docs.nats.io/running-a-nats-service/introduction/installation, e.g. " +
        "`go install github.com/nats-io/nats-server/v2@latest`) and put it on PATH or set NATS_SERVER_BIN; " +
        "in the natsw repository, run `scripts/ensure_nats_server.sh`.",
    );
    this.name = "ServerNotFoundError";
    this.searched = searched;
  }
}

/**
 * Thrown by `requireServer()` when the server is older (or newer) than a test needs.
 *
 * @example
 * ```ts
 * import { requireServer, ServerVersionError } from "@natsw/natsw/testing";
 * const err = await requireServer(">=99").catch((e) => e);
 * if (err instanceof ServerVersionError) console.error(`needs ${err.required}, found ${err.found}`);
 * ```
 */
export class ServerVersionError extends Error {
  /** The requirement, e.g. ">=2.11". */
  readonly required: string;
  /** The version found, e.g. "2.10.4". */
  readonly found: string;
  /** An error naming the requirement, the version found and the binary. */
  constructor(required: string, found: string, bin: string) {
    super(`this test needs nats-server ${required}, but ${bin} is ${found}`);
    this.name = "ServerVersionError";
    this.required = required;
    this.found = found;
  }
}

const CACHE_SUITES = ["sid", "trixie"];

/** Parent folders of `dir`, itself first. */
function ancestors(dir: string): string[] {
  const out: string[] = [];
  let d = dir.replace(/\/+$/, "") || "/";
  for (let i = 0; i < 64; i++) {
    out.push(d);
    const up = d.slice(0, d.lastIndexOf("/")) || "/";
    if (up === d) break;
    d = up;
  }
  return out;
}

/**
 * The path of a nats-server binary: `$NATS_SERVER_BIN`, then `nats-server` on `PATH`, then
 * `.cache/nats-server/<suite>/usr/sbin/nats-server` in the working folder or a parent.
 * Throws {@link ServerNotFoundError} when there is none.
 */
export async function findServerWith(host: Host): Promise<string> {
  const searched: string[] = [];
  const fromEnv = host.env("NATS_SERVER_BIN");
  if (fromEnv) {
    if (await host.isExecutable(fromEnv)) return fromEnv;
    searched.push(`NATS_SERVER_BIN=${fromEnv}`);
  } else searched.push("$NATS_SERVER_BIN (unset)");
  for (const dir of (host.env("PATH") ?? "").split(":").filter(Boolean)) {
    if (await host.isExecutable(`${dir}/nats-server`)) return `${dir}/nats-server`;
  }
  searched.push("PATH");
  for (const dir of ancestors(host.cwd())) {
    for (const suite of CACHE_SUITES) {
      const p = `${dir}/.cache/nats-server/${suite}/usr/sbin/nats-server`;
      if (await host.isExecutable(p)) return p;
    }
  }
  searched.push(".cache/nats-server/ in the working folder and its parents");
  throw new ServerNotFoundError(searched);
}

/** The version of the server at `bin`, e.g. "2.15.1". */
export async function serverVersionWith(host: Host, bin: string): Promise<string> {
  const out = await host.run(bin, ["--version"]);
  const m = /v?(\d+\.\d+\.\d+\S*)/.exec(out.stdout + out.stderr);
  if (!out.success || !m) throw new Error(`cannot tell the version of ${bin}: ${out.stdout}${out.stderr}`);
  return m[1];
}

function compare(a: string, b: string): number {
  const pa = a.split(/[.-]/).slice(0, 3).map(Number);
  const pb = b.split(/[.-]/).slice(0, 3).map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] || 0) - (pb[i] || 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * True when `version` meets `requirement` (`>=2.11`, `>2.10.4`, `<=2.12`, `<3`, `=2.11.1`).
 *
 * @example
 * ```ts
 * import { satisfies } from "@natsw/natsw/testing";
 * satisfies("2.11.3", ">=2.11"); // true
 * ```
 */
export function satisfies(version: string, requirement: string): boolean {
  const m = /^\s*(>=|<=|>|<|=)?\s*v?(\d+(?:\.\d+){0,2})\s*$/.exec(requirement);
  if (!m) throw new TypeError(`bad version requirement '${requirement}' (use e.g. ">=2.11")`);
  const c = compare(version, m[2]);
  switch (m[1] ?? ">=") {
    case ">=":
      return c >= 0;
    case "<=":
      return c <= 0;
    case ">":
      return c > 0;
    case "<":
      return c < 0;
    default:
      return c === 0;
  }
}

/**
 * Resolves to the found server's version when it meets `requirement`; otherwise rejects with a
 * {@link ServerVersionError} naming both (a test that needs a newer server fails, it is not skipped).
 */
export async function requireServerWith(host: Host, requirement: string, bin?: string): Promise<string> {
  const path = bin ?? await findServerWith(host);
  const version = await serverVersionWith(host, path);
  if (!satisfies(version, requirement)) throw new ServerVersionError(requirement, version, path);
  return version;
}
