/**
 * Message headers (ADR-4): a `NATS/1.0 [code [description]]` status line and ordered,
 * case-preserving, multi-value fields. Incoming headers are scanned by the WASM header scanner;
 * this class turns the offsets into strings only when a header is read.
 *
 * @module
 */
import { InvalidArgumentError } from "./errors.ts";
import { typeName, utf8Decoder, utf8Encoder } from "./encoding.ts";
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
  Exact: "exact",
  /** Names are compared in canonical MIME form (`content-type` → `Content-Type`). */
  CanonicalMIME: "canonical",
  /** Names are compared ignoring case. */
  IgnoreCase: "insensitive",
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
  /**
   * Replaces every value of `name` with `value`. Throws `InvalidArgumentError` (changing nothing)
   * unless `name` is printable ASCII without spaces or `:` and `value` a string without CR or LF.
   */
  set(name: string, value: string, match?: Match): void;
  /** Adds `value` to `name`; throws `InvalidArgumentError` as {@link MsgHdrs.set} does. */
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
  if (typeof name !== "string") throw new InvalidArgumentError(`header name must be a string; got ${typeName(name)}`);
  if (name.length === 0) throw new InvalidArgumentError("header name is empty");
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    // printable ASCII except ':' (as nats.js and the server's header parser accept)
    if (c <= 0x20 || c >= 0x7f || c === 0x3a) {
      throw new InvalidArgumentError(
        `invalid header name ${JSON.stringify(name)}: printable ASCII without spaces or ':' only`,
      );
    }
  }
}

/** The value to store (trimmed); the error never shows the value, which may be a credential. */
function checkValue(name: string, value: string): string {
  if (typeof value !== "string") {
    throw new InvalidArgumentError(`value of header '${name}' must be a string; got ${typeName(value)}`);
  }
  if (/[\r\n]/.test(value)) throw new InvalidArgumentError(`value of header '${name}' cannot contain CR or LF`);
  return value.trim();
}

/**
 * Validates a status line to send: `code` 0 (no status) or an integer from 100 to 999,
 * `description` (only with a code) free of control characters, so that it cannot end the line.
 */
function checkStatus(code: number, description: string): void {
  if (!Number.isInteger(code) || (code !== 0 && (code < 100 || code > 999))) {
    const got = typeof code === "number" ? String(code) : typeName(code);
    throw new InvalidArgumentError(`status code must be an integer from 100 to 999 (or 0 for none); got ${got}`);
  }
  if (typeof description !== "string") {
    throw new InvalidArgumentError(`status description must be a string; got ${typeName(description)}`);
  }
  if (description.length === 0) return;
  if (code === 0) throw new InvalidArgumentError("a status description needs a status code");
  for (let i = 0; i < description.length; i++) {
    const c = description.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) {
      throw new InvalidArgumentError("status description cannot contain CR, LF or other control characters");
    }
  }
}

/**
 * The implementation of {@link MsgHdrs}; holds either parsed fields or raw bytes plus offsets.
 * Every header set the client makes or receives is one, so nats.js code that casts to it for
 * {@link MsgHdrsImpl.toRecord}, {@link MsgHdrsImpl.fromRecord} or {@link MsgHdrsImpl.equals} works.
 *
 * @example
 * ```ts
 * import { headers, MsgHdrsImpl } from "./headers.ts";
 * const h = headers();
 * h.append("A", "1");
 * const copy = MsgHdrsImpl.fromRecord((h as MsgHdrsImpl).toRecord());
 * console.log((h as MsgHdrsImpl).equals(copy)); // true
 * ```
 */
export class MsgHdrsImpl implements MsgHdrs {
  #fields: Map<string, string[]> | undefined;
  #raw: Uint8Array | undefined;
  #table: Int32Array | undefined;
  #code: number;
  #description: string;

  /** Creates headers with an optional status; throws `InvalidArgumentError` for a bad one. */
  constructor(code = 0, description = "") {
    checkStatus(code, description);
    this.#code = code;
    this.#description = description;
    this.#fields = new Map();
  }

  /** Headers backed by a received block and the scanner's table (decoded on first use). */
  static fromScan(raw: Uint8Array, table: Int32Array): MsgHdrsImpl {
    const h = new MsgHdrsImpl();
    h.#code = table[0];
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
    this.#description = this.description; // read from the raw block before it is dropped
    this.#raw = undefined;
    return m;
  }

  /** The status code (0 when none). */
  get code(): number {
    return this.#code;
  }

  /** The status description. */
  get description(): string {
    if (this.#raw && this.#table && this.#table[2] > 0) {
      const t = this.#table;
      this.#description = utf8Decoder.decode(this.#raw.subarray(t[1], t[1] + t[2]));
    }
    return this.#description;
  }

  /** True when the status code is 300 or more. */
  get hasError(): boolean {
    return this.#code >= 300;
  }

  /** `"<code> <description>"`, or an empty string when there is no status. */
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

  /** The names present that match `name` under `match` (default {@link Match.Exact}). */
  findKeys(name: string, match: Match = Match.Exact): string[] {
    return this.#names(name, match);
  }

  /** The first value of `name`, or an empty string. */
  get(name: string, match: Match = Match.Exact): string {
    for (const k of this.#names(name, match)) {
      const v = this.#map().get(k);
      if (v && v.length) return v[0];
    }
    return "";
  }

  /** The last value of `name`, or an empty string. */
  last(name: string, match: Match = Match.Exact): string {
    const all = this.values(name, match);
    return all.length ? all[all.length - 1] : "";
  }

  /** Every value of `name`. */
  values(name: string, match: Match = Match.Exact): string[] {
    const out: string[] = [];
    for (const k of this.#names(name, match)) out.push(...this.#map().get(k)!);
    return out;
  }

  /** True when `name` is present. */
  has(name: string, match: Match = Match.Exact): boolean {
    return this.#names(name, match).length > 0;
  }

  /** Replaces every value of `name` with `value` (see {@link MsgHdrs.set} for the checks). */
  set(name: string, value: string, match: Match = Match.Exact): void {
    checkName(name);
    const v = checkValue(name, value);
    this.delete(name, match);
    this.#add(name, v, match);
  }

  /** Adds `value` to `name` (see {@link MsgHdrs.set} for the checks). */
  append(name: string, value: string, match: Match = Match.Exact): void {
    checkName(name);
    this.#add(name, checkValue(name, value), match);
  }

  /** Adds the validated value `v` to `name`. */
  #add(name: string, v: string, match: Match): void {
    const key = match === Match.CanonicalMIME ? canonicalMIMEHeaderKey(name) : name;
    const existing = this.#names(key, match)[0] ?? key;
    const m = this.#map();
    const list = m.get(existing);
    if (list) list.push(v);
    else m.set(existing, [v]);
  }

  /** Removes `name`. */
  delete(name: string, match: Match = Match.Exact): void {
    for (const k of this.#names(name, match)) this.#map().delete(k);
  }

  /** The names present, in order. */
  keys(): string[] {
    return [...this.#map().keys()];
  }

  /** How many names are present. */
  size(): number {
    return this.#map().size;
  }

  /**
   * True when `other` has the same status code and the same names, each with the same values
   * (in any order).
   */
  equals(other: MsgHdrs): boolean {
    if (!other || other.code !== this.#code || other.keys().length !== this.size()) return false;
    for (const [name, values] of this.#map()) {
      const theirs = other.values(name);
      if (theirs.length !== values.length) return false;
      const a = [...values].sort();
      const b = [...theirs].sort();
      if (a.some((v, i) => v !== b[i])) return false;
    }
    return true;
  }

  /** The names and their values as a plain object. */
  toRecord(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [name, values] of this.#map()) out[name] = [...values];
    return out;
  }

  /**
   * Headers holding the names and values of `r` (a value that is not an array is one value, as a
   * string). Throws `InvalidArgumentError` for a name or value {@link MsgHdrs.set} refuses.
   */
  static fromRecord(r: Record<string, string[]>): MsgHdrs {
    const h = new MsgHdrsImpl();
    for (const [name, values] of Object.entries(r)) {
      for (const v of Array.isArray(values) ? values : [`${values}`]) h.append(name, v);
    }
    return h;
  }

  /** Parses a header block, as {@link parseHeaderBlock} does. */
  static decode(a: Uint8Array): MsgHdrsImpl {
    const table = scanHeaderBlock(a);
    return table ? MsgHdrsImpl.fromScan(a, table) : new MsgHdrsImpl();
  }

  /** `v` trimmed, as it would be stored; throws `InvalidArgumentError` when it holds CR or LF. */
  static validHeaderValue(v: string): string {
    return checkValue("header", v);
  }

  /** Iterates `[name, values]` in insertion order. */
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

  /** The encoded block as text, or an empty string when there is no status and no header. */
  toString(): string {
    return this.#code === 0 && this.size() === 0 ? "" : utf8Decoder.decode(this.encode());
  }
}

/**
 * `h` as headers this client can encode: itself when it was made here (by {@link headers} or
 * received), else a validated copy of another {@link MsgHdrs} (another copy of this library).
 * Throws `InvalidArgumentError` for anything else, such as a plain object of names and values.
 *
 * @example
 * ```ts ignore
 * const block = toHeaders(opts.headers).encode();
 * ```
 */
export function toHeaders(h: MsgHdrs): MsgHdrsImpl {
  if (h instanceof MsgHdrsImpl) return h;
  if (
    typeof h !== "object" || h === null || typeof h[Symbol.iterator] !== "function" || typeof h.code !== "number"
  ) {
    throw new InvalidArgumentError(`headers must be made by headers(); got ${typeName(h)}`);
  }
  const copy = new MsgHdrsImpl(h.code, h.description);
  for (const [name, values] of h) {
    if (!Array.isArray(values)) throw new InvalidArgumentError(`values of header '${name}' must be an array`);
    for (const v of values) copy.append(name, v);
  }
  return copy;
}

/**
 * Creates an empty header set, optionally with a status code and description.
 * Throws `InvalidArgumentError` unless `code` is 0 (no status) or an integer from 100 to 999 and
 * `description` (which needs a code) is free of CR, LF and other control characters.
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
  return MsgHdrsImpl.decode(raw);
}
