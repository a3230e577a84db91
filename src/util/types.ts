/**
 * Type helpers shared by the option types.
 *
 * @module
 */

/**
 * `T` with the properties `K` made required.
 *
 * @example
 * ```ts
 * import type { WithRequired } from "./types.ts";
 * type Opts = { name?: string; size?: number };
 * const o: WithRequired<Opts, "name"> = { name: "a" };
 * console.log(o.name);
 * ```
 */
export type WithRequired<T, K extends keyof T> = T & { [P in K]-?: T[P] };
