/**
 * A test peer that plays a NATS server (Deno.listen on 127.0.0.1, random port) and sends streams
 * that break the protocol. The client must end the connection with a `ProtocolError` as soon as
 * the bytes prove the stream invalid: the peer keeps its socket open and sends nothing more, so a
 * client that waited for a control line to fill up (or for a timeout) would not pass.
 */
import assert from "node:assert/strict";
import { connect, MaxPayloadExceededError, type NatsConnection, ProtocolError } from "../mod.ts";
import { parseInfo } from "../src/connection/info.ts";

const enc = new TextEncoder();
const GOOD_INFO = { server_id: "hostile", version: "2.15.1", host: "127.0.0.1", port: 4222, headers: true };

function infoLine(fields: Record<string, unknown>): string {
  return `INFO ${JSON.stringify(fields)}\r\n`;
}

/** Reads what the client sends until `marker` was seen; false when the client closed first. */
async function readUntil(conn: Deno.Conn, marker: string): Promise<boolean> {
  const buf = new Uint8Array(64 * 1024);
  const dec = new TextDecoder();
  let seen = "";
  for (let i = 0; i < 100; i++) {
    const n = await conn.read(buf).catch(() => null);
    if (n === null) return false;
    seen = (seen + dec.decode(buf.subarray(0, n))).slice(-4096);
    if (seen.includes(marker)) return true;
  }
  return false;
}

/** Reads and drops everything until the client closes its socket (bounded in reads). */
async function drainUntilClosed(conn: Deno.Conn): Promise<void> {
  const buf = new Uint8Array(64 * 1024);
  for (let i = 0; i < 10_000; i++) {
    const n = await conn.read(buf).catch(() => null);
    if (n === null) return;
  }
}

/**
 * One hostile peer for one client connection: `opening` is written as soon as the client connects;
 * with `after`, the peer then waits for CONNECT + PING, answers PONG (the handshake succeeds) and
 * writes `after`. Either way it then keeps the socket open until the client closes it.
 */
async function withPeer(
  opening: Uint8Array,
  after: Uint8Array | undefined,
  body: (port: number) => Promise<void>,
): Promise<void> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const peer = (async () => {
    const conn = await listener.accept();
    try {
      await conn.write(opening);
      if (after && await readUntil(conn, "PING\r\n")) {
        await conn.write(enc.encode("PONG\r\n"));
        await conn.write(after);
      }
      await drainUntilClosed(conn);
    } catch {
      // the client closed first
    } finally {
      conn.close();
    }
  })();
  try {
    await body(port);
  } finally {
    listener.close();
    await peer;
  }
}

/** Connects without reconnecting and with a long connect timeout (so a timeout cannot pass for a protocol error). */
function dial(port: number): Promise<NatsConnection> {
  return connect({ servers: `127.0.0.1:${port}`, reconnect: false, timeout: 20_000 });
}

/** Connecting must fail with a ProtocolError whose message matches `re`. */
async function expectConnectRejected(opening: string | Uint8Array, re: RegExp): Promise<void> {
  const bytes = typeof opening === "string" ? enc.encode(opening) : opening;
  await withPeer(bytes, undefined, async (port) => {
    await assert.rejects(dial(port), (err: unknown) => {
      const what = typeof opening === "string" ? JSON.stringify(opening).slice(0, 80) : `${opening.length} bytes`;
      assert.ok(err instanceof ProtocolError, `${what}: got ${err}`);
      assert.match(err.message, re);
      return true;
    });
  });
}

/** Resolves `p`, or fails after `ms` (a guard against a hang, far above the expected time). */
async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, guard]);
  } finally {
    clearTimeout(timer);
  }
}

/** After a good handshake the peer sends `bad`: the connection must close with a ProtocolError matching `re`. */
async function expectClosedAfterHandshake(bad: string | Uint8Array, re: RegExp, maxPayload = 1024): Promise<void> {
  const bytes = typeof bad === "string" ? enc.encode(bad) : bad;
  const opening = enc.encode(infoLine({ ...GOOD_INFO, max_payload: maxPayload }));
  await withPeer(opening, bytes, async (port) => {
    const nc = await dial(port);
    try {
      const firstError = (async () => {
        for await (const s of nc.status()) {
          if (s.type === "disconnect" || s.type === "close") return s.error;
        }
      })();
      const err = await within(nc.closed(), 5_000, "close after the bad bytes");
      assert.ok(err instanceof ProtocolError, `closed with ${err}`);
      assert.match(err.message, re);
      const reported = await within(firstError, 5_000, "a disconnect status");
      assert.ok(reported instanceof ProtocolError, `first status error is ${reported}`);
    } finally {
      await nc.close();
    }
  });
}

const NULS = new Uint8Array(4096);

Deno.test("hostile server - 4 KiB of NUL bytes as the first bytes fail connect with a ProtocolError", async () => {
  await expectConnectRejected(NULS, /unknown protocol operation/);
});

Deno.test("hostile server - 4 KiB of NUL bytes after a good handshake close the connection at once", async () => {
  await expectClosedAfterHandshake(NULS, /unknown protocol operation/);
});

Deno.test("hostile server - an op name that diverges from every valid op is an error before its line ends", async () => {
  // no CRLF follows: the old parser waited for a 1 MiB control line
  await expectClosedAfterHandshake("PUB foo 1", /unknown protocol operation near 'PUB foo 1'/);
  await expectConnectRejected("IMFO {", /unknown protocol operation/);
});

Deno.test("hostile server - INFO that is not a JSON object fails connect", async () => {
  for (const body of ["[]", "5", "null", '"x"', "true", "{}x"]) {
    await expectConnectRejected(`INFO ${body}\r\n`, /INFO is not a JSON object/);
  }
  await expectConnectRejected('INFO {"server_id": }\r\n', /INFO is not valid JSON/);
});

Deno.test("hostile server - INFO with a nonsense max_payload fails connect", async () => {
  for (const mp of [-1, 0, 1.5, "x", 1e12, 64 * 1024 * 1024 + 1, null, true, [1024]]) {
    await expectConnectRejected(
      infoLine({ ...GOOD_INFO, max_payload: mp }),
      /INFO field 'max_payload' must be an integer from 1 to 67108864/,
    );
  }
});

Deno.test("hostile server - INFO fields of the wrong type fail connect", async () => {
  const cases: [string, unknown][] = [
    ["headers", "yes"],
    ["tls_required", "false"],
    ["tls_available", 1],
    ["connect_urls", "127.0.0.1:4222"],
    ["connect_urls", [4222]],
    ["nonce", 5],
    ["ldm", "no"],
    ["server_id", 1],
    ["version", 2],
    ["port", 70000],
    ["api_lvl", -1],
  ];
  for (const [field, value] of cases) {
    await expectConnectRejected(
      infoLine({ ...GOOD_INFO, max_payload: 1024, [field]: value }),
      new RegExp(`INFO field '${field}' must be`),
    );
  }
});

Deno.test("hostile server - a MSG whose size is above max_payload is an error at its control line", async () => {
  // max_payload 1024 (+ the 64 KiB the reader allows for headers a server adds): no payload follows
  await expectClosedAfterHandshake("MSG a 1 999999\r\n", /frame larger than the allowed payload size/);
});

Deno.test("hostile server - a MSG whose size lies about its payload is an error at the missing CRLF", async () => {
  // the byte after the 3 bytes of payload is not CR: an error although no LF follows
  await expectClosedAfterHandshake("MSG a 1 3\r\nhell", /missing CRLF/);
  await expectClosedAfterHandshake("MSG a 1 3\r\nhello world\r\n", /missing CRLF/);
});

Deno.test("hostile server - an HMSG whose header size is above its total size is an error", async () => {
  await expectClosedAfterHandshake("HMSG a 1 40 12\r\n", /invalid number/);
});

Deno.test("hostile server - a sid that is not decimal is an error before the line ends", async () => {
  await expectClosedAfterHandshake("MSG a 1x", /invalid number/);
  await expectClosedAfterHandshake("MSG a 99999999999", /invalid number/);
});

Deno.test("hostile server - an INFO without max_payload means the protocol default, and publish enforces it", async () => {
  const opening = enc.encode(infoLine(GOOD_INFO));
  await withPeer(opening, new Uint8Array(0), async (port) => {
    const nc = await dial(port);
    try {
      assert.equal(nc.info?.max_payload, 1024 * 1024);
      assert.throws(() => nc.publish("big", new Uint8Array(1024 * 1024 + 1)), MaxPayloadExceededError);
    } finally {
      await nc.close();
    }
  });
});

Deno.test("hostile server - parseInfo rejects what is not an object and keeps unknown fields", () => {
  for (const text of ["[]", "5", "null", '"x"', "false"]) {
    assert.throws(() => parseInfo(text), (err: unknown) => err instanceof ProtocolError, text);
  }
  const info = parseInfo('{"server_id":"x","max_payload":2048,"extra":{"a":1},"connect_urls":[]}');
  assert.equal(info.max_payload, 2048);
  assert.deepEqual(info.extra, { a: 1 });
  assert.deepEqual(info.connect_urls, []);
});
