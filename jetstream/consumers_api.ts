/**
 * Consumer management: create (with the 2.9+ named subjects and the 2.10+ action), update, info,
 * list, delete, pause/resume, unpin and reset.
 *
 * @module
 */
import { InvalidArgumentError } from "../src/core.ts";
import type { JsApi } from "./api.ts";
import type { ConsumerConfig, ConsumerInfo, ConsumerPauseResponse, ConsumerResetResponse } from "./consumer_types.ts";
import { Feature } from "./features.ts";
import { Lister } from "./lister.ts";
import { validateName } from "./util.ts";
import { bool, checkOptions, date, obj, oneOf, type OptionRules } from "../src/option_check.ts";
import type { ConsumerCreateOptions } from "./api_shapes.ts";

const GROUP_NAME = /^[A-Za-z0-9/_=-]{1,16}$/;

/** The rules of {@link ConsumerCreateOptions}. */
const createRules: OptionRules = { pedantic: bool };

/** Client-side checks of a consumer config against the rules and the server's version. */
export function checkConsumerConfig(api: JsApi, cfg: ConsumerConfig): void {
  if (cfg.name && cfg.durable_name && cfg.name !== cfg.durable_name) {
    throw new InvalidArgumentError(`consumer name '${cfg.name}' and durable_name '${cfg.durable_name}' differ`);
  }
  if (cfg.durable_name) validateName("durable", cfg.durable_name);
  if (cfg.name) validateName("consumer", cfg.name);
  if (cfg.deliver_group && (cfg.flow_control || cfg.idle_heartbeat)) {
    throw new InvalidArgumentError("deliver_group cannot be used with flow_control or idle_heartbeat");
  }
  if (cfg.filter_subject && cfg.filter_subjects?.length) {
    throw new InvalidArgumentError("filter_subject and filter_subjects exclude each other");
  }
  const f = api.features;
  if (cfg.filter_subjects?.length || cfg.metadata) f.require(Feature.Consumer210);
  if (cfg.pause_until) f.require(Feature.ConsumerPause);
  if (cfg.priority_groups?.length || (cfg.priority_policy && cfg.priority_policy !== "none")) {
    f.require(Feature.PriorityGroups);
    if (cfg.deliver_subject) throw new InvalidArgumentError("priority groups are for pull consumers only");
    for (const g of cfg.priority_groups ?? []) {
      if (!GROUP_NAME.test(g)) throw new InvalidArgumentError(`invalid priority group name '${g}'`);
    }
  }
}

/** The create subject and body for `cfg` on the connected server. */
function createRequest(
  api: JsApi,
  stream: string,
  cfg: ConsumerConfig,
  action: "create" | "update" | "",
): { subject: string; body: Record<string, unknown> } {
  const f = api.features;
  const name = cfg.name ?? cfg.durable_name;
  const body: Record<string, unknown> = { stream_name: stream, config: cfg };
  if (f.supports(Feature.Consumer210) && action) body.action = action;
  if (f.supports(Feature.ConsumerCreateSubject)) {
    if (!name || cfg.filter_subjects?.length) return { subject: `CONSUMER.CREATE.${stream}`, body };
    // A filter with wildcards cannot be part of a subject we publish to; the body carries it anyway.
    const f1 = cfg.filter_subject;
    const filter = f1 && !/(^|\.)[*>](\.|$)/.test(f1) ? `.${f1}` : "";
    return { subject: `CONSUMER.CREATE.${stream}.${name}${filter}`, body };
  }
  if (cfg.durable_name) return { subject: `CONSUMER.DURABLE.CREATE.${stream}.${cfg.durable_name}`, body };
  return { subject: `CONSUMER.CREATE.${stream}`, body };
}

function strip(ci: ConsumerInfo): ConsumerInfo {
  delete (ci as { type?: string }).type;
  return ci;
}

/**
 * Consumer management, reached as `jsm.consumers`.
 *
 * @example
 * ```ts ignore
 * await jsm.consumers.add("ORDERS", { durable_name: "worker", ack_policy: AckPolicy.Explicit });
 * const ci = await jsm.consumers.info("ORDERS", "worker");
 * console.log(ci.num_pending);
 * ```
 */
export class ConsumerAPI {
  readonly #api: JsApi;

  /** Creates the API over `api`. */
  constructor(api: JsApi) {
    this.#api = api;
  }

  /**
   * Creates a consumer (fails with err_code 10148 if one with another config exists). The third
   * argument is nats.js's {@link ConsumerCreateOptions} (`pedantic`: the server refuses settings it
   * would otherwise adjust) or an action (`"create"`, the default, `"update"`, or `""` for either).
   */
  async add(
    stream: string,
    cfg: ConsumerConfig,
    opts: "create" | "update" | "" | ConsumerCreateOptions = "create",
  ): Promise<ConsumerInfo> {
    validateName("stream", stream);
    obj(cfg, "consumer config");
    if (typeof opts === "string") oneOf("create", "update", "")(opts, "consumer add action");
    else checkOptions("consumer add", opts, createRules);
    checkConsumerConfig(this.#api, cfg);
    const { subject, body } = createRequest(this.#api, stream, cfg, typeof opts === "string" ? opts : "create");
    if (typeof opts !== "string" && opts.pedantic) body.pedantic = true;
    return strip(await this.#api.request<ConsumerInfo>(subject, body));
  }

  /** Changes a consumer: `cfg` is merged over its current configuration. */
  async update(stream: string, name: string, cfg: Partial<ConsumerConfig>): Promise<ConsumerInfo> {
    validateName("stream", stream);
    validateName("consumer", name);
    obj(cfg, "consumer config");
    const current = await this.info(stream, name);
    const merged: ConsumerConfig = { ...current.config, ...cfg };
    return this.add(stream, merged, "update");
  }

  /** A consumer's configuration and state. */
  async info(stream: string, name: string): Promise<ConsumerInfo> {
    validateName("stream", stream);
    validateName("consumer", name);
    return strip(await this.#api.request<ConsumerInfo>(`CONSUMER.INFO.${stream}.${name}`));
  }

  /** Deletes a consumer; true on success. */
  async delete(stream: string, name: string): Promise<boolean> {
    validateName("stream", stream);
    validateName("consumer", name);
    const r = await this.#api.request<{ success: boolean }>(`CONSUMER.DELETE.${stream}.${name}`);
    return r.success;
  }

  /** Every consumer of `stream`, paging through all pages. */
  list(stream: string): Lister<ConsumerInfo> {
    validateName("stream", stream);
    return new Lister(this.#api, `CONSUMER.LIST.${stream}`, {}, (r) => (r as { consumers?: ConsumerInfo[] }).consumers);
  }

  /** Every consumer name of `stream`. */
  names(stream: string): Lister<string> {
    validateName("stream", stream);
    return new Lister(this.#api, `CONSUMER.NAMES.${stream}`, {}, (r) => (r as { consumers?: string[] }).consumers);
  }

  /** Pauses a consumer until `until` (2.11+). */
  async pause(stream: string, name: string, until: Date): Promise<ConsumerPauseResponse> {
    this.#api.features.require(Feature.ConsumerPause);
    validateName("stream", stream);
    validateName("consumer", name);
    date(until, "pause until");
    const r = await this.#api.request<ConsumerPauseResponse>(`CONSUMER.PAUSE.${stream}.${name}`, {
      pause_until: until.toISOString(),
    });
    return { paused: r.paused, pause_until: r.pause_until, pause_remaining: r.pause_remaining };
  }

  /** Resumes a paused consumer (2.11+). */
  async resume(stream: string, name: string): Promise<ConsumerPauseResponse> {
    this.#api.features.require(Feature.ConsumerPause);
    validateName("stream", stream);
    validateName("consumer", name);
    const r = await this.#api.request<ConsumerPauseResponse>(`CONSUMER.PAUSE.${stream}.${name}`);
    return { paused: r.paused, pause_until: r.pause_until, pause_remaining: r.pause_remaining };
  }

  /** Unpins the pinned client of priority `group` (2.11+); the next pull gets pinned. */
  async unpin(stream: string, name: string, group: string): Promise<void> {
    this.#api.features.require(Feature.PriorityGroups);
    validateName("stream", stream);
    validateName("consumer", name);
    if (typeof group !== "string" || !GROUP_NAME.test(group)) {
      throw new InvalidArgumentError("unpin group must be a priority group name (1-16 of A-Z a-z 0-9 / _ = -)");
    }
    await this.#api.request(`CONSUMER.UNPIN.${stream}.${name}`, { group });
  }

  /**
   * Resets a consumer's delivery state (2.14+, ADR-60) without recreating it: pending acks and
   * redelivery state are dropped, the delivered sequence restarts at 1 and the next message has
   * stream sequence `seq` or later. Without `seq` (or with 0) it restarts after the ack floor.
   * A `seq` is allowed for `all`, `by_start_sequence` (not below `opt_start_seq`) and
   * `by_start_time` consumers (else `JsApiCodes.ConsumerInvalidReset`). Running `consume()` or
   * `fetch()` calls are not told: stop and restart them. Reads the consumer's info first, so a
   * missing consumer fails at once with `JsApiCodes.ConsumerNotFound`.
   */
  async reset(stream: string, name: string, seq?: number): Promise<ConsumerResetResponse> {
    this.#api.features.require(Feature.ConsumerReset);
    validateName("stream", stream);
    validateName("consumer", name);
    if (seq !== undefined && (!Number.isInteger(seq) || seq < 0)) {
      throw new InvalidArgumentError(`reset sequence must be a non-negative integer (got ${seq})`);
    }
    // The consumer's leader answers this subject itself, so nothing answers for a missing
    // consumer (the request would time out): ask the API first to fail fast with its not-found error.
    await this.info(stream, name);
    const body = seq === undefined ? undefined : { seq };
    const r = await this.#api.request<ConsumerResetResponse>(`CONSUMER.RESET.${stream}.${name}`, body);
    return strip(r) as ConsumerResetResponse;
  }
}
