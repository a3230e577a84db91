/**
 * Message headers (ADR-4): a `NATS/1.0 [code [description]]` status line and ordered,
 * case-preserving, multi-value fields. Incoming headers are scanned by the WASM header scanner;
 * this class turns the offsets into strings only when a header is read.
 *
 * @module
 */
import { InvalidArgumentError } from "./errors.ts";
import { utf8Decoder, utf8Encoder } from "./encoding.ts";
import { scanHeaderBlock } from "./protocol/header_scan.ts";

/**
 * How header names are compared.
 *
 * @example
 * ```ts
 * import { headers, Match } from "./headers.ts";
 * const h = headers();
 * h.set("X-Id", "1");
 * console.log(h.get("x-id", Match.IgnoreCase)); // "1"
 * ```
 */
export const Match = {
  /** Names must be equal (the default). */
  Exact: 0,
  /** Names are compared in canonical MIME form (`content-type` → `Content-Type`). */
  CanonicalMIME: 1,
  /** Names are compared ignoring case. */
  IgnoreCase: 2,
} as const;
/** One of the {@link Match} values. */
export type Match = typeof Match[keyof typeof Match];

/** Headers of a message. Iterating yields `[name, values]` in insertion order. */
export interface MsgHdrs extends Iterable<[string, string[]]> {
  /** True when the status code is 300 or more. */
  readonly hasError: boolean;
  /** `"<code> <description>"`, or an empty string when there is no status. */
  readonly status: string;
  /** The status code (0 when none). */
  readonly code: number;
  /** The status description. */
  readonly description: string;
  /** The first value of `name`, or an empty string. */
  get(name: string, match?: Match): string;
  /** The last value of `name`, or an empty string. */
  last(name: string, match?: Match): string;
  /** Replaces every value of `name` with `value`. */
  set(name: string, value: string, match?: Match): void;
  /** Adds `value` to `name`. */
  append(name: string, value: string, match?: Match): void;
  /** True when `name` is present. */
  has(name: string, match?: Match): boolean;
  /** Every value of `name`. */
  values(name: string, match?: Match): string[];
  /** Removes `name`. */
  delete(name: string, match?: Match): void;
  /** The names present, in order. */
  keys(): string[];
}

/** Canonical MIME form of a header name (`nats-msg-id` → `Nats-Msg-Id`). */
export function canonicalMIMEHeaderKey(name: string): string {
  let out = "";
  let upper = true;
  for (const ch of name) {
    out += upper ? ch.toUpperCase() : ch.toLowerCase();
    upper = ch === "-";
  }
  return out;
}

function checkName(name: string): void {
  if (name.length === 0) throw new InvalidArgumentError("header name is empty");
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 33 || c > 126 || c === 58) {
      throw new InvalidArgumentError(`invalid header name '${name}': printable ASCII without ':' only`);
    }
  }
}

function checkValue(value: string): string {
  if (/[\r\n]/.test(value)) throw new InvalidArgumentError("header values cannot contain CR or LF");
  return value.trim();
}

/** The implementation of {@link MsgHdrs}; holds either parsed fields or raw bytes plus offsets. */
export class MsgHdrsImpl implements MsgHdrs {
  #fields: Map<string, string[]> | undefined;
  #raw: Uint8Array | undefined;
  #table: Int32Array | undefined;
  #code: number;
  #description: string;

  /** Creates headers with an optional status. */
  constructor(code = 0, description = "") {
    this.#code = code;
    this.#description = description;
    this.#fields = new Map();
  }

  /** Headers backed by a received block and the scanner's table (decoded on first use). */
  static fromScan(raw: Uint8Array, table: Int32Array): MsgHdrsImpl {
    const h = new MsgHdrsImpl(table[0]);
    h.#fields = undefined;
    h.#raw = raw;
    h.#table = table;
    return h;
  }

  #map(): Map<string, string[]> {
    if (this.#fields) return this.#fields;
    const raw = this.#raw!;
    const t = this.#table!;
    const m = new Map<string, string[]>();
    for (let i = 4; i < t.length; i += 4) {
      const name = utf8Decoder.decode(raw.subarray(t[i], t[i] + t[i + 1]));
      const value = utf8Decoder.decode(raw.subarray(t[i + 2], t[i + 2] + t[i + 3]));
      const list = m.get(name);
      if (list) list.push(value);
      else m.set(name, [value]);
    }
    this.#fields = m;
    this.#raw = undefined;
    return m;
  }

  get code(): number {
    return this.#code;
  }

  get description(): string {
    if (this.#raw && this.#table && this.#table[2] > 0) {
      const t = this.#table;
      this.#description = utf8Decoder.decode(this.#raw.subarray(t[1], t[1] + t[2]));
    }
    return this.#description;
  }

  get hasError(): boolean {
    return this.#code >= 300;
  }

  get status(): string {
    if (this.#code === 0) return "";
    const d = this.description;
    return d ? `${this.#code} ${d}` : `${this.#code}`;
  }

  #names(name: string, match: Match): string[] {
    const m = this.#map();
    if (match === Match.Exact) return m.has(name) ? [name] : [];
    const want = match === Match.IgnoreCase ? name.toLowerCase() : canonicalMIMEHeaderKey(name);
    const out: string[] = [];
    for (const k of m.keys()) {
      const key = match === Match.IgnoreCase ? k.toLowerCase() : canonicalMIMEHeaderKey(k);
      if (key === want) out.push(k);
    }
    return out;
  }

  get(name: string, match: Match = Match.Exact): string {
    for (const k of this.#names(name, match)) {
      const v = this.#map().get(k);
      if (v && v.length) return v[0];
    }
    return "";
  }

  last(name: string, match: Match = Match.Exact): string {
    const all = this.values(name, match);
    return all.length ? all[all.length - 1] : "";
  }

  values(name: string, match: Match = Match.Exact): string[] {
    const out: string[] = [];
    for (const k of this.#names(name, match)) out.push(...this.#map().get(k)!);
    return out;
  }

  has(name: string, match: Match = Match.Exact): boolean {
    return this.#names(name, match).length > 0;
  }

  set(name: string, value: string, match: Match = Match.Exact): void {
    this.delete(name, match);
    this.append(name, value, match);
  }

  append(name: string, value: string, match: Match = Match.Exact): void {
    checkName(name);
    const v = checkValue(value);
    const key = match === Match.CanonicalMIME ? canonicalMIMEHeaderKey(name) : name;
    const existing = this.#names(key, match)[0] ?? key;
    const m = this.#map();
    const list = m.get(existing);
    if (list) list.push(v);
    else m.set(existing, [v]);
  }

  delete(name: string, match: Match = Match.Exact): void {
    for (const k of this.#names(name, match)) this.#map().delete(k);
  }

  keys(): string[] {
    return [...this.#map().keys()];
  }

  [Symbol.iterator](): Iterator<[string, string[]]> {
    return this.#map()[Symbol.iterator]();
  }

  /** Encodes the block sent after `HPUB`: status line, fields, empty line. */
  encode(): Uint8Array {
    let s = "NATS/1.0";
    if (this.#code > 0) s += ` ${this.#code}${this.description ? ` ${this.description}` : ""}`;
    s += "\r\n";
    for (const [k, vs] of this.#map()) {
      for (const v of vs) s += `${k}: ${v}\r\n`;
    }
    return utf8Encoder.encode(s + "\r\n");
  }
}

/**
 * Creates an empty header set, optionally with a status code and description.
 *
 * @example
 * ```ts
 * import { headers } from "./headers.ts";
 * const h = headers();
 * h.append("Nats-Msg-Id", "order-1");
 * console.log(h.get("Nats-Msg-Id"));
 * ```
 */
export function headers(code = 0, description = ""): MsgHdrs {
  return new MsgHdrsImpl(code, description);
}

/**
 * Parses a header block (`NATS/1.0[ code[ description]]`, fields, empty line) from bytes, e.g. the
 * base64-decoded `hdrs` of a JetStream stored message. A block that is not a `NATS/1.0` block
 * gives empty headers. The bytes are kept and decoded only when a header is read.
 *
 * @example
 * ```ts
 * import { parseHeaderBlock } from "./headers.ts";
 * const h = parseHeaderBlock(new TextEncoder().encode("NATS/1.0 503\r\nA: 1\r\n\r\n"));
 * console.log(h.code, h.get("A")); // 503 "1"
 * ```
 */
export function parseHeaderBlock(raw: Uint8Array): MsgHdrs {
  const table = scanHeaderBlock(raw);
  return table ? MsgHdrsImpl.fromScan(raw, table) : new MsgHdrsImpl();
}
