/**
 * The fuzz loop: input number i of a run with seed S is generated from its own seed
 * (`inputSeed(S, i)`), so any failure replays with `--seed S --input i`.
 */
import { MAX_CONTROL_LINE, PAYLOAD_SLACK } from "../../src/protocol/reader.ts";
import { errProblem } from "./drive.ts";
import {
  checkHeaderBlock,
  checkInfo,
  checkInfoText,
  checkStream,
  minimize,
  streamFails,
  type StreamInput,
} from "./check.ts";
import { garbage, longLine, mutate, opHead, validStream } from "./gen.ts";
import { genInfo } from "./info_spec.ts";
import { hex } from "./frame.ts";
import { inputSeed, Rng } from "./rng.ts";

/** Options of {@link runFuzz}. */
export interface FuzzOptions {
  /** Stop after this many seconds. */
  seconds: number;
  /** Seed of the run. */
  seed: number;
  /** Run only this input number. */
  only?: number;
  /** Stop after this many inputs (also bounded by `seconds`). */
  maxInputs?: number;
  /** Where progress lines go. */
  log?: (line: string) => void;
}

/** One failed input. */
export interface FuzzFailure {
  index: number;
  kind: string;
  message: string;
  /** The smallest input that still fails, hex. */
  minimal: string;
  /** For streams: the reader's max payload and the seed of the cuts, to replay the minimal input with. */
  replay?: { maxPayload: number; cutSeed: number };
}

/** The outcome of a run. */
export interface FuzzReport {
  inputs: number;
  failures: FuzzFailure[];
  /** Largest heap seen, bytes. */
  peakHeap: number;
  /** Largest resident set seen, bytes. */
  peakRss: number;
}

/** An input that takes longer than this is reported as a hang. */
const INPUT_TIME_LIMIT_MS = 20_000;
/** The fuzzer's heap must stay under this (the readers it creates are garbage after each input). */
const HEAP_LIMIT = 768 * 1024 * 1024;

const enc = new TextEncoder();

/** Picks and checks input number `index`; returns its kind and failure, if any. */
function runInput(seed: number, index: number): { kind: string; failure?: FuzzFailure } {
  const r = new Rng(inputSeed(seed, index));
  const cutSeed = r.u32();
  const maxPayload = r.pick([1, 1024, 1 << 20]);
  const limit = maxPayload + PAYLOAD_SLACK;
  const roll = r.int(1000);
  let kind: string;
  let input: StreamInput;
  if (roll < 280) {
    kind = "valid";
    const v = validStream(r, limit);
    input = { bytes: v.bytes, maxPayload, frames: v.frames };
  } else if (roll < 630) {
    kind = "mutated";
    input = { bytes: mutate(r, validStream(r, limit, 8).bytes), maxPayload };
  } else if (roll < 700) {
    kind = "garbage";
    input = { bytes: garbage(r), maxPayload };
  } else if (roll < 760) {
    kind = "op head";
    input = { bytes: opHead(r), maxPayload };
  } else if (roll < 770) {
    kind = "valid+garbage";
    const v = validStream(r, limit, 5).bytes;
    const g = garbage(r);
    const b = new Uint8Array(v.length + g.length);
    b.set(v);
    b.set(g, v.length);
    input = { bytes: b, maxPayload };
  } else if (roll < 780) {
    kind = "many frames";
    const n = r.range(2000, 5000);
    input = { bytes: enc.encode((r.chance(0.5) ? "PING\r\n" : "MSG a 1 1\r\nx\r\n").repeat(n)), maxPayload };
  } else if (roll < 782) {
    kind = "long line";
    input = { bytes: longLine(r, MAX_CONTROL_LINE), maxPayload };
  } else if (roll < 880) {
    kind = "header block";
    const v = validStream(r, 4096, 1);
    const block = r.chance(0.3)
      ? v.bytes
      : r.chance(0.5)
      ? mutate(r, enc.encode("NATS/1.0 503 x\r\nA: b\r\n\r\n"))
      : garbage(r);
    const full = r.chance(0.5) ? block : new Uint8Array([...enc.encode("NATS/1.0"), ...block]);
    const message = checkHeaderBlock(full);
    return { kind, failure: message ? { index, kind, message, minimal: hex(full) } : undefined };
  } else if (roll < 950) {
    kind = "info";
    const c = genInfo(r);
    const message = checkInfo(c);
    return { kind, failure: message ? { index, kind, message, minimal: hex(enc.encode(c.text)) } : undefined };
  } else {
    kind = "info/err text";
    const text = new TextDecoder().decode(
      mutate(r, enc.encode(r.chance(0.5) ? genInfo(r).text : "'Stale Connection'")),
    );
    const message = checkInfoText(text) ?? errProblem(text);
    return { kind, failure: message ? { index, kind, message, minimal: hex(enc.encode(text)) } : undefined };
  }
  const message = checkStream(input, new Rng(cutSeed));
  if (!message) return { kind };
  const small = minimize(input.bytes, streamFails(maxPayload, cutSeed));
  return { kind, failure: { index, kind, message, minimal: hex(small), replay: { maxPayload, cutSeed } } };
}

function memory(report: FuzzReport): string | undefined {
  (globalThis as { gc?: () => void }).gc?.();
  const m = Deno.memoryUsage();
  report.peakHeap = Math.max(report.peakHeap, m.heapUsed);
  report.peakRss = Math.max(report.peakRss, m.rss);
  return m.heapUsed > HEAP_LIMIT ? `heap grew to ${m.heapUsed} bytes` : undefined;
}

/** Runs inputs until `seconds` pass or `maxInputs` ran (or only input `only`); stops at the first failure. */
export function runFuzz(opts: FuzzOptions): FuzzReport {
  const log = opts.log ?? (() => {});
  const report: FuzzReport = { inputs: 0, failures: [], peakHeap: 0, peakRss: 0 };
  const start = performance.now();
  const deadline = start + opts.seconds * 1000;
  let nextLog = start + 10_000;
  const first = opts.only ?? 0;
  const last = opts.only ?? (opts.maxInputs ?? Infinity) - 1;
  for (let index = first; index <= last && (index === first || performance.now() < deadline); index++) {
    const t0 = performance.now();
    const { kind, failure } = runInput(opts.seed, index);
    const ms = performance.now() - t0;
    report.inputs++;
    const slow = ms > INPUT_TIME_LIMIT_MS ? `input took ${Math.round(ms)} ms` : undefined;
    const heap = report.inputs % 256 === 0 ? memory(report) : undefined;
    const found = failure ?? (slow || heap ? { index, kind, message: (slow ?? heap)!, minimal: "" } : undefined);
    if (found) {
      report.failures.push(found);
      break;
    }
    if (performance.now() >= nextLog) {
      log(`fuzz: ${report.inputs} inputs, ${Math.round((performance.now() - start) / 1000)} s`);
      nextLog += 10_000;
    }
  }
  memory(report);
  return report;
}
