/**
 * Object store under faults: an R3 bucket, one worker putting ~1 MiB objects under four names in
 * turn and reading one back after each put. Checks:
 *
 * - every get returns the whole object with the digest of a version put under that name, or
 *   rejects with a typed error (a `NatsError`); a `DigestMismatchError` or
 *   `ObjectSizeMismatchError` is corruption, a violation (puts and gets never overlap here);
 * - every put resolves or rejects with a typed error;
 * - at the end, with every node back, before any `collectOrphans()`: every live object reads back
 *   whole with its digest, and the chunk subjects in the stream are exactly those of the live
 *   objects, with their chunk counts: the clean-up of failed puts (retried after reconnecting)
 *   left no orphan. `collectOrphans()` then runs and must find nothing.
 *
 * @module
 */
import { connect, type NatsConnection, NatsError } from "../../mod.ts";
import { type JetStreamManager, jetstreamManager } from "../../jetstream/mod.ts";
import { DigestMismatchError, ObjectSizeMismatchError, type ObjectStore, Objm } from "../../obj/mod.ts";
import { connectOptions, errorName, type Report, retrying, type Rng, sleep, until, type Workload } from "./common.ts";

const BUCKET = "soakobj";
const NAMES = ["o0", "o1", "o2", "o3"];

async function sha256(data: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", data as Uint8Array<ArrayBuffer>));
  return "SHA-256=" + btoa(String.fromCharCode(...d)).replaceAll("+", "-").replaceAll("/", "_");
}

/** ~1 MiB of bytes that depend on `version` (a size that is not a whole number of chunks). */
function content(version: number): Uint8Array {
  const out = new Uint8Array(1024 * 1024 + (version % 7) * 1000);
  let x = (version * 2654435761) >>> 0 || 1;
  for (let i = 0; i < out.length; i += 4) {
    x ^= x << 13, x ^= x >>> 17, x ^= x << 5;
    out[i] = x & 0xff, out[i + 1] = (x >>> 8) & 0xff, out[i + 2] = (x >>> 16) & 0xff, out[i + 3] = x >>> 24;
  }
  return out;
}

/** The worker, on its own connection. */
export class ObjWorkload implements Workload {
  readonly name = "obj";
  readonly #nc: NatsConnection;
  readonly #os: ObjectStore;
  readonly #jsm: JetStreamManager;
  readonly #report: Report;
  readonly #rng: Rng;
  /** Digests of every version put (or attempted) per name. */
  readonly #versions = new Map<string, Set<string>>();
  #running = true;
  #loop: Promise<void> | undefined;
  puts = 0;
  putsFailed = 0;
  gets = 0;
  getsFailed = 0;
  readonly errors = new Map<string, number>();
  collected = 0;

  private constructor(nc: NatsConnection, os: ObjectStore, jsm: JetStreamManager, report: Report, rng: Rng) {
    this.#nc = nc;
    this.#os = os;
    this.#jsm = jsm;
    this.#report = report;
    this.#rng = rng;
  }

  /** Creates the bucket and starts the worker. */
  static async start(urls: string[], report: Report, rng: Rng): Promise<ObjWorkload> {
    const nc = await connect(connectOptions(urls, "obj"));
    const os = await retrying("object bucket", () => new Objm(nc).create(BUCKET, { replicas: 3 }));
    const jsm = await jetstreamManager(nc);
    const w = new ObjWorkload(nc, os, jsm, report, rng);
    w.#loop = w.#work();
    return w;
  }

  #count(err: unknown): void {
    const name = errorName(err);
    this.errors.set(name, (this.errors.get(name) ?? 0) + 1);
  }

  /** A failure must be typed, and must not be corruption. */
  #checkError(op: string, err: unknown): void {
    this.#count(err);
    if (err instanceof DigestMismatchError || err instanceof ObjectSizeMismatchError) {
      this.#report.violation("obj", `${op}: corrupt object: ${err.message}`);
    } else if (!(err instanceof NatsError)) {
      this.#report.violation("obj", `${op}: untyped error ${errorName(err)}: ${err}`);
    }
  }

  async #work(): Promise<void> {
    for (let version = 0; this.#running; version++) {
      const name = NAMES[version % NAMES.length];
      const data = content(version);
      const digest = await sha256(data);
      const versions = this.#versions.get(name) ?? new Set();
      versions.add(digest);
      this.#versions.set(name, versions);
      this.puts++;
      try {
        const info = await this.#os.putBlob({ name }, data);
        if (info.digest !== digest) {
          this.#report.violation("obj", `put ${name}: digest ${info.digest}, expected ${digest}`);
        }
      } catch (err) {
        this.putsFailed++;
        this.#checkError(`put ${name}`, err);
      }
      await this.#get(NAMES[this.#rng.int(0, NAMES.length - 1)]);
      await sleep(50);
    }
  }

  async #get(name: string): Promise<void> {
    this.gets++;
    let nuid = "";
    try {
      const r = await this.#os.get(name);
      if (r === null) return; // not put yet
      nuid = r.info.nuid;
      const parts: Uint8Array[] = [];
      for await (const p of r.data) parts.push(p);
      const err = await r.error;
      if (err) throw err;
      const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let off = 0;
      for (const p of parts) data.set(p, off), off += p.length;
      const digest = await sha256(data);
      if (!this.#versions.get(name)?.has(digest)) {
        this.#report.violation("obj", `get ${name}: ${data.length} bytes with a digest no put had (${digest})`);
      }
    } catch (err) {
      this.getsFailed++;
      this.#checkError(`get ${name} (nuid ${nuid}${await this.#stored(nuid)})`, err);
    }
  }

  /** What the stream leader holds for chunk subject `nuid`, for the report of a failed get. */
  async #stored(nuid: string): Promise<string> {
    if (!nuid) return "";
    const subject = `$O.${BUCKET}.C.${nuid}`;
    const si = await this.#jsm.streams.info(this.#os.stream, { subjects_filter: subject }).catch(() => undefined);
    return si ? `: the stream holds ${si.state.subjects?.[subject] ?? 0} chunks` : "";
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
  }

  /** Chunk subjects no live object points at, and live objects whose chunks are not all there. */
  async #orphans(): Promise<{ orphans: string[]; short: string[] }> {
    const live = await this.#os.list();
    const si = await this.#jsm.streams.info(this.#os.stream, { subjects_filter: `$O.${BUCKET}.C.>` });
    const subjects = si.state.subjects ?? {};
    const wanted = new Map(live.map((i) => [`$O.${BUCKET}.C.${i.nuid}`, i]));
    const orphans = Object.keys(subjects).filter((s) => !wanted.has(s));
    const short = [...wanted].filter(([s, i]) => (subjects[s] ?? 0) !== i.chunks).map(([_, i]) =>
      `${i.name}: ${subjects[`$O.${BUCKET}.C.${i.nuid}`] ?? 0} of ${i.chunks} chunks`
    );
    return { orphans: orphans.map((s) => `${s} (${subjects[s]} chunks)`), short };
  }

  async verify(report: Report, timeout: number): Promise<void> {
    // the clean-ups of failed puts retry in the background for a few seconds: give them that time
    let state = { orphans: [] as string[], short: [] as string[] };
    await until(async () => {
      state = await this.#orphans().catch(() => ({ orphans: ["(listing failed)"], short: [] }));
      return state.orphans.length === 0;
    }, timeout);
    for (const o of state.orphans) report.violation("obj", `orphaned chunks after the clean-up: ${o}`);
    for (const s of state.short) report.violation("obj", `live object missing chunks: ${s}`);
    for (const info of await retrying("list", () => this.#os.list())) {
      try {
        const data = await this.#os.getBlob(info.name);
        const digest = data ? await sha256(data) : "missing";
        if (digest !== info.digest) {
          report.violation("obj", `final get ${info.name}: ${digest}, info says ${info.digest}`);
        }
      } catch (err) {
        report.violation("obj", `final get ${info.name}: ${errorName(err)}: ${err}`);
      }
    }
    const removed = await this.#os.collectOrphans({ minAge: 0 });
    this.collected = removed.length;
    if (removed.length && state.orphans.length === 0) {
      report.violation("obj", `collectOrphans found ${removed.length} orphans the check did not`);
    }
  }

  summary(): string {
    const errs = [...this.errors].map(([k, v]) => `${k} ${v}`).join(", ") || "none";
    return `obj: puts ${this.puts} (failed ${this.putsFailed}), gets ${this.gets} (failed ${this.getsFailed}), ` +
      `errors: ${errs}; collectOrphans removed ${this.collected}`;
  }

  async close(): Promise<void> {
    await this.#nc.close();
  }
}
