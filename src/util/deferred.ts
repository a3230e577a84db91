/**
 * A promise that is settled from outside: {@link deferred}, with nats.js's shape (the promise
 * itself carries `resolve` and `reject`).
 *
 * @module
 */

/** A promise with the functions that settle it. */
export interface Deferred<T> extends Promise<T> {
  /** Resolves the promise with `value`. */
  resolve: (value?: T | PromiseLike<T>) => void;
  /** Rejects the promise with `reason`. */
  // deno-lint-ignore no-explicit-any
  reject: (reason?: any) => void;
}

/**
 * Creates a promise to be resolved or rejected later by whoever holds it.
 *
 * @example
 * ```ts
 * import { deferred } from "./deferred.ts";
 * const d = deferred<string>();
 * setTimeout(() => d.resolve("done"), 10);
 * console.log(await d); // "done"
 * ```
 */
export function deferred<T>(): Deferred<T> {
  let resolve!: (value?: T | PromiseLike<T>) => void;
  // deno-lint-ignore no-explicit-any
  let reject!: (reason?: any) => void;
  const p = new Promise<T>((res, rej) => {
    resolve = res as (value?: T | PromiseLike<T>) => void;
    reject = rej;
  });
  return Object.assign(p, { resolve, reject });
}
