/**
 * One small adapter per client so scenarios can run the same workload through either, each with
 * its idiomatic hot loop. Only bench code may use this (it touches Deno APIs through the clients).
 */
import { connect as connectOurs, type NatsConnection as OursConnection, OutboundBufferFullError } from "../mod.ts";
import { connect as connectOfficial } from "@nats-io/transport-node";
import type { NatsConnection as OfficialConnection } from "@nats-io/nats-core";
import type { BenchContext, ClientKind } from "./types.ts";
import { signal } from "./util.ts";

/** A counting subscription: `done` resolves once `target` messages arrived. */
export interface CountingSub {
  /** Resolves when `target` messages were received. */
  done: Promise<void>;
  /** Messages received so far. */
  received(): number;
}

/** The operations the core scenarios need, implemented by both clients. */
export interface BenchConn {
  /** Publishes `data` to `subject` `n` times with the client's idiomatic loop (no flush). */
  publishMany(subject: string, data: Uint8Array, n: number): Promise<void>;
  /** PING/PONG round trip. */
  flush(): Promise<void>;
  /** Callback subscription that counts messages until `target`. */
  countSub(subject: string, target: number): CountingSub;
  /** Subscription read with `for await` that counts messages until `target`, then stops reading. */
  iterSub(subject: string, target: number): CountingSub;
  /** Callback subscription that echoes every request's payload back to its reply subject. */
  echo(subject: string): void;
  /** One request; resolves with the reply's payload length. */
  request(subject: string, data: Uint8Array): Promise<number>;
  /** Closes the connection. */
  close(): Promise<void>;
}

/** What both clients' connections offer for the shared operations (structurally). */
interface CommonConn {
  flush(): Promise<void>;
  subscribe(
    subject: string,
    opts?: { callback: (err: unknown, m: { data: Uint8Array; respond(data: Uint8Array): boolean }) => void },
  ): unknown;
  request(subject: string, data: Uint8Array, opts: { timeout: number }): Promise<{ data: Uint8Array }>;
  close(): Promise<void>;
}

/** The operations that are written the same way for both clients; each adds its publish loop. */
abstract class CommonBenchConn implements BenchConn {
  constructor(readonly nc: CommonConn) {}

  abstract publishMany(subject: string, data: Uint8Array, n: number): Promise<void>;

  flush(): Promise<void> {
    return this.nc.flush();
  }

  countSub(subject: string, target: number): CountingSub {
    const s = signal();
    let count = 0;
    this.nc.subscribe(subject, {
      callback: () => {
        if (++count === target) s.resolve();
      },
    });
    return { done: s.promise, received: () => count };
  }

  iterSub(subject: string, target: number): CountingSub {
    const sub = this.nc.subscribe(subject) as AsyncIterable<{ data: Uint8Array }>;
    let count = 0;
    const done = (async () => {
      for await (const _m of sub) if (++count === target) break;
    })();
    return { done, received: () => count };
  }

  echo(subject: string): void {
    this.nc.subscribe(subject, {
      callback: (_err, m) => {
        m.respond(m.data);
      },
    });
  }

  async request(subject: string, data: Uint8Array): Promise<number> {
    const m = await this.nc.request(subject, data, { timeout: 5000 });
    return m.data.length;
  }

  close(): Promise<void> {
    return this.nc.close();
  }
}

class Ours extends CommonBenchConn {
  constructor(override readonly nc: OursConnection, readonly loop: "every" | "catch") {
    super(nc);
  }

  async publishMany(subject: string, data: Uint8Array, n: number): Promise<void> {
    const nc = this.nc;
    if (this.loop === "every") {
      // writable() resolves at once while the bounded outbound buffer (64 MiB) is at most half full,
      // so this costs one resolved await per 1024 messages and only waits when the socket lags.
      for (let i = 0; i < n; i++) {
        if ((i & 1023) === 0) await nc.writable();
        nc.publish(subject, data);
      }
      return;
    }
    // "catch": publish flat out; publish() throws OutboundBufferFullError (nothing sent) when the
    // buffer is full, then wait until it is half empty and retry that message.
    for (let i = 0; i < n; i++) {
      try {
        nc.publish(subject, data);
      } catch (err) {
        if (!(err instanceof OutboundBufferFullError)) throw err;
        await nc.writable();
        nc.publish(subject, data);
      }
    }
  }
}

class Official extends CommonBenchConn {
  constructor(override readonly nc: OfficialConnection) {
    super(nc);
  }

  publishMany(subject: string, data: Uint8Array, n: number): Promise<void> {
    // nats.js's own bench: a tight synchronous loop (its buffer is unbounded), then flush().
    const nc = this.nc;
    for (let i = 0; i < n; i++) nc.publish(subject, data);
    return Promise.resolve();
  }
}

/**
 * Connects `client` to the bench server. nats.js gets `noAsyncTraces: true`, as its own bench uses
 * (otherwise every request captures a stack trace).
 */
export async function benchConnect(client: ClientKind, ctx: BenchContext): Promise<BenchConn> {
  if (client === "ours") return new Ours(await connectOurs({ servers: ctx.url }), ctx.oursLoop);
  return new Official(await connectOfficial({ servers: ctx.url, noAsyncTraces: true }));
}
