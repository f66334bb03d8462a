/**
 * What to do about a failed Graph API call. Codes from Meta's Cloud API
 * error reference: throughput limits of the number/account/app, the per-user
 * pair limit, and server-side codes that are worth a retry. Everything else
 * (100 bad parameter, 190 token, 131047 outside the 24 h window, 131026
 * undeliverable, 131048 spam limit, 132xxx template errors…) will fail the
 * same way again.
 */
export type FailureKind = 'throttled-rate' | 'throttled-number' | 'throttled-pair' | 'retryable' | 'fatal';

/** 130429: the number's message throughput was exceeded; sending slower helps. */
const RATE_THROTTLE = 130429;
/** 80007 WABA rate limit, 4 app call limit, 613 API rate limit: call budgets, a pause helps. */
const NUMBER_THROTTLE = new Set([80007, 4, 613]);
/** 131056: too many messages to the same user in a short time (about one per 6 s). */
const PAIR_THROTTLE = 131056;
/** 1/2 unknown/temporary API error, 131000 something went wrong, 131016 / 133004 service unavailable. */
const TRANSIENT = new Set([1, 2, 131000, 131016, 133004]);

/** `status` 0 means no HTTP answer (network error or timeout). */
export function classifyFailure(status: number, graphCode?: number): FailureKind {
  if (graphCode === PAIR_THROTTLE) return 'throttled-pair';
  if (graphCode === RATE_THROTTLE) return 'throttled-rate';
  if (graphCode !== undefined && NUMBER_THROTTLE.has(graphCode)) return 'throttled-number';
  if (graphCode !== undefined && TRANSIENT.has(graphCode)) return 'retryable';
  if (status === 429) return 'throttled-rate';
  if (status === 0 || status >= 500) return 'retryable';
  return 'fatal';
}

export interface GraphErrorInfo {
  code?: number;
  message?: string;
  details?: string;
  fbtraceId?: string;
}

/** Reads `{error:{code, message, error_data:{details}, fbtrace_id}}` from a response body, if it is one. */
export function parseGraphError(body: unknown): GraphErrorInfo {
  const error = (body as { error?: Record<string, unknown> } | null)?.error;
  if (!error || typeof error !== 'object') return {};
  const info: GraphErrorInfo = {};
  if (typeof error.code === 'number') info.code = error.code;
  if (typeof error.message === 'string') info.message = error.message;
  const details = (error.error_data as { details?: unknown } | undefined)?.details;
  if (typeof details === 'string') info.details = details;
  if (typeof error.fbtrace_id === 'string') info.fbtraceId = error.fbtrace_id;
  return info;
}

/** A send that failed for a reason retrying later might fix; BullMQ may retry the job. */
export class GraphSendError extends Error {
  readonly code = 'GRAPH_SEND_FAILED';
  constructor(
    message: string,
    readonly status: number,
    readonly graphCode: number | undefined,
  ) {
    super(message);
    this.name = 'GraphSendError';
  }
}
