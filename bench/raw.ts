/**
 * A client-neutral raw NATS connection for the harness: it records the server's byte stream (for
 * the parser scenarios) and publishes pre-encoded frames (the feeder of the slow-subscriber
 * scenario), so neither client's code shapes what the other is measured on.
 */

const enc = new TextEncoder();
const PONG = enc.encode("PONG\r\n");

function endsWith(buf: Uint8Array, end: number, tail: Uint8Array): boolean {
  if (end < tail.length) return false;
  for (let i = 0; i < tail.length; i++) if (buf[end - tail.length + i] !== tail[i]) return false;
  return true;
}

/** Encodes `count` identical PUB (or HPUB when `headers` is set) frames back to back. */
export function pubFrames(subject: string, data: Uint8Array, count: number, headers?: Uint8Array): Uint8Array {
  const line = headers
    ? enc.encode(`HPUB ${subject} ${headers.length} ${headers.length + data.length}\r\n`)
    : enc.encode(`PUB ${subject} ${data.length}\r\n`);
  const hl = headers ? headers.length : 0;
  const one = line.length + hl + data.length + 2;
  const out = new Uint8Array(one * count);
  for (let i = 0, p = 0; i < count; i++) {
    out.set(line, p);
    p += line.length;
    if (headers) {
      out.set(headers, p);
      p += hl;
    }
    out.set(data, p);
    p += data.length;
    out[p++] = 13;
    out[p++] = 10;
  }
  return out;
}

/** A bare TCP connection speaking just enough NATS to publish and to record deliveries. */
export class RawConn {
  #conn: Deno.TcpConn;
  #buf = new Uint8Array(256 * 1024);

  private constructor(conn: Deno.TcpConn) {
    this.#conn = conn;
  }

  /** Connects, reads INFO, sends CONNECT (headers on, not verbose) and waits for the PONG. */
  static async open(url: string): Promise<RawConn> {
    const u = new URL(url.replace(/^nats:/, "http:"));
    const conn = await Deno.connect({ hostname: u.hostname, port: Number(u.port) });
    const raw = new RawConn(conn);
    await raw.#readUntilLine();
    await raw.write(
      enc.encode('CONNECT {"verbose":false,"pedantic":false,"headers":true,"no_responders":true,"protocol":1}\r\n'),
    );
    await raw.roundTrip();
    return raw;
  }

  async #readUntilLine(): Promise<void> {
    let end = 0;
    for (;;) {
      const n = await this.#conn.read(this.#buf.subarray(end));
      if (n === null) throw new Error("raw connection closed during handshake");
      end += n;
      if (endsWith(this.#buf, end, enc.encode("\r\n"))) return;
    }
  }

  /** Writes all of `bytes`. */
  async write(bytes: Uint8Array): Promise<void> {
    let off = 0;
    while (off < bytes.length) off += await this.#conn.write(bytes.subarray(off));
  }

  /** Sends PING and discards everything read until a PONG arrives (the server may send INFO first). */
  async roundTrip(): Promise<void> {
    await this.write(enc.encode("PING\r\n"));
    let seen = "";
    for (;;) {
      const n = await this.#conn.read(this.#buf);
      if (n === null) throw new Error("raw connection closed");
      seen = (seen + new TextDecoder().decode(this.#buf.subarray(0, n))).slice(-4096);
      if (seen.includes("PONG\r\n")) return;
      if (seen.includes("-ERR")) throw new Error(`server error: ${seen.slice(seen.indexOf("-ERR")).trim()}`);
    }
  }

  /** Publishes `count` copies of a frame in large writes, then waits for a PONG. */
  async publish(subject: string, data: Uint8Array, count: number, headers?: Uint8Array): Promise<void> {
    const batch = Math.max(1, Math.floor((256 * 1024) / (subject.length + data.length + 64)));
    const full = pubFrames(subject, data, batch, headers);
    for (let sent = 0; sent < count; sent += batch) {
      const k = Math.min(batch, count - sent);
      await this.write(k === batch ? full : pubFrames(subject, data, k, headers));
    }
    await this.roundTrip();
  }

  /**
   * Subscribes to `subject` (sid 1), publishes `count` frames to it on this same connection and
   * returns exactly the bytes the server delivered: `count` MSG (or HMSG) frames.
   */
  async record(subject: string, data: Uint8Array, count: number, headers?: Uint8Array): Promise<Uint8Array> {
    await this.write(enc.encode(`SUB ${subject} 1\r\n`));
    await this.roundTrip();
    const chunks: Uint8Array[] = [];
    let total = 0;
    let tail = new Uint8Array(0);
    const reading = (async () => {
      for (;;) {
        const n = await this.#conn.read(this.#buf);
        if (n === null) throw new Error("raw connection closed while recording");
        const c = this.#buf.slice(0, n);
        chunks.push(c);
        total += n;
        const last = c.subarray(Math.max(0, c.length - PONG.length));
        const both = new Uint8Array(tail.length + last.length);
        both.set(tail);
        both.set(last, tail.length);
        tail = both.slice(Math.max(0, both.length - PONG.length));
        if (endsWith(tail, tail.length, PONG)) return;
      }
    })();
    const batch = Math.max(1, Math.floor((256 * 1024) / (subject.length + data.length + 64)));
    for (let sent = 0; sent < count; sent += batch) {
      await this.write(pubFrames(subject, data, Math.min(batch, count - sent), headers));
    }
    await this.write(enc.encode(`UNSUB 1\r\nPING\r\n`));
    await reading;
    const out = new Uint8Array(total - PONG.length);
    let p = 0;
    for (const c of chunks) {
      const k = Math.min(c.length, out.length - p);
      out.set(c.subarray(0, k), p);
      p += k;
    }
    return out;
  }

  /** Closes the socket. */
  close(): void {
    try {
      this.#conn.close();
    } catch {
      // already closed
    }
  }
}
