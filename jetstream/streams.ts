/**
 * Stream management: create, update, info, list, purge, delete, message get/delete, stream objects.
 *
 * @module
 */
import { InvalidArgumentError } from "../src/core.ts";
import { checkSubjectList } from "../src/validate.ts";
import type { JsApi } from "./api.ts";
import { JetStreamApiError, JsApiCodes } from "./errors.ts";
import { Feature } from "./features.ts";
import { Lister } from "./lister.ts";
import { type ApiStoredMessage, storedFromApi, type StoredMsg } from "./stored_msg.ts";
import { Stream } from "./stream.ts";
import {
  type PurgeOpts,
  type PurgeResponse,
  purgeRules,
  type StreamConfig,
  type StreamInfo,
  type StreamInfoRequestOptions,
  streamInfoRequestRules,
} from "./stream_types.ts";
import { bool, checkOptions, int, obj, type OptionRules, subject } from "../src/option_check.ts";
import { validateName } from "./util.ts";

/** Which message `getMessage` reads: by sequence, the last of a subject, or the next of a subject. */
export type MsgRequest =
  | { seq: number }
  | { last_by_subj: string }
  | { next_by_subj: string; seq?: number };

/** The rules of {@link MsgRequest}. */
const msgRequestRules: OptionRules = { seq: int(0), last_by_subj: subject(true), next_by_subj: subject(true) };

/**
 * Checks a {@link MsgRequest} (also the shape of a direct get): `seq` (at least 1) alone,
 * `last_by_subj` alone, or `next_by_subj` with an optional start `seq`. Throws `InvalidArgumentError`.
 */
export function checkMsgRequest(what: string, query: MsgRequest): void {
  if (query === undefined) throw new InvalidArgumentError(`${what} needs a query ({ seq } or { last_by_subj } …)`);
  const q = checkOptions(
    what,
    query as Partial<{ seq: number; last_by_subj: string; next_by_subj: string }>,
    msgRequestRules,
  );
  if (q.last_by_subj !== undefined) {
    if (q.seq !== undefined || q.next_by_subj !== undefined) {
      throw new InvalidArgumentError(`${what} option 'last_by_subj' excludes 'seq' and 'next_by_subj'`);
    }
  } else if (q.next_by_subj === undefined) {
    if (q.seq === undefined) throw new InvalidArgumentError(`${what} needs 'seq', 'last_by_subj' or 'next_by_subj'`);
    if (q.seq < 1) throw new InvalidArgumentError(`${what} option 'seq' must be at least 1, got ${q.seq}`);
  }
}

/** Checks that the connected server knows every field used in `cfg`. */
function checkStreamFeatures(api: JsApi, cfg: Partial<StreamConfig>): void {
  const f = api.features;
  if (cfg.compression || cfg.first_seq || cfg.subject_transform || cfg.metadata || cfg.consumer_limits) {
    f.require(Feature.Stream210);
  }
  if (cfg.allow_msg_ttl || cfg.subject_delete_marker_ttl) f.require(Feature.MessageTTL);
  if (cfg.allow_msg_counter || cfg.allow_atomic || cfg.allow_msg_schedules || cfg.persist_mode) {
    f.require(Feature.Stream212);
  }
  if (cfg.allow_batched) f.require(Feature.FastBatch);
}

/** Turns the client-side `domain` shortcut of a source into `external`. */
function fixSources(cfg: Partial<StreamConfig>): Partial<StreamConfig> {
  const out = { ...cfg };
  const fix = (s: NonNullable<StreamConfig["mirror"]>) => {
    if (!s.domain) return s;
    const { domain, ...rest } = s;
    return { ...rest, external: { api: `$JS.${domain}.API` } };
  };
  if (out.mirror) out.mirror = fix(out.mirror);
  if (out.sources) out.sources = out.sources.map(fix);
  return out;
}

/** Throws `InvalidArgumentError` unless `filter` is undefined or a subject (wildcards allowed). */
function checkFilter(what: string, filter: string | undefined): void {
  if (filter !== undefined) subject(true)(filter, `${what} subject`);
}

/**
 * Stream management, reached as `jsm.streams`.
 *
 * @example
 * ```ts ignore
 * await jsm.streams.add({ name: "ORDERS", subjects: ["orders.>"], storage: StorageType.Memory });
 * const si = await jsm.streams.info("ORDERS");
 * console.log(si.state.messages);
 * ```
 */
export class StreamAPI {
  readonly #api: JsApi;

  /** Creates the API over `api`. */
  constructor(api: JsApi) {
    this.#api = api;
  }

  /** Creates a stream (succeeds if an identical one exists). */
  async add(cfg: StreamConfig): Promise<StreamInfo> {
    obj(cfg, "stream config");
    validateName("stream", cfg.name);
    checkSubjectList(cfg.subjects, "stream subject");
    checkStreamFeatures(this.#api, cfg);
    const si = await this.#api.request<StreamInfo & { did_create?: boolean }>(
      `STREAM.CREATE.${cfg.name}`,
      fixSources(cfg),
    );
    delete (si as { type?: string }).type;
    return si;
  }

  /** Changes a stream's configuration: `cfg` is merged over the current one. */
  async update(name: string, cfg: Partial<StreamConfig> = {}): Promise<StreamInfo> {
    validateName("stream", name);
    obj(cfg, "stream config");
    if (cfg.name && cfg.name !== name) throw new InvalidArgumentError(`config name '${cfg.name}' is not '${name}'`);
    checkSubjectList(cfg.subjects, "stream subject");
    checkStreamFeatures(this.#api, cfg);
    const current = await this.info(name);
    const merged = { ...current.config, ...fixSources(cfg), name };
    return this.#api.request<StreamInfo>(`STREAM.UPDATE.${name}`, merged);
  }

  /** A stream's configuration and state. */
  async info(name: string, opts: StreamInfoRequestOptions = {}): Promise<StreamInfo> {
    validateName("stream", name);
    checkOptions("stream info", opts, streamInfoRequestRules);
    const body = opts.deleted_details || opts.subjects_filter ? { ...opts } : undefined;
    const si = await this.#api.request<StreamInfo & { total?: number; offset?: number; limit?: number }>(
      `STREAM.INFO.${name}`,
      body,
    );
    // the subject map is paged: read the remaining pages
    let offset = si.state.subjects ? Object.keys(si.state.subjects).length : 0;
    while (opts.subjects_filter && si.total !== undefined && offset < si.total) {
      const more = await this.#api.request<StreamInfo>(`STREAM.INFO.${name}`, { ...opts, offset });
      const subjects = more.state.subjects ?? {};
      const n = Object.keys(subjects).length;
      if (n === 0) break;
      Object.assign(si.state.subjects!, subjects);
      offset += n;
    }
    delete si.total, delete si.offset, delete si.limit;
    delete (si as { type?: string }).type;
    return si;
  }

  /** The named stream as an object; rejects with the stream-not-found `JetStreamApiError` when it does not exist. */
  get(name: string): Promise<Stream> {
    return Stream.get(this.#api, name);
  }

  /** Deletes a stream; true on success. */
  async delete(name: string): Promise<boolean> {
    validateName("stream", name);
    const r = await this.#api.request<{ success: boolean }>(`STREAM.DELETE.${name}`);
    return r.success;
  }

  /** Every stream (optionally only those storing `subject`), paging through all pages. */
  list(subject?: string): Lister<StreamInfo> {
    checkFilter("stream list", subject);
    return new Lister(
      this.#api,
      "STREAM.LIST",
      subject ? { subject } : {},
      (r) => (r as { streams?: StreamInfo[] }).streams,
    );
  }

  /** Every stream name (optionally only those storing `subject`). */
  names(subject?: string): Lister<string> {
    checkFilter("stream names", subject);
    return new Lister(
      this.#api,
      "STREAM.NAMES",
      subject ? { subject } : {},
      (r) => (r as { streams?: string[] }).streams,
    );
  }

  /** The name of the stream that stores `subject`. */
  async find(subject: string): Promise<string> {
    if (subject === undefined) throw new InvalidArgumentError("stream find needs a subject");
    const r = await this.names(subject).next();
    if (r.length !== 1) {
      throw new JetStreamApiError({
        code: 404,
        err_code: JsApiCodes.StreamNotFound,
        description: `no stream matches subject '${subject}'`,
      });
    }
    return r[0];
  }

  /** Purges messages: all, by `filter`, below `seq`, or all but the newest `keep`. */
  async purge(name: string, opts: PurgeOpts = {}): Promise<PurgeResponse> {
    validateName("stream", name);
    checkOptions("purge", opts, purgeRules);
    if (opts.seq !== undefined && opts.keep !== undefined) {
      throw new InvalidArgumentError("purge seq and keep exclude each other");
    }
    const body = Object.keys(opts).length ? opts : undefined;
    const r = await this.#api.request<PurgeResponse>(`STREAM.PURGE.${name}`, body);
    return { success: r.success, purged: r.purged };
  }

  /** Deletes one message; `erase` (default) overwrites its data. */
  async deleteMessage(name: string, seq: number, erase = true): Promise<boolean> {
    validateName("stream", name);
    int(1)(seq, "deleteMessage sequence");
    bool(erase, "deleteMessage erase");
    const body = erase ? { seq } : { seq, no_erase: true };
    const r = await this.#api.request<{ success: boolean }>(`STREAM.MSG.DELETE.${name}`, body);
    return r.success;
  }

  /** Reads one message through the API (read-after-write consistent); null when there is none. */
  async getMessage(name: string, query: MsgRequest): Promise<StoredMsg | null> {
    validateName("stream", name);
    checkMsgRequest("getMessage", query);
    try {
      const r = await this.#api.request<{ message: ApiStoredMessage }>(`STREAM.MSG.GET.${name}`, query);
      return storedFromApi(r.message);
    } catch (err) {
      if (err instanceof JetStreamApiError && err.is(JsApiCodes.NoMessageFound)) return null;
      throw err;
    }
  }
}
