import { setTimeout as sleep } from 'node:timers/promises';
import { LogEvent, UnrecoverableError, type Logger } from '@medcita/shared';
import { fullJitterDelay } from './backoff.js';
import { classifyFailure, GraphSendError, parseGraphError } from './graph-failure.js';
import { postGraph, type GraphHttpResult } from './graph-http.js';
import { buildReadPayload } from './outbound-payload.js';
import type { SendLimiter } from './send-limiter.js';

export interface GraphRequestEvent {
  endpoint: 'messages' | 'read';
  /** HTTP status, or 0 when no response arrived (timeout, network error). */
  status: number;
  attempt: number;
  seconds: number;
  errorCode?: number;
}

export interface GraphRequestsOptions {
  /** The versioned API root, e.g. `https://graph.facebook.com/v21.0`. */
  apiBase: string;
  accessToken: string;
  timeoutMs: number;
  maxAttempts: number;
  /** How long a request with no answer waits for its status before a resend. */
  unknownGraceMs: number;
  numberPauseMs: number;
  pairPauseMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  readTimeoutMs: number;
  limiter: SendLimiter;
  log: Logger;
  onRequest?: ((event: GraphRequestEvent) => void) | undefined;
  onUnknownOutcomeResend?: (() => void) | undefined;
}

/**
 * The requests to the Graph API's messages endpoint: a send's attempts,
 * retried with backoff on throttling/5xx/network errors and paced by the
 * limiter, failing fast on errors that cannot succeed; and the mark-as-read.
 * Each request is reported to `onRequest`. Idempotency is GraphClient's.
 */
export class GraphRequests {
  constructor(private readonly o: GraphRequestsOptions) {}

  /** Marks an inbound message read, optionally with a typing indicator. Best effort: never throws. */
  async markRead(phoneNumberId: string, wamid: string, opts: { typing: boolean }): Promise<void> {
    const payload = buildReadPayload(wamid, opts.typing);
    const result = await postGraph(this.url(phoneNumberId), this.o.accessToken, payload, this.o.readTimeoutMs);
    const error = parseGraphError(result.body);
    this.report('read', result, 1, error.code);
    if (result.status !== 200) {
      this.o.log.warn(
        { status: result.status, graphCode: error.code, transportError: result.transportError, details: error.details },
        'mark-as-read failed',
      );
    }
  }

  /** Posts a send until Graph takes it: its message id, or a throw once retrying cannot help or the attempts ran out. */
  async deliver(
    pn: string,
    target: string,
    payload: Record<string, unknown>,
    ctx: object,
    /** Before an attempt after the first: waits for its slot; throws StoodDown when the message is no longer this sender's. */
    ready: () => Promise<unknown>,
    /** After a request with no answer: the message id if a status settled it within the grace, else null. */
    awaitStatus: (startedAt: number) => Promise<string | null>,
  ): Promise<string> {
    let throttles = 0;
    let last: { status: number; code?: number } = { status: 0 };
    for (let attempt = 1; attempt <= this.o.maxAttempts; attempt++) {
      if (attempt > 1) await ready();
      const startedAt = Date.now();
      const result = await postGraph(this.url(pn), this.o.accessToken, payload, this.o.timeoutMs);
      const error = parseGraphError(result.body);
      this.report('messages', result, attempt, error.code);
      if (result.status === 200) return this.messageIdOf(result, ctx);
      last = { status: result.status, ...(error.code === undefined ? {} : { code: error.code }) };
      if (result.transportError === 'timeout' || result.transportError === 'network') {
        // Meta may have taken it: resending now could duplicate the reply.
        this.o.log.warn(
          { ...ctx, attempt, transportError: result.transportError },
          'Graph API send has an unknown outcome; waiting for its status',
        );
        const settled = await awaitStatus(startedAt);
        if (settled !== null) return settled;
        // Left unsettled on the last attempt, the marker makes the job's retry resend it after the grace.
        if (attempt === this.o.maxAttempts) break;
        this.o.log.warn({ ...ctx, graceMs: this.o.unknownGraceMs }, LogEvent.UnknownOutcomeResend);
        this.o.onUnknownOutcomeResend?.();
        continue;
      }
      const info = {
        ...ctx,
        attempt,
        status: result.status,
        graphCode: error.code,
        transportError: result.transportError,
        fbtraceId: error.fbtraceId,
        details: error.details,
      };
      const kind = classifyFailure(result.status, error.code);
      if (kind === 'fatal') {
        this.o.log.error(info, 'Graph API rejected the message; not retrying');
        throw new UnrecoverableError(
          `Graph API rejected the message: ${error.message ?? `HTTP ${result.status}`}`,
          String(error.code ?? `HTTP_${result.status}`),
        );
      }
      this.o.log.warn({ ...info, kind }, 'Graph API send failed; will retry');
      if (attempt === this.o.maxAttempts) break;
      // The retry goes back through the limiter, at the lowered rate.
      if (kind === 'throttled-rate') await this.o.limiter.slowDown(pn);
      else if (kind === 'throttled-number') await this.o.limiter.pauseNumber(pn, this.o.numberPauseMs * 2 ** throttles++);
      else if (kind === 'throttled-pair') await this.o.limiter.pausePair(pn, target, this.o.pairPauseMs);
      else await sleep(fullJitterDelay(attempt, this.o.retryBaseMs, this.o.retryMaxMs));
    }
    throw new GraphSendError(
      `Graph API send failed after ${this.o.maxAttempts} attempts (last status ${last.status}, code ${last.code ?? 'none'})`,
      last.status,
      last.code,
    );
  }

  private messageIdOf(result: GraphHttpResult, ctx: object): string {
    const id = (result.body as { messages?: { id?: unknown }[] } | undefined)?.messages?.[0]?.id;
    if (typeof id === 'string') return id;
    // Accepted by Meta but unreadable: treat as sent so it is never resent.
    this.o.log.warn(ctx, 'Graph API accepted the message without a message id');
    return 'unknown';
  }

  private report(endpoint: GraphRequestEvent['endpoint'], result: GraphHttpResult, attempt: number, errorCode?: number): void {
    try {
      this.o.onRequest?.({
        endpoint,
        status: result.status,
        attempt,
        seconds: result.seconds,
        ...(errorCode === undefined ? {} : { errorCode }),
      });
    } catch (err) {
      this.o.log.warn({ err }, 'onRequest hook threw');
    }
  }

  private url(phoneNumberId: string): string {
    return `${this.o.apiBase}/${encodeURIComponent(phoneNumberId)}/messages`;
  }
}
