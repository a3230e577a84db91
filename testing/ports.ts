/**
 * Free ports that are never handed out twice in one process. A port is "free" only from the
 * moment it is bound and released until someone binds it; the OS may give the same one to the
 * next request, so a server's client, monitor and route ports (picked before the server binds any
 * of them) could otherwise collide.
 * @module
 */

const handedOut = new Set<number>();
/** Ports remembered at most; past it the oldest are forgotten. */
const REMEMBERED = 16_384;

/**
 * Calls `pick` (bind port 0, read the port, release it) until it returns a port not handed out
 * before in this process, at most 100 times; returns it and remembers it.
 *
 * @example
 * ```ts
 * import { distinctPort } from "./ports.ts";
 * let next = 40000;
 * const a = distinctPort(() => next);
 * const b = distinctPort(() => next++);
 * if (a === b) throw new Error("handed out twice");
 * ```
 */
export function distinctPort(pick: () => number): number;
export function distinctPort(pick: () => Promise<number>): Promise<number>;
export function distinctPort(pick: () => number | Promise<number>): number | Promise<number> {
  const first = pick();
  if (typeof first !== "number") return first.then((p) => retry(p, pick as () => Promise<number>));
  let port = first;
  for (let i = 0; i < 100 && handedOut.has(port); i++) port = pick() as number;
  return remember(port);
}

async function retry(first: number, pick: () => Promise<number>): Promise<number> {
  let port = first;
  for (let i = 0; i < 100 && handedOut.has(port); i++) port = await pick();
  return remember(port);
}

function remember(port: number): number {
  if (handedOut.size >= REMEMBERED) handedOut.delete(handedOut.values().next().value!);
  handedOut.add(port);
  return port;
}
