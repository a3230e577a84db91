/**
 * TCP and TLS transport on Deno's own networking (`Deno.connect`, `Deno.startTls`,
 * `Deno.connectTls`). Reads land straight in the caller's view (the parser's memory).
 *
 * @module
 */
import type { DialTarget, Transport } from "./transport.ts";
import { ConnectionError } from "../errors.ts";

class DenoTransport implements Transport {
  readonly encrypted: boolean;
  #conn: Deno.Conn;
  #closed = false;

  constructor(conn: Deno.Conn, encrypted: boolean) {
    this.#conn = conn;
    this.encrypted = encrypted;
  }

  async read(into: Uint8Array): Promise<number | null> {
    if (this.#closed) return null;
    try {
      return await this.#conn.read(into);
    } catch (err) {
      if (this.#closed) return null;
      throw new ConnectionError(`read failed: ${(err as Error).message}`, { cause: err });
    }
  }

  async write(bytes: Uint8Array): Promise<void> {
    let off = 0;
    while (off < bytes.length) {
      if (this.#closed) throw new ConnectionError("connection closed while writing");
      try {
        off += await this.#conn.write(off === 0 ? bytes : bytes.subarray(off));
      } catch (err) {
        throw new ConnectionError(`write failed: ${(err as Error).message}`, { cause: err });
      }
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#conn.close();
    } catch {
      // already closed by the peer
    }
  }

  async startTls(target: DialTarget): Promise<Transport> {
    if (target.tls?.cert || target.tls?.key) {
      throw new ConnectionError(
        "Deno cannot present a client certificate when upgrading to TLS after INFO: " +
          "enable handshake_first on the server and set tls.handshakeFirst",
      );
    }
    const tls = await Deno.startTls(this.#conn as Deno.TcpConn, {
      hostname: target.hostname,
      caCerts: target.tls?.caCerts,
    });
    const t = new DenoTransport(tls, true);
    await tls.handshake().catch((err) => {
      t.close();
      throw new ConnectionError(`TLS handshake failed: ${(err as Error).message}`, { cause: err });
    });
    return t;
  }
}

/**
 * Dials a server over TCP, or TLS when `target.tlsFirst` is set.
 *
 * @example
 * ```ts ignore
 * const t = await denoDial({ hostname: "127.0.0.1", port: 4222, tlsFirst: false, scheme: "nats" });
 * ```
 */
export async function denoDial(target: DialTarget): Promise<Transport> {
  try {
    if (target.tlsFirst) {
      const conn = await Deno.connectTls({
        hostname: target.hostname,
        port: target.port,
        caCerts: target.tls?.caCerts,
        cert: target.tls?.cert,
        key: target.tls?.key,
      });
      try {
        await conn.handshake();
      } catch (err) {
        conn.close();
        throw err;
      }
      return new DenoTransport(conn, true);
    }
    const conn = await Deno.connect({ hostname: target.hostname, port: target.port });
    conn.setNoDelay(true);
    return new DenoTransport(conn, false);
  } catch (err) {
    throw new ConnectionError(
      `cannot connect to ${target.hostname}:${target.port}: ${(err as Error).message}`,
      { cause: err },
    );
  }
}
