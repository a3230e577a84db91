/**
 * The test suite's servers: a thin re-export of the testing kit (`testing/mod.ts`), plus the
 * synchronous `freePort()` and the old-server lookup our own tests use.
 */
export { NatsCluster, NatsServer, type ServerOptions } from "../../testing/mod.ts";
export { freePortSync as freePort } from "../../testing/deno_host.ts";

/** Path of the old (2.9) server binary, if the test script found one. */
export function oldServerBin(): string | undefined {
  return Deno.env.get("NATS_SERVER_BIN_OLD") || undefined;
}
