import type { OpenTurnOptions } from '@medcita/shared';
import { AuditRelay } from './audit-relay.js';
import { BatchStep, type RunState } from './batch-step.js';
import type { TurnRunnerDeps, TurnRunnerOptions } from './turn-runner-deps.js';

export type { PipelineTexts, TurnOutcome, TurnRunnerDeps, TurnRunnerOptions } from './turn-runner-deps.js';

/**
 * `more`: the job ran its share of batches and the inbox still holds messages;
 * `deferred`: messages wait for the rate-limit window, run the session again after `retryInMs`.
 */
export type RunOutcome = { kind: 'done' } | { kind: 'busy' } | { kind: 'more' } | { kind: 'deferred'; retryInMs: number };

/**
 * Runs a session's pending turns under its lock: take a batch, let the handler
 * decide, send the replies (idempotent per turn), commit. See
 * docs/architecture.md for why each step is safe to crash in.
 */
export class TurnRunner {
  private readonly now: () => number;
  private readonly audit: AuditRelay;
  private readonly batch: BatchStep;

  constructor(
    private readonly deps: TurnRunnerDeps,
    private readonly options: TurnRunnerOptions,
  ) {
    this.now = deps.now ?? Date.now;
    this.audit = new AuditRelay(deps.turns, deps.journal, deps.logger);
    this.batch = new BatchStep(deps, options, this.now, this.audit);
  }

  /** `jobId` only labels logs: request id → job id → session hash → turn id. */
  async run(sessionKey: string, token: string, jobId?: string): Promise<RunOutcome> {
    const { turns } = this.deps;
    let startedAt = this.now();
    // One round trip takes the lock, reads what a crashed run left in the audit outbox and opens the first batch
    // (with the handler's first reads in the same write).
    let { opened, prefetched } = await this.prefetching(sessionKey, turns.open(sessionKey, token, this.openOptions(startedAt)));
    if (opened.kind === 'busy') return { kind: 'busy' };
    if (opened.kind === 'empty' && opened.released) return { kind: 'done' };
    const run: RunState = { lost: false, releasing: false, released: false };
    const heartbeat = setInterval(
      () => {
        // Once a commit may release the lock, a refresh must not take it back.
        if (run.releasing) return;
        // Extend only: a lock that expired may have been taken, used and released by another run.
        turns.extend(sessionKey, token).then(
          (ok) => {
            run.lost ||= !ok;
          },
          () => undefined,
        );
      },
      Math.max(250, Math.floor(this.options.lockTtlMs / 3)),
    );
    let deferral: RunOutcome | undefined;
    let left: number;
    try {
      // Records a crashed run committed but never published.
      if (await this.audit.publish(sessionKey, opened.outbox)) this.audit.drop(sessionKey, opened.outbox);
      for (let i = 1; ; i += 1) {
        if (opened.kind === 'empty') {
          run.released = opened.released;
          left = 0;
          break;
        }
        const lastOfJob = i >= this.options.maxBatchesPerJob;
        const result = await this.batch.run(sessionKey, token, opened, prefetched, startedAt, lastOfJob, run, jobId);
        left = result.left;
        if (result.retryInMs > 0) {
          deferral = { kind: 'deferred', retryInMs: result.retryInMs };
          break;
        }
        if (run.released || lastOfJob || run.lost) break;
        startedAt = this.now();
        ({ opened, prefetched } = await this.prefetching(sessionKey, turns.next(sessionKey, token, this.openOptions(startedAt))));
      }
    } finally {
      clearInterval(heartbeat);
      if (!run.released) await turns.unlock(sessionKey, token).catch((err) => this.deps.logger.warn({ err }, 'unlock failed'));
    }
    if (deferral) return deferral;
    return left > 0 ? { kind: 'more' } : { kind: 'done' };
  }

  private openOptions(now: number): OpenTurnOptions {
    const rateLimit = this.deps.rateLimit?.policy;
    return { now, maxAttempts: this.options.maxBatchAttempts, ...(rateLimit ? { rateLimit } : {}) };
  }

  /** Sends the handler's first reads right behind the open given, in the same socket write (TurnHandler.prefetch). */
  private async prefetching<T>(sessionKey: string, opening: Promise<T>): Promise<{ opened: T; prefetched: Promise<unknown> | undefined }> {
    const prefetched = this.deps.handler.prefetch?.(sessionKey);
    // Dropped when the open finds no batch to handle: a failed read must not surface as an unhandled rejection.
    void prefetched?.catch(() => undefined);
    return { opened: await opening, prefetched };
  }
}
