/**
 * `deno task fuzz`: seeded random and mutated protocol streams through the real frame parser
 * (`FrameReader` + `walkFrames`), the header scanner, `parseInfo` and `errorFromServer`, checked
 * against a reference model (see tests/fuzz/check.ts for the properties). No network.
 *
 * Flags: --seconds N (default 60), --seed S (default: random, printed), --input I (replay one
 * input of the run with seed S), --hex H [--max-payload N] [--cut-seed C] (check the stream H,
 * e.g. a printed minimal failing input, cut as seed C cuts it, or as seeds 0-19 cut it).
 * Last line: `fuzz: N inputs, F failures`; exits 1 on a failure.
 */
import { runFuzz } from "./run.ts";
import { checkStream } from "./check.ts";
import { Rng } from "./rng.ts";

interface Args {
  seconds: number;
  seed: number;
  input?: number;
  hex?: string;
  maxPayload: number;
  cutSeed?: number;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { seconds: 60, seed: (Math.random() * 0x100000000) >>> 0, maxPayload: 1 << 20 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2) as [string, string | undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const int = (): number => {
      const v = Number(value());
      if (!Number.isInteger(v) || v < 0) throw new Error(`${flag} must be a non-negative integer`);
      return v;
    };
    switch (flag) {
      case "--":
        break;
      case "--seconds":
        a.seconds = int();
        break;
      case "--seed":
        a.seed = int() >>> 0;
        break;
      case "--input":
        a.input = int();
        break;
      case "--hex":
        a.hex = value();
        break;
      case "--max-payload":
        a.maxPayload = int();
        break;
      case "--cut-seed":
        a.cutSeed = int();
        break;
      default:
        throw new Error(`unknown flag ${argv[i]} (see tests/fuzz/fuzz.ts)`);
    }
  }
  return a;
}

function fromHex(h: string): Uint8Array {
  if (!/^([0-9a-f]{2})*$/i.test(h)) throw new Error("--hex needs an even number of hex digits");
  return Uint8Array.from(h.match(/../g) ?? [], (b) => parseInt(b, 16));
}

function main(): number {
  const args = parseArgs(Deno.args);
  if (args.hex !== undefined) {
    const bytes = fromHex(args.hex);
    const seeds = args.cutSeed !== undefined ? [args.cutSeed] : Array.from({ length: 20 }, (_, i) => i);
    let failures = 0;
    for (const cutSeed of seeds) {
      const message = checkStream({ bytes, maxPayload: args.maxPayload }, new Rng(cutSeed));
      if (message) {
        failures++;
        console.log(`cut seed ${cutSeed}: ${message}`);
      }
    }
    console.log(`fuzz: ${seeds.length} inputs, ${failures} failures`);
    return failures ? 1 : 0;
  }
  console.log(`fuzz: seed ${args.seed}${args.input !== undefined ? `, input ${args.input}` : `, ${args.seconds} s`}`);
  const report = runFuzz({ seconds: args.seconds, seed: args.seed, only: args.input, log: console.log });
  const mib = (n: number) => `${(n / 1048576).toFixed(0)} MiB`;
  console.log(`fuzz: peak heap ${mib(report.peakHeap)}, peak rss ${mib(report.peakRss)}`);
  for (const f of report.failures) {
    console.log(`FAIL input ${f.index} (${f.kind}): ${f.message}`);
    console.log(`  replay: deno task fuzz --seed ${args.seed} --input ${f.index}`);
    if (f.replay) {
      const { maxPayload, cutSeed } = f.replay;
      console.log(
        `  minimal input: deno task fuzz --hex ${f.minimal} --max-payload ${maxPayload} --cut-seed ${cutSeed}`,
      );
    } else if (f.minimal) console.log(`  input (hex): ${f.minimal}`);
  }
  console.log(`fuzz: ${report.inputs} inputs, ${report.failures.length} failures`);
  return report.failures.length ? 1 : 0;
}

Deno.exit(main());
