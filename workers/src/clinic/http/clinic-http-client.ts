import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@medcita/shared';
import { ClinicRequestError } from '../errors/clinic-request-error.js';
import { ClinicUnavailableError } from '../errors/clinic-unavailable-error.js';
import type { CircuitBreaker } from './circuit-breaker.js';

export interface ClinicHttpClientOptions {
  baseUrl: string;
  token?: string | undefined;
  /** Budget for one call including its retries; the turn never waits longer. */
  timeoutMs: number;
  breaker: CircuitBreaker;
  /** Attempts for a retryable call (default 3). */
  maxAttempts?: number;
  /** First backoff; doubles per retry, with jitter (default 100 ms). */
  backoffMs?: number;
  fetch?: typeof fetch;
  logger?: Logger;
}

export interface ClinicRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** POSTs that carry a key may be retried: the server answers a repeat like the first. */
  idempotencyKey?: string;
}

export interface ClinicResponse {
  status: number;
  body: unknown;
}

/** RFC 9110 idempotent methods, plus POSTs made idempotent by a key. */
export function isRetryable(req: ClinicRequest): boolean {
  return req.method !== 'POST' || req.idempotencyKey !== undefined;
}

class RetryableFailure extends Error {
  constructor(
    readonly reason: 'server_error' | 'network',
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/**
 * JSON over fetch for the clinic REST contract: one deadline per call,
 * retries with backoff only where repeating is harmless, and a circuit
 * breaker so a dead backend costs nothing while it is open. Any answer below
 * 500 (even a 404) proves the backend is alive; 5xx, 429, timeouts and
 * connection errors count as failures.
 */
export class ClinicHttpClient {
  private readonly fetch: typeof fetch;

  constructor(private readonly opts: ClinicHttpClientOptions) {
    this.fetch = opts.fetch ?? globalThis.fetch;
  }

  async request(req: ClinicRequest): Promise<ClinicResponse> {
    if (!this.opts.breaker.tryAcquire()) {
      throw new ClinicUnavailableError('circuit_open', 'clinic backend circuit is open');
    }
    let settled = false;
    try {
      const response = await this.attempts(req);
      this.opts.breaker.recordSuccess();
      settled = true;
      return response;
    } catch (err) {
      if (err instanceof ClinicUnavailableError) {
        this.opts.breaker.recordFailure();
        settled = true;
      }
      throw err;
    } finally {
      // A contract error still proves the backend answered.
      if (!settled) this.opts.breaker.recordSuccess();
    }
  }

  private async attempts(req: ClinicRequest): Promise<ClinicResponse> {
    const deadline = AbortSignal.timeout(this.opts.timeoutMs);
    const maxAttempts = isRetryable(req) ? (this.opts.maxAttempts ?? 3) : 1;
    const backoff = this.opts.backoffMs ?? 100;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(req, deadline);
      } catch (err) {
        if (deadline.aborted) {
          throw new ClinicUnavailableError('timeout', `clinic backend did not answer within ${this.opts.timeoutMs} ms`);
        }
        if (!(err instanceof RetryableFailure)) throw err;
        if (attempt >= maxAttempts) throw new ClinicUnavailableError(err.reason, err.message, err.status);
        this.opts.logger?.warn({ path: req.path, attempt, err: err.message }, 'clinic call failed, retrying');
        const delay = backoff * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
        try {
          await sleep(delay, undefined, { signal: deadline });
        } catch {
          throw new ClinicUnavailableError('timeout', `clinic backend did not answer within ${this.opts.timeoutMs} ms`);
        }
      }
    }
  }

  private async once(req: ClinicRequest, signal: AbortSignal): Promise<ClinicResponse> {
    const url = new URL(this.opts.baseUrl + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.opts.token) headers.authorization = `Bearer ${this.opts.token}`;
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    if (req.idempotencyKey) headers['idempotency-key'] = req.idempotencyKey;

    let res: Response;
    let text: string;
    try {
      res = await this.fetch(url, {
        method: req.method,
        headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal,
      });
      text = await res.text();
    } catch (err) {
      throw new RetryableFailure('network', `clinic backend unreachable: ${(err as Error).message}`);
    }
    if (res.status >= 500 || res.status === 429) {
      throw new RetryableFailure('server_error', `clinic backend answered ${res.status}`, res.status);
    }
    let body: unknown = undefined;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        throw new ClinicRequestError(`clinic backend answered ${res.status} with a non-JSON body`, res.status);
      }
    }
    return { status: res.status, body };
  }
}
