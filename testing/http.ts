/**
 * A bounded GET for the monitoring endpoint, with its timer always cleared (so tests pass the
 * op sanitizer, which `AbortSignal.timeout()` would trip).
 * @module
 */

/** The status and (when the body is JSON) parsed body of a GET, or undefined on error or timeout. */
export async function httpGet(url: string, timeout: number): Promise<{ status: number; json?: unknown } | undefined> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeout);
  try {
    const r = await fetch(url, { signal: ac.signal });
    const text = await r.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: r.status, json };
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
