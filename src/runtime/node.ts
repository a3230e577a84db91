/**
 * The client for Node.js (20 and later): `connect()` dials `nats://` and `tls://` servers over
 * `node:net`/`node:tls` (TLS upgrade after INFO, TLS-first, mutual TLS), and `ws://`/`wss://`
 * servers with the global `WebSocket` (Node 22 and later; on Node 20 pass a `ws`-package socket
 * through `wsDialer`). It exports everything the Deno entry does, with a Node `readCredsFile`.
 *
 * @example
 * ```ts ignore
 * import { connect } from "natsw";
 * const nc = await connect({ servers: "127.0.0.1:4222" });
 * const sub = nc.subscribe("greet.*");
 * (async () => {
 *   for await (const m of sub) m.respond(`hello ${m.subject.split(".")[1]}`);
 * })();
 * console.log((await nc.request("greet.joe")).string());
 * await nc.drain();
 * ```
 *
 * @module
 */
import type { NatsConnection } from "../nats.ts";
import { connectWithContext, loadContextWith, type NatsContext } from "../context.ts";
import { nodeContextFiles } from "./node_context_files.ts";
import type { ConnectionOptions } from "../options.ts";
import { ConnectionError } from "../errors.ts";
import type { DialTarget, Transport } from "../transport/transport.ts";
import { wsDial } from "../transport/websocket.ts";
import { nodeDial } from "../transport/node_tcp.ts";

export * from "../core.ts";
export { nodeDial } from "../transport/node_tcp.ts";
export { readCredsFile } from "./node_creds_file.ts";

function nodeWsDial(target: DialTarget): Promise<Transport> {
  if (typeof globalThis.WebSocket !== "function") {
    return Promise.reject(
      new ConnectionError(
        `this Node.js (${globalThis.process?.version}) has no global WebSocket (Node 22 and later have one): ` +
          "install the 'ws' package and connect with " +
          "NatsConnection.connect(options, wsDialer((url) => ({ socket: new WebSocket(url) }))), " +
          "WebSocket being the 'ws' package's export",
      ),
    );
  }
  return wsDial(target);
}

/** Picks the transport for a server URL: WebSocket for ws:// and wss://, TCP (and TLS) otherwise. */
function dial(target: DialTarget): Promise<Transport> {
  return target.scheme === "ws" || target.scheme === "wss" ? nodeWsDial(target) : nodeDial(target);
}

/**
 * Connects to a NATS server with Node's networking: TCP (and TLS) for `nats://` and `tls://`
 * URLs, the global WebSocket for `ws://` and `wss://`.
 *
 * @example
 * ```ts ignore
 * const nc = await connect({
 *   servers: "tls://nats.example.com:4222",
 *   tls: { caCerts: [caPem], cert: certPem, key: keyPem },
 * });
 * console.log(nc.info?.server_name);
 * await nc.close();
 * ```
 */
export function connect(options: ConnectionOptions = {}): Promise<NatsConnection> {
  return connectWithContext(options, nodeContextFiles, dial);
}

/**
 * Loads a `nats` CLI context (`name`; none: the selected one; an absolute path: that file) with
 * Node's file access; see the Deno entry's `loadContext`.
 *
 * @example
 * ```ts ignore
 * const ctx = await loadContext("prod");
 * const nc = await connect(ctx.options);
 * ```
 */
export function loadContext(name?: string): Promise<NatsContext> {
  return loadContextWith(nodeContextFiles, name);
}
