/**
 * The process-wide choice of SHA-256 implementation, set through `setSha256Backend()` and read
 * by `createSha256()`; unset means the default (native when the runtime has it).
 *
 * @module
 */
import type { Sha256Implementation } from "./hash.ts";

let choice: Sha256Implementation | undefined;

/**
 * The implementation chosen, or undefined for the default.
 *
 * @example
 * ```ts
 * import { chosenSha256 } from "./sha256_choice.ts";
 * console.log(chosenSha256()); // undefined until chosen
 * ```
 */
export function chosenSha256(): Sha256Implementation | undefined {
  return choice;
}

/**
 * Chooses the implementation every later `createSha256()` call uses unless it names one.
 *
 * @example
 * ```ts
 * import { chooseSha256, chosenSha256 } from "./sha256_choice.ts";
 * chooseSha256("wasm");
 * console.log(chosenSha256()); // "wasm"
 * chooseSha256(undefined);
 * ```
 */
export function chooseSha256(impl: Sha256Implementation | undefined): void {
  choice = impl;
}
