/**
 * Shared shapes of the benchmark harness: a scenario is a module value `{ name, run(client, ctx) }`
 * that returns the metrics of one run of one client.
 */

/** Which client a run measures: this project (`ours`) or nats.js v3 (`official`). */
export type ClientKind = "ours" | "official";

/** The two clients, in the order of the first round (later rounds alternate). */
export const CLIENTS: readonly ClientKind[] = ["ours", "official"];

/** One measured number. `better` says which direction wins (drives the ratio's label). */
export interface Metric {
  /** Short name, e.g. `msgs/s`, `p50`, `peak RSS`. */
  name: string;
  /** The value, in `unit`. */
  value: number;
  /** Unit for display, e.g. `msgs/s`, `µs`, `MiB`, `ms`. */
  unit: string;
  /** Which direction is better ("none": informational, no ratio). */
  better: "higher" | "lower" | "none";
}

/** What one run of one client returns. The first metric is the headline. */
export interface RunResult {
  /** Metrics shown in the table (and in the JSON line). */
  metrics: Metric[];
  /** Extra facts for the JSON line only (counts, dropped messages, …). */
  extra?: Record<string, unknown>;
}

/** Everything a scenario may use. */
export interface BenchContext {
  /** `nats://127.0.0.1:<port>` of the bench's server (JetStream enabled). */
  url: string;
  /** Multiplier applied to every default count (1 = full size). */
  scale: number;
  /** Overrides the message count of every count-based scenario when set. */
  count: number | undefined;
  /** True for `--quick` (scenarios may cut repetitions too). */
  quick: boolean;
  /** Path of the deno binary (for subprocess scenarios). */
  denoBin: string;
  /** Absolute path of the project's deno.json (subprocesses need it for the import map). */
  config: string;
  /** A temp folder removed at the end of the run. */
  tmpDir: string;
  /** Which publish loop our client uses (see bench/clients.ts). */
  oursLoop: "every" | "catch";
  /** Prints a progress line to stderr. */
  log(msg: string): void;
  /** The count to use for a scenario whose full size is `full`. */
  n(full: number): number;
}

/** A benchmark scenario. */
export interface Scenario {
  /** Unique name, e.g. `pub-128` (used by `--only`). */
  name: string;
  /** Runs once for `client` and returns its metrics. */
  run(client: ClientKind, ctx: BenchContext): Promise<RunResult>;
}

/** Builds a metric. */
export function metric(name: string, value: number, unit: string, better: Metric["better"]): Metric {
  return { name, value, unit, better };
}
