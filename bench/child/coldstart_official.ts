/**
 * Child process of `coldstart` for nats.js (`@nats-io/transport-node` under Deno): import, connect,
 * one round trip (flush), close. Prints `{"ms": <since process start>, "peakRssMiB": …}`.
 * Usage: … coldstart_official.ts <url>
 */
import { connect } from "@nats-io/transport-node";
import { peakRssMiB } from "../util.ts";

const nc = await connect({ servers: Deno.args[0] });
await nc.flush();
await nc.close();
console.log(JSON.stringify({ ms: performance.now(), peakRssMiB: peakRssMiB() }));
