/**
 * The client for browsers and edge runtimes (Deno Deploy, Cloudflare Workers, any runtime with
 * the standard `WebSocket`): `connect()` speaks NATS over WebSocket (`ws://`, `wss://`; the
 * server needs a `websocket` block). Nothing here touches `Deno` or `node:`.
 *
 * @example
 * ```ts ignore
 * import { connect } from "natsw/browser";
 * const nc = await connect({ servers: "wss://nats.example.com:8443" });
 * const reply = await nc.request("time");
 * console.log(reply.string());
 * await nc.close();
 * ```
 *
 * @module
 */
import { NatsConnection } from "../nats.ts";
import type { ConnectionOptions } from "../options.ts";
import { wsDial } from "../transport/websocket.ts";

export * from "../core.ts";

/**
 * Connects to a NATS server over WebSocket with the standard `WebSocket`. Server URLs without a
 * scheme, and `nats://`/`tls://` URLs, are dialed as WebSocket too (`wss` for `tls`), since a
 * browser has no raw TCP.
 *
 * @example
 * ```ts ignore
 * const nc = await connect({ servers: ["wss://a.example.com:8443", "wss://b.example.com:8443"] });
 * nc.publish("hello", "world");
 * await nc.drain();
 * ```
 */
export function connect(options: ConnectionOptions = {}): Promise<NatsConnection> {
  return NatsConnection.connect(options, wsDial);
}
