/**
 * A few seeded fuzz runs in the normal suite (the full run is `deno task fuzz`): fixed seeds and
 * input counts, so a failure here replays with `deno task fuzz --seed S --input I`.
 */
import assert from "node:assert/strict";
import { runFuzz } from "./fuzz/run.ts";

for (const seed of [1, 20240601, 0xdecafbad]) {
  Deno.test(`fuzz smoke - 250 inputs of seed ${seed} keep every property`, () => {
    const report = runFuzz({ seconds: 60, seed, maxInputs: 250 });
    const f = report.failures[0];
    assert.equal(f, undefined, f && `input ${f.index} (${f.kind}): ${f.message}\n  input: ${f.minimal}`);
    assert.equal(report.inputs, 250);
  });
}
