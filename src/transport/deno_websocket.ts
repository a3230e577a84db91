/**
 * WebSocket transport for Deno with per-connection TLS settings: for `wss://` with custom CA
 * certificates or a client certificate, the socket gets its own `Deno.createHttpClient`
 * (`new WebSocket(url, { client })`), so no `--cert` flag or `DENO_CERT` is needed.
 *
 * @module
 */
import type { DialTarget, Transport } from "./transport.ts";
import { wsDialer, type WsSocket } from "./websocket.ts";

function denoSocket(url: string, target: DialTarget): WsSocket {
  const tls = target.tls;
  if (!url.startsWith("wss:") || !(tls?.caCerts?.length || tls?.cert || tls?.key)) {
    return { socket: new WebSocket(url) };
  }
  const client = Deno.createHttpClient({ caCerts: tls.caCerts, cert: tls.cert, key: tls.key });
  try {
    return { socket: new WebSocket(url, { client }), dispose: () => client.close() };
  } catch (err) {
    client.close();
    throw err;
  }
}

const dial = wsDialer(denoSocket);

/**
 * Dials a server's WebSocket port on Deno; `tls.caCerts`, `tls.cert` and `tls.key` apply to
 * `wss://` connections.
 *
 * @example
 * ```ts ignore
 * const nc = await NatsConnection.connect(
 *   { servers: "wss://nats.example.com:443", tls: { caCerts: [caPem] } },
 *   denoWsDial,
 * );
 * ```
 */
export function denoWsDial(target: DialTarget): Promise<Transport> {
  return dial(target);
}
