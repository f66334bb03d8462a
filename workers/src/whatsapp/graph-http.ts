/** Outcome of one HTTP call to the Graph API; `status` 0 when no response arrived. */
export interface GraphHttpResult {
  status: number;
  body: unknown;
  /**
   * Set when no response arrived. `timeout` and `network` (reset mid-request):
   * the request may or may not have reached Meta. `refused`: no connection
   * was made, so it certainly did not.
   */
  transportError?: 'timeout' | 'network' | 'refused';
  seconds: number;
}

/** Connection errors that happen before a byte of the request is sent. */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * One POST with a hard timeout covering the whole exchange (headers and
 * body). Never throws: failures come back as data for the retry policy.
 */
export async function postGraph(url: string, accessToken: string, payload: unknown, timeoutMs: number): Promise<GraphHttpResult> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Proxies and load balancers answer 502/504 with HTML; keep the text.
    }
    return { status: res.status, body, seconds: seconds() };
  } catch (err) {
    const name = (err as Error).name;
    const code = (err as { cause?: { code?: unknown } }).cause?.code;
    const transportError =
      name === 'TimeoutError' || name === 'AbortError'
        ? 'timeout'
        : typeof code === 'string' && NEVER_CONNECTED.has(code)
          ? 'refused'
          : 'network';
    return { status: 0, body: undefined, transportError, seconds: seconds() };
  }
}
