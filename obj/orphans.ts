/**
 * Finding and purging orphaned chunks: chunk subjects (`$O.<bucket>.C.<nuid>`) that no live info
 * points at, as left by a put or a delete whose clean-up could not run.
 *
 * @module
 */
import { InvalidArgumentError } from "../src/core.ts";
import type { JetStreamManager, JsApi } from "../jetstream/mod.ts";
import type { subjects } from "./codec.ts";
import { readAllInfos } from "./watch.ts";

/** Options of `ObjectStore.collectOrphans()`. */
export interface CollectOrphansOptions {
  /**
   * Leave alone chunk subjects whose newest chunk is younger than this many milliseconds: they may
   * belong to a put still uploading (default 60 000; the age is taken against this machine's clock).
   */
  minAge?: number;
}

/** The chunks of one orphaned chunk subject, purged. */
export interface OrphanedChunks {
  /** The nuid the chunks were stored under. */
  nuid: string;
  /** Their subject, `$O.<bucket>.C.<nuid>`. */
  subject: string;
  /** Chunk messages purged. */
  purged: number;
}

/**
 * Purges the chunk subjects of `stream` that no live (not deleted) info points at and whose newest
 * chunk is at least `minAge` old; returns what it purged, by subject.
 *
 * @example
 * ```ts ignore
 * const removed = await collectOrphans(js.api, jsm, "OBJ_files", subjects("files"), { minAge: 0 });
 * ```
 */
export async function collectOrphans(
  api: JsApi,
  jsm: JetStreamManager,
  stream: string,
  s: ReturnType<typeof subjects>,
  opts: CollectOrphansOptions = {},
): Promise<OrphanedChunks[]> {
  const minAge = opts.minAge ?? 60_000;
  if (typeof minAge !== "number" || !(minAge >= 0)) {
    throw new InvalidArgumentError(`minAge must be a number of milliseconds >= 0, got ${minAge}`);
  }
  // chunk subjects first, infos second: a put that stores its info in between counts as live
  const si = await jsm.streams.info(stream, { subjects_filter: s.allChunks });
  const chunkSubjects = Object.keys(si.state.subjects ?? {}).sort();
  if (chunkSubjects.length === 0) return [];
  const live = new Set<string>();
  for (const info of await readAllInfos(api, stream, s.allMeta)) {
    if (!info.deleted) live.add(info.nuid);
  }
  const prefix = s.chunks("");
  const out: OrphanedChunks[] = [];
  for (const subject of chunkSubjects) {
    const nuid = subject.slice(prefix.length);
    if (live.has(nuid)) continue;
    if (minAge > 0) {
      const last = await jsm.streams.getMessage(stream, { last_by_subj: subject });
      if (!last || Date.now() - Date.parse(last.timestamp) < minAge) continue;
    }
    const r = await jsm.streams.purge(stream, { filter: subject });
    out.push({ nuid, subject, purged: r.purged });
  }
  return out;
}
