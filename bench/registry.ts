/**
 * Every benchmark scenario, in run order. To add scenarios, create a module under bench/scenarios/
 * that exports `scenarios: Scenario[]` (each `{ name, run(client, ctx) }`, see bench/types.ts) and
 * spread it into SCENARIOS below.
 *
 * Wired through bench/scenarios/paired.ts (modules that measure both clients per call):
 * `service-128` (bench/service_bench.ts), `kv-128` (bench/kv_bench.ts: metrics kvput, kvget) and
 * `obj-64MiB` (bench/obj_bench.ts: metrics put, get, peak RSS = BENCH.md's objput/objget-64MiB).
 */
import type { Scenario } from "./types.ts";
import { scenarios as core } from "./scenarios/core.ts";
import { scenarios as parse } from "./scenarios/parse.ts";
import { scenarios as processes } from "./scenarios/process.ts";
import { scenarios as paired } from "./scenarios/paired.ts";
import { scenarios as jetstream } from "./scenarios/jetstream.ts";
import { scenarios as jetstreamFast } from "./scenarios/jetstream_fast.ts";

/** All scenarios, in the order they run. */
export const SCENARIOS: Scenario[] = [
  ...core,
  ...jetstream,
  ...jetstreamFast,
  ...paired,
  ...parse,
  ...processes,
];
