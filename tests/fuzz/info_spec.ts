/**
 * What an INFO the client accepts must look like, restated for the fuzzer, and a generator of
 * INFO objects whose fields are each either right or wrong (so the expected verdict is known).
 */
import type { ServerInfo } from "../../src/connection/info.ts";
import type { Rng } from "./rng.ts";

/** The protocol default for a missing max_payload, and the largest one a client may accept. */
export const DEFAULT_MAX_PAYLOAD = 1 << 20;
/** nats-server cannot be configured above 64 MiB. */
export const LARGEST_MAX_PAYLOAD = 64 << 20;

type Kind = "string" | "boolean" | "count" | "port" | "strings" | "max_payload";

/** The fields the client reads, by kind. */
const FIELDS: Record<string, Kind> = {
  server_id: "string",
  server_name: "string",
  version: "string",
  go: "string",
  host: "string",
  nonce: "string",
  client_ip: "string",
  cluster: "string",
  domain: "string",
  headers: "boolean",
  auth_required: "boolean",
  tls_required: "boolean",
  tls_verify: "boolean",
  tls_available: "boolean",
  jetstream: "boolean",
  ldm: "boolean",
  proto: "count",
  client_id: "count",
  api_lvl: "count",
  port: "port",
  connect_urls: "strings",
  ws_connect_urls: "strings",
  max_payload: "max_payload",
};

function fits(kind: Kind, v: unknown): boolean {
  switch (kind) {
    case "string":
      return typeof v === "string";
    case "boolean":
      return typeof v === "boolean";
    case "count":
      return typeof v === "number" && Number.isInteger(v) && v >= 0;
    case "port":
      return typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 65535;
    case "strings":
      return Array.isArray(v) && v.every((s) => typeof s === "string");
    case "max_payload":
      return typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= LARGEST_MAX_PAYLOAD;
  }
}

/** What is wrong with an INFO that parseInfo accepted, or undefined. */
export function infoProblem(info: ServerInfo): string | undefined {
  if (typeof info !== "object" || info === null || Array.isArray(info)) return "not an object";
  for (const [name, kind] of Object.entries(FIELDS)) {
    const v = info[name];
    if (v !== undefined && !fits(kind, v)) return `field ${name} is ${JSON.stringify(v)}`;
  }
  if (info.max_payload === undefined) return "max_payload missing";
  return undefined;
}

const ODD_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e12,
  -0.5,
  65536,
  LARGEST_MAX_PAYLOAD + 1,
  "",
  "x",
  "4222",
  [],
  ["a"],
  [1],
  ["a", null],
  {},
  { a: 1 },
];

function goodValue(r: Rng, kind: Kind): unknown {
  switch (kind) {
    case "string":
      return r.pick(["", "x", "nats-server", "2.15.1", "é☃", "a\u0000b"]);
    case "boolean":
      return r.chance(0.5);
    case "count":
      return r.pick([0, 1, 7, 123456, 2 ** 40]);
    case "port":
      return r.pick([0, 1, 4222, 65535]);
    case "strings":
      return r.pick([[], ["127.0.0.1:4222"], ["a:1", "b:2", ""]]);
    case "max_payload":
      return r.pick([1, 1024, DEFAULT_MAX_PAYLOAD, 8 << 20, LARGEST_MAX_PAYLOAD]);
  }
}

/** An INFO text and whether the client must accept it (then `maxPayload` is what it must report). */
export interface InfoCase {
  text: string;
  valid: boolean;
  maxPayload: number;
}

/** A random INFO: usually an object with some known fields (right or wrong) and unknown ones. */
export function genInfo(r: Rng): InfoCase {
  if (r.chance(0.05)) {
    const top = r.pick<unknown>([null, 5, "x", [], [1, 2], true]);
    return { text: JSON.stringify(top), valid: false, maxPayload: 0 };
  }
  const obj: Record<string, unknown> = {};
  let valid = true;
  const wrongRate = r.pick([0, 0.02, 0.1]);
  for (const [name, kind] of Object.entries(FIELDS)) {
    if (r.chance(0.4)) continue;
    if (r.chance(wrongRate)) {
      const v = r.pick(ODD_VALUES);
      obj[name] = v;
      if (!fits(kind, v)) valid = false;
    } else obj[name] = goodValue(r, kind);
  }
  for (let i = r.int(3); i > 0; i--) obj[`x_${r.int(100)}`] = r.pick(ODD_VALUES);
  const mp = obj.max_payload;
  return { text: JSON.stringify(obj), valid, maxPayload: typeof mp === "number" ? mp : DEFAULT_MAX_PAYLOAD };
}
