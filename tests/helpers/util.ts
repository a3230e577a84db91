/** Small async helpers for tests (no @std available here). */

/** Resolves after `ms` milliseconds. */
export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `check` until it returns true or `timeout` ms pass (then throws with `what`). */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeout = 10_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (await check()) return;
    await delay(20);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Collects up to `n` items from an async iterable, failing after `timeout` ms. It reads with
 * `next()` and never calls `return()`, so the iterable stays open for the next `take()` (leaving a
 * `for await` over a subscription early would unsubscribe it).
 */
export async function take<T>(it: AsyncIterable<T>, n: number, timeout = 10_000): Promise<T[]> {
  const out: T[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${out.length} of ${n} items`)), timeout);
  });
  try {
    await Promise.race([
      (async () => {
        const iterator = it[Symbol.asyncIterator]();
        while (out.length < n) {
          const r = await iterator.next();
          if (r.done) return;
          out.push(r.value);
        }
      })(),
      timedOut,
    ]);
  } finally {
    clearTimeout(timer);
  }
  return out;
}
