/**
 * The runtime the testing kit uses unless told otherwise: Deno here; the npm build puts the Node
 * one in this file's place.
 * @module
 */
export { denoHost as defaultHost } from "./deno_host.ts";
