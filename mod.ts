/**
 * A fast NATS client for Deno: the protocol parser runs in WebAssembly over the socket's read
 * memory, and the client follows the official JavaScript client's names.
 *
 * @example
 * ```ts ignore
 * import { connect } from "@natsw/natsw";
 * const nc = await connect({ servers: "127.0.0.1:4222" });
 * const sub = nc.subscribe("greet.*");
 * (async () => {
 *   for await (const m of sub) m.respond(`hello ${m.subject.split(".")[1]}`);
 * })();
 * const reply = await nc.request("greet.joe");
 * console.log(reply.string());
 * await nc.drain();
 * ```
 *
 * @module
 */
import type { NatsConnection } from "./src/nats.ts";
import { connectWithContext, loadContextWith, type NatsContext } from "./src/context.ts";
import { denoContextFiles } from "./src/runtime/deno_context_files.ts";
import type { ConnectionOptions } from "./src/options.ts";
import { denoDial } from "./src/transport/deno_tcp.ts";
import { denoWsDial } from "./src/transport/deno_websocket.ts";
import type { DialTarget, Transport } from "./src/transport/transport.ts";

/** Picks the transport for a server URL: WebSocket for ws:// and wss://, TCP (and TLS) otherwise. */
function dial(target: DialTarget): Promise<Transport> {
  return target.scheme === "ws" || target.scheme === "wss" ? denoWsDial(target) : denoDial(target);
}

/**
 * Connects to a NATS server with Deno's networking: TCP (and TLS) for `nats://` and `tls://`
 * URLs, WebSocket for `ws://` and `wss://`.
 *
 * @example
 * ```ts ignore
 * const nc = await connect({ servers: ["nats://127.0.0.1:4222"], name: "worker" });
 * console.log(nc.info?.server_name);
 * await nc.close();
 * ```
 */
export function connect(options: ConnectionOptions = {}): Promise<NatsConnection> {
  return connectWithContext(options, denoContextFiles, dial);
}

/**
 * Loads a `nats` CLI context (`name`; none: the selected one; an absolute path: that file) with
 * Deno's file access: connection options and JetStream settings. `connect({ context: name })`
 * does the same and connects. Throws `InvalidArgumentError` naming the file, never its secrets.
 *
 * @example
 * ```ts ignore
 * const ctx = await loadContext("prod");
 * const nc = await connect(ctx.options);
 * const js = jetstream(nc, ctx.jetstream);
 * ```
 */
export function loadContext(name?: string): Promise<NatsContext> {
  return loadContextWith(denoContextFiles, name);
}

export * from "./src/core.ts";
export { readCredsFile } from "./src/auth/creds_file.ts";
export { denoWsDial } from "./src/transport/deno_websocket.ts";
export { denoDial } from "./src/transport/deno_tcp.ts";
