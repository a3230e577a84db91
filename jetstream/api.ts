/**
 * The JetStream API transport: JSON requests on `<prefix>.<verb…>` with typed errors.
 *
 * @module
 */
import { contextOf } from "../src/context.ts";
import { InvalidArgumentError, type NatsConnection, NoRespondersError } from "../src/core.ts";
import type { MsgHdrs } from "../src/core.ts";
import {
  bool,
  checkOptions,
  describeValue,
  ms,
  type OptionRule,
  type OptionRules,
  withDefaults,
} from "../src/option_check.ts";
import { subjectProblem } from "../src/validate.ts";
import type { ApiResponse } from "./api_types.ts";
import { JetStreamApiError, JetStreamNotEnabledError, JsApiCodes } from "./errors.ts";
import { ServerFeatures } from "./features.ts";
import { headersRule } from "./option_rules.ts";

/** Options shared by `jetstream()` and `jetstreamManager()`. */
export interface JetStreamOptions {
  /** A custom API prefix (e.g. an import from another account); default `$JS.API`. */
  apiPrefix?: string;
  /** A JetStream domain: the prefix becomes `$JS.<domain>.API`. */
  domain?: string;
  /** Milliseconds to wait for an API reply (default 5000). */
  timeout?: number;
  /**
   * Whether a manager made with these options first checks that JetStream answers
   * (`$JS.API.INFO`): `false` skips the check; `true` also makes `Kvm.open()` reject when
   * JetStream does not answer (as nats.js). Default: managers check, `open()` does not.
   */
  checkAPI?: boolean;
}

/** A string that `make` turns into a subject prefix without wildcards. */
function prefixRule(make: (v: string) => string): OptionRule {
  return (v, label) => {
    if (typeof v !== "string") throw new InvalidArgumentError(`${label} must be a string, got ${describeValue(v)}`);
    const why = subjectProblem(make(v), false);
    if (why) throw new InvalidArgumentError(`${label} does not make a valid subject prefix: ${why}`);
  };
}

/** The rules of {@link JetStreamOptions}. */
export const jetStreamOptionsRules: OptionRules = {
  apiPrefix: prefixRule((p) => p.replace(/\.+$/, "")),
  domain: prefixRule((d) => `$JS.${d}.API`),
  timeout: ms(1),
  checkAPI: bool,
};

/** Default API timeout in milliseconds. */
export const DEFAULT_API_TIMEOUT = 5000;

/**
 * Resolves the API prefix from the options (trailing dots removed).
 *
 * @example
 * ```ts
 * import { apiPrefix } from "./api.ts";
 * console.log(apiPrefix({ domain: "hub" })); // "$JS.hub.API"
 * ```
 */
export function apiPrefix(opts: JetStreamOptions = {}): string {
  if (opts.domain && opts.apiPrefix) throw new InvalidArgumentError("domain and apiPrefix exclude each other");
  if (opts.domain) return `$JS.${opts.domain}.API`;
  const p = (opts.apiPrefix ?? "$JS.API").replace(/\.+$/, "");
  if (!p) throw new InvalidArgumentError("apiPrefix must not be empty");
  return p;
}

/** Per-call options of {@link JsApi.request}. */
export interface ApiCallOptions {
  /** Milliseconds to wait. */
  timeout?: number;
  /** Headers to send. */
  headers?: MsgHdrs;
}

/** The rules of {@link ApiCallOptions}. */
export const apiCallRules: OptionRules = { timeout: ms(1), headers: headersRule };

/** A JetStream API client bound to one connection and prefix. */
export class JsApi {
  /** The connection. */
  readonly nc: NatsConnection;
  /** The API prefix (`$JS.API`, `$JS.<domain>.API` or custom). */
  readonly prefix: string;
  /** Default timeout in ms. */
  readonly timeout: number;
  /** The options given. */
  readonly opts: JetStreamOptions;
  #features: ServerFeatures | undefined;

  /** Creates the client; throws `InvalidArgumentError` for bad options (see {@link jetStreamOptionsRules}). */
  constructor(nc: NatsConnection, opts: JetStreamOptions = {}) {
    checkOptions("jetstream", opts, jetStreamOptionsRules);
    // a connection made from a nats CLI context brings its JetStream domain or API prefix
    const fromContext = opts.domain === undefined && opts.apiPrefix === undefined
      ? contextOf(nc)?.jetstream
      : undefined;
    if (fromContext) opts = withDefaults(fromContext, opts);
    this.nc = nc;
    this.opts = { ...opts };
    this.prefix = apiPrefix(opts);
    this.timeout = opts.timeout ?? DEFAULT_API_TIMEOUT;
  }

  /** Features of the server connected to (re-read when the server changes). */
  get features(): ServerFeatures {
    const v = this.nc.info?.version;
    if (!this.#features || this.#features.version !== (v ?? "unknown")) {
      this.#features = new ServerFeatures(v, this.nc.info?.api_lvl);
    }
    return this.#features;
  }

  /**
   * Sends `body` (JSON, or nothing) to `<prefix>.<subject>` and returns the parsed answer.
   * Throws {@link JetStreamApiError} when the answer has an error, {@link JetStreamNotEnabledError}
   * when nobody answers.
   */
  async request<T>(subject: string, body?: unknown, opts?: ApiCallOptions): Promise<T> {
    if (opts !== undefined) checkOptions("JetStream API call", opts, apiCallRules);
    const full = `${this.prefix}.${subject}`;
    const payload = body === undefined ? "" : JSON.stringify(body);
    let msg;
    try {
      msg = await this.nc.request(full, payload, { timeout: opts?.timeout ?? this.timeout, headers: opts?.headers });
    } catch (err) {
      if (err instanceof NoRespondersError) throw new JetStreamNotEnabledError(full, { cause: err });
      throw err;
    }
    return parseApiResponse<T>(msg.data, full);
  }
}

const decoder = new TextDecoder();

/** Parses an API answer; throws its error as a typed error. */
export function parseApiResponse<T>(data: Uint8Array, subject: string): T {
  const r = JSON.parse(decoder.decode(data)) as ApiResponse;
  if (r.error) {
    const ec = r.error.err_code;
    if (ec === JsApiCodes.JetStreamNotEnabled || ec === JsApiCodes.JetStreamNotEnabledForAccount) {
      throw new JetStreamNotEnabledError(subject, { cause: new JetStreamApiError(r.error) });
    }
    throw new JetStreamApiError(r.error);
  }
  return r as T;
}
