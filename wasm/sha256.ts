/**
 * Incremental SHA-256 compiled to WebAssembly from `parser-as/sha256.ts`.
 *
 * WebCrypto's `crypto.subtle.digest` only hashes a whole buffer at once; the object store needs to
 * hash gigabytes as they stream past, a chunk at a time, so it uses this. The module bytes are
 * embedded (base64) and compiled once per process, on first use; each {@link Sha256} has its own
 * instance and memory.
 *
 * @module
 */
import { InvalidOperationError } from "../src/errors.ts";
import { SHA256_WASM_BASE64 } from "./sha256_wasm.ts";
import { decodeBase64 } from "./base64.ts";

interface Sha256Exports {
  readonly memory: WebAssembly.Memory;
  inputBase(): number;
  inputSize(): number;
  outputBase(): number;
  reset(): void;
  update(len: number): void;
  final(): void;
}

let compiled: WebAssembly.Module | undefined;

/**
 * An incremental SHA-256 hash: `update` with any number of pieces, then `digest`.
 *
 * @example
 * ```ts
 * import { Sha256 } from "./sha256.ts";
 * const h = new Sha256();
 * h.update(new TextEncoder().encode("hello "));
 * h.update(new TextEncoder().encode("world"));
 * console.log(h.digest().length); // 32
 * ```
 */
export class Sha256 {
  readonly #x: Sha256Exports;
  // The module's input window; its memory has a fixed size, so this view stays valid.
  readonly #window: Uint8Array;
  #done = false;

  /** Starts a new hash (compiling the module on the first call in the process). */
  constructor() {
    compiled ??= new WebAssembly.Module(decodeBase64(SHA256_WASM_BASE64));
    this.#x = new WebAssembly.Instance(compiled, {}).exports as unknown as Sha256Exports;
    this.#window = new Uint8Array(this.#x.memory.buffer, this.#x.inputBase(), this.#x.inputSize());
    this.#x.reset();
  }

  /** Adds `data` to the hash; returns this. Throws {@link InvalidOperationError} after {@link digest}. */
  update(data: Uint8Array): this {
    if (this.#done) throw new InvalidOperationError("sha256: update after digest");
    const size = this.#window.length;
    for (let off = 0; off < data.length; off += size) {
      const len = Math.min(size, data.length - off);
      this.#window.set(len === data.length ? data : data.subarray(off, off + len));
      this.#x.update(len);
    }
    return this;
  }

  /** The 32-byte digest; the hash cannot be updated afterwards. */
  digest(): Uint8Array {
    if (this.#done) throw new InvalidOperationError("sha256: digest already taken");
    this.#done = true;
    this.#x.final();
    return new Uint8Array(this.#x.memory.buffer, this.#x.outputBase(), 32).slice();
  }
}
