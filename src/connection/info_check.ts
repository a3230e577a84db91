/**
 * The shape an INFO must have before the client acts on it: a JSON object whose known fields have
 * the types the client relies on, and a `max_payload` it can enforce.
 *
 * @module
 */
import { ProtocolError } from "../errors.ts";
import type { ServerInfo } from "./info.ts";

/** The protocol's default `max_payload` (1 MiB), used when an INFO does not state one. */
export const DEFAULT_MAX_PAYLOAD = 1024 * 1024;

/**
 * Largest `max_payload` accepted (64 MiB): the most nats-server can be configured with (its
 * `max_payload` may not exceed `max_pending`, 64 MiB by default, and the server warns above 8 MiB).
 * A larger value cannot be a real server's, and the read buffer (at most 128 MiB of WebAssembly
 * memory) must hold a whole message of that size next to a control line.
 */
export const MAX_MAX_PAYLOAD = 64 * 1024 * 1024;

/** A type test for one INFO field and the words for the error when it fails. */
type FieldRule = readonly [test: (v: unknown) => boolean, expected: string];

const STRING: FieldRule = [(v) => typeof v === "string", "a string"];
const BOOLEAN: FieldRule = [(v) => typeof v === "boolean", "a boolean"];
const COUNT: FieldRule = [(v) => Number.isInteger(v) && (v as number) >= 0, "a non-negative integer"];
const PORT: FieldRule = [(v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535, "a port number"];
const STRINGS: FieldRule = [
  (v) => Array.isArray(v) && v.every((s) => typeof s === "string"),
  "an array of strings",
];
const MAX_PAYLOAD: FieldRule = [
  (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= MAX_MAX_PAYLOAD,
  `an integer from 1 to ${MAX_MAX_PAYLOAD}`,
];

/** The fields of {@link ServerInfo} with a declared type; a field that is present must have it. */
const RULES: Readonly<Record<string, FieldRule>> = {
  server_id: STRING,
  server_name: STRING,
  version: STRING,
  go: STRING,
  host: STRING,
  port: PORT,
  proto: COUNT,
  headers: BOOLEAN,
  max_payload: MAX_PAYLOAD,
  auth_required: BOOLEAN,
  tls_required: BOOLEAN,
  tls_verify: BOOLEAN,
  tls_available: BOOLEAN,
  jetstream: BOOLEAN,
  nonce: STRING,
  client_id: COUNT,
  client_ip: STRING,
  cluster: STRING,
  domain: STRING,
  connect_urls: STRINGS,
  ws_connect_urls: STRINGS,
  ldm: BOOLEAN,
  api_lvl: COUNT,
};

/** Names the JSON type of `v` for an error message (never its content). */
function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "number") return Number.isFinite(v) && String(v).length <= 24 ? `${v}` : "a number";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

/**
 * Checks a parsed INFO and returns it as a {@link ServerInfo}, with `max_payload` set to
 * {@link DEFAULT_MAX_PAYLOAD} when it is missing. Unknown fields are kept as they are. Throws
 * `ProtocolError` when `value` is not a JSON object or a known field has the wrong type or range.
 *
 * @example
 * ```ts
 * import { checkInfo } from "./info_check.ts";
 * checkInfo({ server_id: "N1" }).max_payload; // 1048576
 * ```
 */
export function checkInfo(value: unknown): ServerInfo {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ProtocolError(`INFO is not a JSON object (got ${describe(value)})`);
  }
  const info = value as Record<string, unknown>;
  for (const name in RULES) {
    const v = info[name];
    if (v === undefined) continue;
    const [test, expected] = RULES[name];
    if (!test(v)) throw new ProtocolError(`INFO field '${name}' must be ${expected} (got ${describe(v)})`);
  }
  info.max_payload ??= DEFAULT_MAX_PAYLOAD;
  return info as ServerInfo;
}
