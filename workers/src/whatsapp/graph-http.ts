import { Agent, request } from 'undici';

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
 * undici's `request` rather than the global fetch: fetch's WHATWG streams,
 * Response and body tee cost about a third of a worker's CPU per turn (#14).
 * A private keep-alive pool, so a reply and its read receipt reuse the
 * connections of earlier turns whatever other code sets as the global one.
 */
const graphAgent = new Agent({ keepAliveTimeout: 30_000 });

/** True when every connection attempt behind `err` failed before connecting. */
function neverConnected(err: unknown): boolean {
  const e = err as { code?: unknown; cause?: unknown; errors?: unknown };
  // Happy eyeballs (several addresses of one host) fails with an AggregateError of each attempt's error.
  if (Array.isArray(e.errors) && e.errors.length > 0) return e.errors.every(neverConnected);
  if (typeof e.code === 'string' && NEVER_CONNECTED.has(e.code)) return true;
  return e.cause !== undefined && e.cause !== err && neverConnected(e.cause);
}

/**
 * One POST with a hard timeout covering the whole exchange (headers and
 * body). Never throws: failures come back as data for the retry policy.
 */
export async function postGraph(url: string, accessToken: string, payload: unknown, timeoutMs: number): Promise<GraphHttpResult> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const abort = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    // Aborting destroys the socket mid-exchange, so a stalled one never returns to the pool.
    abort.abort();
  }, timeoutMs);
  try {
    const res = await request(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal: abort.signal,
      dispatcher: graphAgent,
    });
    // Read to the end whatever the status: an unread body would hold its connection.
    const text = await res.body.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Proxies and load balancers answer 502/504 with HTML; keep the text.
    }
    return { status: res.statusCode, body, seconds: seconds() };
  } catch (err) {
    const transportError = timedOut ? 'timeout' : neverConnected(err) ? 'refused' : 'network';
    return { status: 0, body: undefined, transportError, seconds: seconds() };
  } finally {
    clearTimeout(timer);
  }
}
