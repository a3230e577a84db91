/**
 * nats.js's switch for the object store's SHA-256: {@link setSha256Backend} and
 * {@link getSha256Backend}. nats.js's `"js"` backend is natsw's portable WebAssembly hash, and
 * `"native"` the runtime's `node:crypto` one (Deno, Node). Without a choice natsw uses the native
 * hash when the runtime has it, the portable one otherwise.
 *
 * @module
 */
import { InvalidArgumentError } from "../src/errors.ts";
import { sha256Implementation } from "./hash.ts";
import { chooseSha256, chosenSha256 } from "./sha256_choice.ts";

/** A SHA-256 backend: `"js"` (portable, every runtime) or `"native"` (`node:crypto`: Deno, Node, Bun). */
export type Sha256Backend = "js" | "native";

/**
 * Selects the SHA-256 backend of every later object put and get (process-wide; call it at
 * startup). With `"native"` in a runtime without one, puts and gets fail. Throws
 * `InvalidArgumentError` for another value.
 *
 * @example
 * ```ts
 * import { getSha256Backend, setSha256Backend } from "./sha256_backend.ts";
 * setSha256Backend("js");
 * console.log(getSha256Backend()); // "js"
 * ```
 */
export function setSha256Backend(b: Sha256Backend): void {
  if (b !== "js" && b !== "native") throw new InvalidArgumentError(`unknown sha256 backend: ${b}`);
  chooseSha256(b === "js" ? "wasm" : "native");
}

/**
 * The backend object puts and gets use: the one selected, else the default for this runtime.
 *
 * @example
 * ```ts
 * import { getSha256Backend } from "./sha256_backend.ts";
 * console.log(getSha256Backend()); // "native" under Deno and Node unless "js" was selected
 * ```
 */
export function getSha256Backend(): Sha256Backend {
  const impl = chosenSha256() ?? sha256Implementation();
  return impl === "wasm" ? "js" : "native";
}
