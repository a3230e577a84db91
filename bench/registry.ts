/**
 * Every benchmark scenario, in run order. To add scenarios, create a module under bench/scenarios/
 * that exports `scenarios: Scenario[]` (each `{ name, run(client, ctx) }`, see bench/types.ts) and
 * spread it into SCENARIOS below.
 *
 * Planned, to be added by their owners (names from /work/shared/BENCH.md):
 * - `jspub-128`, `jsconsume-128`  → bench/scenarios/jetstream.ts
 * - `kvput-128`, `kvget-128`      → bench/scenarios/kv.ts
 * - `objput-64MiB`, `objget-64MiB` → bench/scenarios/obj.ts
 * - `service-128`                 → bench/scenarios/service.ts (wraps `serviceBench(url, n)` from
 *   bench/service_bench.ts once that module exists)
 */
import type { Scenario } from "./types.ts";
import { scenarios as core } from "./scenarios/core.ts";
import { scenarios as parse } from "./scenarios/parse.ts";
import { scenarios as processes } from "./scenarios/process.ts";

/** All scenarios, in the order they run. */
export const SCENARIOS: Scenario[] = [
  ...core,
  // ...jetstream, ...kv, ...obj, ...service  (see above)
  ...parse,
  ...processes,
];
