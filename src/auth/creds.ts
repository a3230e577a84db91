/**
 * Parses the text of a NATS credentials (`.creds`) file: a user JWT block and an NKey seed block.
 *
 * @module
 */
import { InvalidArgumentError } from "../errors.ts";

/** The two secrets of a creds file. */
export interface Credentials {
  /** The user JWT. */
  jwt: string;
  /** The user's NKey seed (`SU…`); absent when the file holds only a (bearer) JWT. */
  seed?: string;
}

const BEGIN = /^\s*-{3,}\s*BEGIN\s+(.*?)\s*-{3,}\s*$/;
const END = /^\s*-{3,}\s*END\b.*-{3,}\s*$/;

interface Block {
  label: string;
  body: string;
}

function blocks(text: string): Block[] {
  const found: Block[] = [];
  let open: { label: string; lines: string[] } | undefined;
  for (const raw of text.split(/\r?\n/)) {
    if (open) {
      if (END.test(raw)) {
        found.push({ label: open.label.toUpperCase(), body: open.lines.join("") });
        open = undefined;
      } else if (raw.trim()) {
        open.lines.push(raw.trim());
      }
      continue;
    }
    const m = BEGIN.exec(raw);
    if (m) open = { label: m[1], lines: [] };
  }
  if (open) throw new InvalidArgumentError(`malformed credentials: the '${open.label}' block has no END line`);
  return found;
}

/**
 * Extracts the user JWT and seed from creds text. The JWT is the block labelled `… JWT` (else
 * the first block), the seed the block labelled `… SEED` (else the second). Dash lines of three
 * or more, CRLF line ends and blank lines inside blocks are accepted.
 *
 * @throws {InvalidArgumentError} when there is no JWT, the JWT is not three dot-separated parts,
 * or the seed is not a user seed.
 *
 * @example
 * ```ts
 * import { parseCreds } from "./creds.ts";
 * const text = "-----BEGIN NATS USER JWT-----\naaa.bbb.ccc\n------END NATS USER JWT------\n";
 * console.log(parseCreds(text).jwt); // "aaa.bbb.ccc"
 * ```
 */
export function parseCreds(text: string): Credentials {
  const all = blocks(text);
  const jwtBlock = all.find((b) => b.label.includes("JWT")) ?? all[0];
  if (!jwtBlock || !jwtBlock.body) throw new InvalidArgumentError("malformed credentials: no user JWT block");
  const jwt = jwtBlock.body;
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(jwt)) {
    throw new InvalidArgumentError("malformed credentials: the JWT block does not hold a JWT");
  }
  const rest = all.filter((b) => b !== jwtBlock);
  const seedBlock = rest.find((b) => b.label.includes("SEED")) ?? rest[0];
  if (!seedBlock) return { jwt };
  const seed = seedBlock.body;
  if (!/^SU[A-Z2-7]+$/.test(seed)) {
    throw new InvalidArgumentError("malformed credentials: the seed block does not hold a user NKey seed");
  }
  return { jwt, seed };
}
