/**
 * Decodes the base64 that the built WebAssembly modules are embedded as.
 *
 * @module
 */

/** `Uint8Array.fromBase64` where the runtime has it (Deno 2, recent browsers; not Node 20). */
const fromBase64 = (Uint8Array as unknown as { fromBase64?: (text: string) => Uint8Array<ArrayBuffer> })
  .fromBase64;

/**
 * The bytes of `text` (standard base64). Uses the runtime's `Uint8Array.fromBase64` when there is
 * one: it is native, where the first `atob` call of a process costs 1–4 ms here (cold start).
 *
 * @example
 * ```ts
 * import { decodeBase64 } from "./base64.ts";
 * console.log(decodeBase64("AGFzbQ==")); // Uint8Array(4) [ 0, 97, 115, 109 ]
 * ```
 */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  if (fromBase64) return fromBase64(text);
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
