/**
 * Chunked download: an ordered consumer filtered on the object's chunk subject streams the
 * chunks (a bounded number held at a time), each hashed as it passes; at the end the size, chunk
 * count and digest are checked against the info.
 *
 * @module
 */
import { deferred } from "../src/encoding.ts";
import type { ConsumerMessages, JsApi, JsMsg } from "../jetstream/mod.ts";
import { OrderedConsumer } from "../jetstream/mod.ts";
import { createSha256 } from "./hash.ts";
import { formatDigest } from "./codec.ts";
import { DigestMismatchError, ObjectSizeMismatchError } from "./errors.ts";
import type { ObjectInfo, ObjectResult } from "./types.ts";

/** Bytes of chunks the consumer may hold (requested plus buffered) at once. */
const HOLD_BYTES = 4 * 1024 * 1024;
/**
 * Milliseconds between the server's heartbeats: a consumer lost with its server is noticed (and
 * the ordered consumer recreated) after two of them.
 */
const HEARTBEAT_MS = 5000;
/**
 * Milliseconds to wait for the next chunk once the consumer said none was left: a consumer on a
 * replica still catching up sees the chunks a moment later.
 */
const CATCH_UP_MS = 2000;

/** The next item of `it`, or undefined when none comes within `ms`. */
async function nextWithin<T>(it: AsyncIterator<T>, ms: number): Promise<IteratorResult<T> | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => timer = setTimeout(() => resolve(undefined), ms));
  try {
    return await Promise.race([it.next(), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A download that has started: its result, and whether the stream holds fewer chunks than the info says. */
export interface Download {
  /** The content and the outcome of its checks. */
  result: ObjectResult;
  /** True when chunks are missing: `result` fails with an `ObjectSizeMismatchError`. */
  missing: boolean;
}

/**
 * Reads the content of `info` (a regular object, not a link) from `stream`. Resolves once the
 * consumer is set up and the chunks available are counted; a failure to set it up is reported
 * by the result's content and `error`, not by a rejection.
 *
 * @example
 * ```ts ignore
 * const { result } = await download(js.api, "OBJ_files", `$O.files.C.${info.nuid}`, info);
 * for await (const chunk of result.data) console.log(chunk.length);
 * ```
 */
export async function download(api: JsApi, stream: string, chunkSubject: string, info: ObjectInfo): Promise<Download> {
  const hash = createSha256();
  const { promise: error, resolve: settle } = deferred<Error | null>();
  let size = 0;
  let chunks = 0;
  let oc: OrderedConsumer | undefined;
  let messages: ConsumerMessages | undefined;
  let it: AsyncIterator<JsMsg> | undefined;

  const sizeError = (available: number): Error =>
    new ObjectSizeMismatchError(info.bucket, info.name, { chunks: info.chunks, size: info.size }, {
      chunks: available,
      size,
    });

  // the content is complete: compare it with the info
  const verify = (): Error | null => {
    if (chunks !== info.chunks || size !== info.size) return sizeError(chunks);
    const digest = formatDigest(hash.digest());
    if (info.digest && digest !== info.digest) {
      return new DigestMismatchError(info.bucket, info.name, info.digest, digest);
    }
    return null;
  };

  const cleanup = async (): Promise<void> => {
    await messages?.close();
    await oc?.delete().catch(() => false);
  };

  const fail = async (controller: ReadableStreamDefaultController<Uint8Array>, err: Error): Promise<void> => {
    await cleanup();
    settle(err);
    controller.error(err);
  };

  let available = 0;
  let setupError: Error | undefined;
  if (info.chunks > 0) {
    try {
      const chunkSize = info.options?.max_chunk_size || Math.ceil(info.size / info.chunks) || 1;
      const hold = Math.max(4, Math.min(256, Math.floor(HOLD_BYTES / chunkSize)));
      oc = new OrderedConsumer(api, stream, { filter_subjects: chunkSubject });
      messages = await oc.consume({ max_messages: hold, idle_heartbeat: HEARTBEAT_MS });
      available = (await oc.info(true)).num_pending;
      it = messages[Symbol.asyncIterator]();
    } catch (err) {
      setupError = err as Error;
    }
  }
  const missing = !setupError && available < info.chunks;
  // the consumer said no chunk was left after the last one read
  let drained = false;

  const data = new ReadableStream<Uint8Array>({
    start: (controller) => {
      if (info.chunks === 0) {
        const err = verify();
        if (err) return fail(controller, err);
        settle(null);
        return controller.close();
      }
      if (setupError) return fail(controller, setupError);
      if (missing) return fail(controller, sizeError(available));
    },
    pull: async (controller) => {
      try {
        const r = drained ? await nextWithin(it!, CATCH_UP_MS) : await it!.next();
        if (!r || r.done) return fail(controller, sizeError(chunks));
        const m = r.value;
        hash.update(m.data);
        size += m.data.length;
        chunks++;
        controller.enqueue(m.data);
        if (chunks === info.chunks) {
          await cleanup();
          const err = verify();
          if (err) return fail(controller, err);
          settle(null);
          controller.close();
        } else drained = m.info.pending === 0;
      } catch (err) {
        return fail(controller, err as Error);
      }
    },
    cancel: async () => {
      await cleanup();
      settle(null);
    },
  }, { highWaterMark: 1 });
  return { result: { info, data, error }, missing };
}
