/**
 * The compatibility harness: a test body runs twice on the same real server, once with nats.js
 * 3.4 and once with natsw, and both runs must give the same observable result. The body sees
 * only the API the two clients share, so a body that type-checks is a program that runs on both.
 */
import assert from "node:assert/strict";
import { connect as njsConnect } from "@nats-io/transport-node";
import { connect as nwConnect } from "../../mod.ts";
import { NatsServer, type ServerOptions } from "../helpers/server.ts";

/** The part of a connection's API that nats.js and natsw share and the bodies use. */
export interface CompatConnection {
  publish(subject: string, payload?: string | Uint8Array, options?: { reply?: string }): void;
  subscribe(subject: string, options?: Record<string, unknown>): CompatSubscription;
  request(subject: string, payload?: string | Uint8Array, options?: { timeout?: number }): Promise<CompatMsg>;
  requestMany(
    subject: string,
    payload?: string | Uint8Array,
    options?: Record<string, unknown>,
  ): Promise<AsyncIterable<CompatMsg>>;
  respondMessage(msg: CompatMsg): boolean;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** A shared subscription surface. */
export interface CompatSubscription extends AsyncIterable<CompatMsg> {
  isClosed(): boolean;
  unsubscribe(max?: number): void;
  getReceived(): number;
}

/** A shared message surface. */
export interface CompatMsg {
  subject: string;
  reply?: string;
  data: Uint8Array;
  string(): string;
  respond(payload?: string | Uint8Array): boolean;
}

/** One of the two clients. */
export interface CompatClient {
  /** `nats.js` or `natsw`. */
  name: string;
  /** Connects with options both clients accept. */
  connect(options: Record<string, unknown>): Promise<CompatConnection>;
}

const clients: CompatClient[] = [
  { name: "nats.js", connect: (o) => njsConnect(o) as unknown as Promise<CompatConnection> },
  { name: "natsw", connect: (o) => nwConnect(o) as unknown as Promise<CompatConnection> },
];

/**
 * Registers `compat - <name>`: runs `body` with each client against one server (fresh per
 * client, with `server` options) and asserts both results are deep-equal.
 */
export function compatTest(
  name: string,
  body: (client: CompatClient, server: NatsServer) => Promise<unknown>,
  server: ServerOptions = {},
): void {
  Deno.test(`compat - ${name}`, async () => {
    const results: unknown[] = [];
    for (const client of clients) {
      await using srv = await NatsServer.start(server);
      results.push(await body(client, srv));
    }
    assert.deepEqual(results[1], results[0], `natsw differs from nats.js: ${JSON.stringify(results)}`);
  });
}
