/**
 * Direct get (ADR-31): reads answered by any replica of a stream with `allow_direct`, without the
 * JSON API. Single messages on 2.9+; batches, `multi_last` and `start_time` on 2.11+.
 *
 * @module
 */
import type { Msg } from "../src/core.ts";
import type { JsApi } from "./api.ts";
import { JetStreamStatusError } from "./errors.ts";
import { Feature } from "./features.ts";
import type { StoredMsg } from "./stored_msg.ts";
import { storedFromDirect } from "./stored_msg.ts";
import { validateName } from "./util.ts";
import { checkMsgRequest } from "./streams.ts";
import { arrayOf, checkOptions, date, int, type OptionRules, subject } from "../src/option_check.ts";
import { InvalidArgumentError } from "../src/core.ts";

/** A single direct get: by sequence, the last of a subject, or the next of a subject from `seq`. */
export type DirectMsgRequest =
  | { seq: number }
  | { last_by_subj: string }
  | { next_by_subj: string; seq?: number };

/** A direct-get batch (2.11+): `batch` messages from `seq` or `start_time`, optionally of one subject. */
export interface DirectBatchOptions {
  /** Most messages to return. */
  batch: number;
  /** Start sequence (default 1). */
  seq?: number;
  /** Start time (instead of `seq`). */
  start_time?: Date;
  /** Only messages of this subject (wildcards allowed). */
  next_by_subj?: string;
  /** Byte budget. */
  max_bytes?: number;
}

/** The rules of {@link DirectBatchOptions}. */
export const directBatchRules: OptionRules = {
  batch: int(1),
  seq: int(1),
  start_time: date,
  next_by_subj: subject(true),
  max_bytes: int(1),
};

/** The last message of every subject matching `multi_last` (2.11+), optionally as of a point in time. */
export interface DirectLastForOptions {
  /** Subjects (wildcards allowed; at most 1024 matches). */
  multi_last: string[];
  /** Most messages to return. */
  batch?: number;
  /** Only messages up to this sequence. */
  up_to_seq?: number;
  /** Only messages up to this time. */
  up_to_time?: Date;
}

/** The rules of {@link DirectLastForOptions}. */
export const directLastForRules: OptionRules = {
  multi_last: arrayOf(subject(true)),
  batch: int(1),
  up_to_seq: int(1),
  up_to_time: date,
};

function statusOf(msg: Msg): number {
  return msg.data.length === 0 ? msg.headers?.code ?? 0 : 0;
}

/**
 * Direct reads, reached as `jsm.direct`.
 *
 * @example
 * ```ts ignore
 * const m = await jsm.direct.getMessage("ORDERS", { last_by_subj: "orders.1" });
 * for await (const sm of jsm.direct.getBatch("ORDERS", { batch: 10, seq: 1 })) console.log(sm.seq);
 * ```
 */
export class DirectStreamAPI {
  readonly #api: JsApi;

  /** Creates the API over `api`. */
  constructor(api: JsApi) {
    this.#api = api;
  }

  /** One message, or null when there is none. The stream must have `allow_direct`. */
  async getMessage(stream: string, query: DirectMsgRequest): Promise<StoredMsg | null> {
    validateName("stream", stream);
    checkMsgRequest("direct getMessage", query);
    this.#api.features.require(Feature.DirectGet);
    const onlyLast = "last_by_subj" in query && Object.keys(query).length === 1;
    const subject = onlyLast
      ? `${this.#api.prefix}.DIRECT.GET.${stream}.${(query as { last_by_subj: string }).last_by_subj}`
      : `${this.#api.prefix}.DIRECT.GET.${stream}`;
    const msg = await this.#api.nc.request(subject, onlyLast ? "" : JSON.stringify(query), {
      timeout: this.#api.timeout,
    });
    const code = statusOf(msg);
    if (code === 404) return null;
    if (code !== 0) throw new JetStreamStatusError(code, msg.headers?.description ?? "");
    return storedFromDirect(msg);
  }

  /** Up to `batch` messages, ending at the server's end-of-batch (204) marker. */
  getBatch(stream: string, opts: DirectBatchOptions): AsyncIterable<StoredMsg> {
    validateName("stream", stream);
    checkOptions("direct getBatch", opts, directBatchRules);
    if (opts?.batch === undefined) throw new InvalidArgumentError("direct getBatch needs 'batch'");
    if (opts.seq !== undefined && opts.start_time !== undefined) {
      throw new InvalidArgumentError("direct getBatch options 'seq' and 'start_time' exclude each other");
    }
    const { start_time, ...rest } = opts;
    const body: Record<string, unknown> = { ...rest };
    if (start_time) body.start_time = start_time.toISOString();
    else body.seq ??= 1;
    return this.#batch(stream, body);
  }

  /** The last message of each subject matching `multi_last`, ending at the 204 marker. */
  getLastMessagesFor(stream: string, opts: DirectLastForOptions): AsyncIterable<StoredMsg> {
    validateName("stream", stream);
    checkOptions("direct getLastMessagesFor", opts, directLastForRules);
    if (!opts?.multi_last?.length) {
      throw new InvalidArgumentError("direct getLastMessagesFor needs 'multi_last' with at least one subject");
    }
    const { up_to_time, ...rest } = opts;
    const body: Record<string, unknown> = { ...rest };
    if (up_to_time) body.up_to_time = up_to_time.toISOString();
    return this.#batch(stream, body);
  }

  async *#batch(stream: string, body: Record<string, unknown>): AsyncGenerator<StoredMsg> {
    this.#api.features.require(Feature.DirectBatch);
    const replies = await this.#api.nc.requestMany(`${this.#api.prefix}.DIRECT.GET.${stream}`, JSON.stringify(body), {
      maxWait: this.#api.timeout,
      sentinel: (m) => statusOf(m) === 204,
    });
    for await (const msg of replies) {
      const code = statusOf(msg);
      if (code === 404) return;
      if (code !== 0) throw new JetStreamStatusError(code, msg.headers?.description ?? "");
      const sm = storedFromDirect(msg);
      yield sm;
      // a server without batch support sends one message without Nats-Num-Pending
      if (sm.pending < 0) return;
    }
  }
}
