/** Helpers for transports that receive data as chunks (events) and are read into a caller's view. */

/**
 * Moves as many bytes as fit from the front of `chunks` into `into` (removing what was copied,
 * keeping the rest of a partly copied chunk); returns the count.
 */
export function drainChunks(chunks: Uint8Array[], into: Uint8Array): number {
  let n = 0;
  while (chunks.length && n < into.length) {
    const c = chunks[0];
    const take = Math.min(c.length, into.length - n);
    into.set(take === c.length ? c : c.subarray(0, take), n);
    n += take;
    if (take === c.length) chunks.shift();
    else chunks[0] = c.subarray(take);
  }
  return n;
}
