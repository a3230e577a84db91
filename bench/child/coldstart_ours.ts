/**
 * Child process of `coldstart` for natsw: import, connect, one round trip (flush), close.
 * Prints `{"ms": <since process start>, "peakRssMiB": …}`. Usage: … coldstart_ours.ts <url>
 */
import { connect } from "../../mod.ts";
import { peakRssMiB } from "../util.ts";

const nc = await connect({ servers: Deno.args[0] });
await nc.flush();
await nc.close();
console.log(JSON.stringify({ ms: performance.now(), peakRssMiB: peakRssMiB() }));
