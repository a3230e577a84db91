/**
 * A testing kit for code that uses NATS: real `nats-server` processes on 127.0.0.1 (JetStream,
 * TLS with a throwaway CA, WebSocket, auth, clusters), faults (pause/resume, kill, restart, lame
 * duck, config reload, and a TCP proxy that cuts, delays, throttles or black-holes traffic),
 * finding the server binary, version requirements, and teardown with `await using`.
 *
 * @example
 * ```ts
 * import { NatsServer } from "@natsw/natsw/testing";
 * import { connect } from "@natsw/natsw";
 *
 * Deno.test("request/reply", async () => {
 *   await using server = await NatsServer.start();
 *   const nc = await connect({ servers: server.url });
 *   nc.subscribe("echo", { callback: (_err, m) => m.respond(m.data) });
 *   const reply = await nc.request("echo", "hi");
 *   if (reply.string() !== "hi") throw new Error("bad reply");
 *   await nc.close();
 * });
 * ```
 * @module
 */
import { type CertFiles, makeCertsWith, type TestCerts, writeCertsWith } from "./certs.ts";
import { defaultHost } from "./default_host.ts";
import { findServerWith, requireServerWith, serverVersionWith } from "./find.ts";

export type { CertFiles, TestCerts } from "./certs.ts";
export type { ServerAuth, ServerUser } from "./config.ts";
export { satisfies, ServerNotFoundError, ServerVersionError } from "./find.ts";
export type { Host, HostListener, HostProcess, HostSocket, RunResult } from "./host.ts";
export { NatsServer, type ServerOptions, type ServerSignal, withServer } from "./server.ts";
export { NatsCluster } from "./cluster.ts";
export { type ProxyOptions, TcpProxy } from "./proxy.ts";

/**
 * The path of a nats-server binary: `$NATS_SERVER_BIN`, then `nats-server` on `PATH`, then the
 * `.cache/nats-server/` folder `scripts/ensure_nats_server.sh` installs into (in the working
 * folder or a parent). Rejects with {@link ServerNotFoundError}, which says how to install one.
 *
 * @example
 * ```ts
 * import { findServer } from "@natsw/natsw/testing";
 * console.log(await findServer());
 * ```
 */
export function findServer(): Promise<string> {
  return findServerWith(defaultHost);
}

/**
 * The version of the nats-server binary at `bin` (default: {@link findServer}), e.g. "2.15.1".
 *
 * @example
 * ```ts
 * import { serverVersion } from "@natsw/natsw/testing";
 * console.log(await serverVersion());
 * ```
 */
export async function serverVersion(bin?: string): Promise<string> {
  return serverVersionWith(defaultHost, bin ?? await findServerWith(defaultHost));
}

/**
 * Fails (rejects with {@link ServerVersionError}, which names the requirement and the version
 * found) unless the nats-server meets `requirement`, e.g. `">=2.11"`; resolves to its version.
 * Put it first in a test that needs newer server features: the test fails with the reason
 * instead of being skipped.
 *
 * @example
 * ```ts
 * import { requireServer } from "@natsw/natsw/testing";
 * await requireServer(">=2.11");
 * ```
 */
export function requireServer(requirement: string, bin?: string): Promise<string> {
  return requireServerWith(defaultHost, requirement, bin);
}

/**
 * A fresh set of throwaway certificates made with `openssl`: a CA, server and client
 * certificates signed by it, a wrong-host server certificate and an unrelated CA.
 *
 * @example
 * ```ts
 * import { makeCerts } from "@natsw/natsw/testing";
 * const { ca } = await makeCerts();
 * ```
 */
export function makeCerts(): Promise<TestCerts> {
  return makeCertsWith(defaultHost);
}

/**
 * Writes the certificates and keys of `pem` to a new temp folder, one `<name>.pem` file each
 * (for a server config of your own); the folder is removed on dispose.
 *
 * @example
 * ```ts
 * import { makeCerts, writeCerts } from "@natsw/natsw/testing";
 * await using files = await writeCerts(await makeCerts());
 * console.log(files.path("serverCert"), files.path("serverKey"));
 * ```
 */
export function writeCerts(pem: TestCerts): Promise<CertFiles> {
  return writeCertsWith(defaultHost, pem);
}

/**
 * A TCP port on 127.0.0.1 that was free a moment ago.
 *
 * @example
 * ```ts
 * import { freePort } from "@natsw/natsw/testing";
 * const port = await freePort();
 * ```
 */
export function freePort(): Promise<number> {
  return defaultHost.freePort();
}
