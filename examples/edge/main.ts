/**
 * An edge function (Deno Deploy style): one NATS connection per isolate, made on the first
 * request and kept; HTTP requests are answered with `nc.request()` and KV reads. The connection
 * reconnects by itself, so the function survives a server restart.
 *
 *   deno serve --allow-net=127.0.0.1 --host 127.0.0.1 --port 8000 examples/edge/main.ts nats://127.0.0.1:4222
 *
 * `GET /time` asks `edge.time` (someone must answer it); `GET /kv/<key>` reads `<key>` from the
 * KV bucket `edge`. `handler` also works with `Deno.serve(handler)`.
 * @module
 */
import { connect, type NatsConnection } from "@natsw/natsw";
import { type KV, Kvm } from "@natsw/natsw/kv";

const servers = Deno.args[0] ?? "nats://127.0.0.1:4222";

let conn: Promise<NatsConnection> | undefined;
let bucket: Promise<KV> | undefined;

/** The isolate's connection, made once; made again only if it was closed for good. */
function nats(): Promise<NatsConnection> {
  conn ??= connect({ servers, name: "edge", maxReconnectAttempts: -1, reconnectTimeWait: 250 }).then(
    (nc) => {
      nc.closed().then(() => conn = bucket = undefined);
      return nc;
    },
    (err) => {
      conn = undefined;
      throw err;
    },
  );
  return conn;
}

/** The KV bucket `edge`, opened once per connection (again after a failed open). */
function kv(nc: NatsConnection): Promise<KV> {
  bucket ??= new Kvm(nc).open("edge").catch((err) => {
    bucket = undefined;
    throw err;
  });
  return bucket;
}

const json = (body: unknown, status = 200) => Response.json(body, { status });

/** Answers `GET /time` and `GET /kv/<key>`; 503 while NATS cannot answer. */
export async function handler(req: Request): Promise<Response> {
  const path = new URL(req.url).pathname;
  try {
    const nc = await nats();
    if (path === "/time") return json({ time: (await nc.request("edge.time", "", { timeout: 1000 })).string() });
    if (path.startsWith("/kv/")) {
      const entry = await (await kv(nc)).get(decodeURIComponent(path.slice(4)));
      return entry ? json({ value: entry.string(), revision: entry.revision }) : json({ error: "no such key" }, 404);
    }
    return json({ error: "not found" }, 404);
  } catch (err) {
    return json({ error: String((err as Error)?.message ?? err) }, 503);
  }
}

export default { fetch: handler } satisfies Deno.ServeDefaultExport;
