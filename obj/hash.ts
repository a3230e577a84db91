/**
 * The incremental SHA-256 the object store hashes content with: the runtime's native one when it
 * has one, the WebAssembly one ({@link Sha256}) otherwise.
 *
 * Deno and Node (20.16 and later) expose `node:crypto` through `process.getBuiltinModule` without
 * an import, a permission or a dependency; their `createHash("sha256")` is native code
 * that uses the CPU's SHA instructions where it has them (about 7× the WebAssembly hash on a
 * machine with SHA-NI). Browsers and runtimes without it get the WebAssembly hash. WebCrypto is not
 * an option: `crypto.subtle.digest` only hashes a whole buffer, and objects stream.
 *
 * @module
 */
import { InvalidOperationError } from "../src/errors.ts";
import { Sha256 } from "../wasm/sha256.ts";
import { chosenSha256 } from "./sha256_choice.ts";

/** An incremental hash: `update` with any number of pieces, then `digest` once. */
export interface IncrementalHash {
  /** Adds `data`; returns the hash. Throws {@link InvalidOperationError} after {@link digest}. */
  update(data: Uint8Array): IncrementalHash;
  /** The digest; the hash cannot be used afterwards. */
  digest(): Uint8Array;
}

/** Where the hashes {@link createSha256} returns are computed. */
export type Sha256Implementation = "native" | "wasm";

/** The part of `node:crypto` used here. */
interface NodeHash {
  update(data: Uint8Array): unknown;
  digest(): Uint8Array;
}
type CreateHash = (algorithm: string) => NodeHash;

/** Wraps a native hash so misuse fails as it does with {@link Sha256}. */
class NativeSha256 implements IncrementalHash {
  readonly #hash: NodeHash;
  #done = false;

  constructor(createHash: CreateHash) {
    this.#hash = createHash("sha256");
  }

  update(data: Uint8Array): this {
    if (this.#done) throw new InvalidOperationError("sha256: update after digest");
    this.#hash.update(data);
    return this;
  }

  digest(): Uint8Array {
    if (this.#done) throw new InvalidOperationError("sha256: digest already taken");
    this.#done = true;
    // a Node Buffer is a Uint8Array; copy it so callers get a plain one
    return new Uint8Array(this.#hash.digest());
  }
}

/** The runtime's `createHash`, or undefined; looked up once. */
let nativeCreateHash: CreateHash | null | undefined;

function findNative(): CreateHash | null {
  if (nativeCreateHash !== undefined) return nativeCreateHash;
  nativeCreateHash = null;
  try {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const mod = proc?.getBuiltinModule?.("node:crypto") as { createHash?: CreateHash } | undefined;
    if (typeof mod?.createHash === "function") {
      // prove it works here (a runtime may list the module but lack the algorithm)
      const probe = mod.createHash("sha256");
      probe.update(new Uint8Array(1));
      if (probe.digest().length === 32) nativeCreateHash = mod.createHash;
    }
  } catch {
    // no usable native hash: the WebAssembly one is used
  }
  return nativeCreateHash;
}

/**
 * Which implementation {@link createSha256} uses in this runtime.
 *
 * @example
 * ```ts
 * import { sha256Implementation } from "./hash.ts";
 * console.log(sha256Implementation()); // "native" under Deno and Node, "wasm" in browsers
 * ```
 */
export function sha256Implementation(): Sha256Implementation {
  return findNative() ? "native" : "wasm";
}

/**
 * A new incremental SHA-256, native when the runtime has one (see the module doc), else
 * WebAssembly. Pass `"wasm"` to force the WebAssembly one, or `"native"` to require the native one
 * (throws {@link InvalidOperationError} when the runtime has none); without one, the choice made
 * with `setSha256Backend()` applies.
 *
 * @example
 * ```ts
 * import { createSha256 } from "./hash.ts";
 * const h = createSha256();
 * h.update(new TextEncoder().encode("hello "));
 * h.update(new TextEncoder().encode("world"));
 * console.log(h.digest().length); // 32
 * ```
 */
export function createSha256(implementation: Sha256Implementation | undefined = chosenSha256()): IncrementalHash {
  const native = implementation === "wasm" ? null : findNative();
  if (native) return new NativeSha256(native);
  if (implementation === "native") throw new InvalidOperationError("sha256: this runtime has no native hash");
  return new Sha256();
}
