/**
 * The properties one fuzz input must have. Each check returns a description of the first
 * violation, or undefined.
 */
import { MAX_CONTROL_LINE, PAYLOAD_SLACK } from "../../src/protocol/reader.ts";
import { scanHeaderBlock } from "../../src/protocol/header_scan.ts";
import { parseHeaderBlock } from "../../src/headers.ts";
import { parseInfo } from "../../src/connection/info.ts";
import { ProtocolError } from "../../src/errors.ts";
import { describeError, drive, type DriveResult } from "./drive.ts";
import { diffFrames } from "./frame.ts";
import { model, type ModelResult } from "./model.ts";
import { headerModel } from "./header_model.ts";
import type { InfoCase } from "./info_spec.ts";
import { infoProblem } from "./info_spec.ts";
import type { Frame } from "./frame.ts";
import { Rng } from "./rng.ts";

/** One stream input. */
export interface StreamInput {
  bytes: Uint8Array;
  /** The reader's max payload (the parser allows PAYLOAD_SLACK more). */
  maxPayload: number;
  /** For generated valid streams: the frames it encodes. */
  frames?: Frame[];
}

/** Random cut points for `len` bytes: none, a few, many small pieces, or every byte. */
function cuts(r: Rng, len: number): number[] {
  const mode = r.int(4);
  if (mode === 0 || len < 2) return [];
  if (mode === 3 && len <= 2048) return Array.from({ length: len - 1 }, (_, i) => i + 1);
  const out: number[] = [];
  const piece = mode === 1 ? Math.max(1, Math.floor(len / r.range(2, 4))) : r.range(1, 64);
  for (let at = r.range(1, piece); at < len; at += r.range(1, piece)) out.push(at);
  return out;
}

/** Compares a drive of `bytes` with the model of the same bytes. */
function agree(label: string, got: DriveResult, want: ModelResult, len: number): string | undefined {
  if (got.problem) return `${label}: ${got.problem}`;
  if (got.memoryBytes > got.ceiling) {
    return `${label}: reader memory ${got.memoryBytes} above its ceiling ${got.ceiling}`;
  }
  const diff = diffFrames(got.frames, want.frames);
  if (diff) return `${label}: ${diff}`;
  const shouldFail = want.errorAt !== undefined && want.errorAt <= len;
  if (shouldFail && !got.error) return `${label}: no ProtocolError, the stream is invalid from byte ${want.errorAt}`;
  if (!shouldFail && got.error) return `${label}: unexpected ${got.error.message}`;
  return undefined;
}

/**
 * The stream properties: fed whole or in pieces of any size, the parser yields exactly the frames
 * the model finds; it reports a ProtocolError exactly when the model finds the stream invalid, as
 * soon as the proving byte is there and not a byte earlier; every prefix parses like the model's
 * prefix; the reader stays under its memory ceiling; nothing but ProtocolError is thrown.
 */
export function checkStream(input: StreamInput, r: Rng): string | undefined {
  const { bytes, maxPayload } = input;
  const limit = maxPayload + PAYLOAD_SLACK;
  const full = model(bytes, limit, MAX_CONTROL_LINE);
  if (input.frames) {
    if (full.errorAt !== undefined) return `model: the generated stream is invalid at byte ${full.errorAt}`;
    const diff = diffFrames(full.frames, input.frames);
    if (diff) return `model disagrees with the generator: ${diff}`;
  }
  const whole = drive(bytes, cuts(r, bytes.length), maxPayload);
  const bad = agree("whole stream", whole, full, bytes.length);
  if (bad) return bad;
  const prefixes: number[] = [];
  if (full.errorAt !== undefined) prefixes.push(full.errorAt, full.errorAt - 1);
  for (let i = r.int(3); i > 0; i--) prefixes.push(r.int(bytes.length + 1));
  for (const k of prefixes) {
    const part = bytes.subarray(0, k);
    const res = agree(
      `prefix of ${k} bytes`,
      drive(part, cuts(r, k), maxPayload),
      model(part, limit, MAX_CONTROL_LINE),
      k,
    );
    if (res) return res;
  }
  if (bytes.length <= 512 && r.chance(0.05)) {
    for (let k = 1; k < bytes.length; k++) {
      const res = agree(`split at ${k}`, drive(bytes, [k], maxPayload), full, bytes.length);
      if (res) return res;
    }
  }
  return undefined;
}

/** The header scanner (and the header parser over it) against the reference, on one block. */
export function checkHeaderBlock(block: Uint8Array): string | undefined {
  const want = headerModel(block);
  let got: Int32Array | undefined;
  try {
    got = scanHeaderBlock(block);
    const h = parseHeaderBlock(block);
    for (const _entry of h) { /* decodes every field */ }
    void h.description;
  } catch (err) {
    return `header scan threw ${describeError(err)}`;
  }
  if (!want || !got) {
    return want === got
      ? undefined
      : `header scan gave ${got ? "a table" : "none"}, expected ${want ? "a table" : "none"}`;
  }
  const expected = [want.code, want.descOff, want.descLen, 0, ...want.fields.flat()];
  const actual = Array.from(got);
  if (actual.length !== expected.length || actual.some((v, i) => v !== expected[i])) {
    return `header table ${JSON.stringify(actual.slice(0, 24))} expected ${JSON.stringify(expected.slice(0, 24))}`;
  }
  return undefined;
}

/** parseInfo on one generated INFO: accepted exactly when every known field is right. */
export function checkInfo(c: InfoCase): string | undefined {
  try {
    const info = parseInfo(c.text);
    if (!c.valid) return `parseInfo accepted ${c.text}`;
    const problem = infoProblem(info);
    if (problem) return `parseInfo gave a bad INFO (${problem}) for ${c.text}`;
    if (info.max_payload !== c.maxPayload) return `max_payload ${info.max_payload}, expected ${c.maxPayload}`;
  } catch (err) {
    if (!(err instanceof ProtocolError)) return `parseInfo threw ${describeError(err)} for ${c.text}`;
    if (c.valid) return `parseInfo rejected a valid INFO (${err.message}): ${c.text}`;
  }
  return undefined;
}

/** parseInfo on any text: an INFO the client can rely on, or a ProtocolError, nothing else. */
export function checkInfoText(text: string): string | undefined {
  try {
    const problem = infoProblem(parseInfo(text));
    return problem ? `parseInfo gave a bad INFO (${problem}) for ${text}` : undefined;
  } catch (err) {
    return err instanceof ProtocolError ? undefined : `parseInfo threw ${describeError(err)} for ${text}`;
  }
}

/** Reruns `check` on smaller and smaller variants of `bytes` while it still fails (bounded). */
export function minimize(bytes: Uint8Array, fails: (b: Uint8Array) => boolean, budget = 3000): Uint8Array {
  let best = bytes;
  let tries = 0;
  for (let size = Math.max(1, best.length >> 1); size >= 1 && tries < budget; size = size >> 1) {
    let progress = true;
    while (progress && tries < budget) {
      progress = false;
      for (let at = 0; at + size <= best.length && tries < budget; at += size) {
        const candidate = new Uint8Array(best.length - size);
        candidate.set(best.subarray(0, at));
        candidate.set(best.subarray(at + size), at);
        tries++;
        if (fails(candidate)) {
          best = candidate;
          progress = true;
          break;
        }
      }
    }
  }
  return best;
}

/** A check function for `minimize`: reruns `checkStream` with the same cut seed. */
export function streamFails(maxPayload: number, cutSeed: number): (b: Uint8Array) => boolean {
  return (b) => checkStream({ bytes: b, maxPayload }, new Rng(cutSeed)) !== undefined;
}
