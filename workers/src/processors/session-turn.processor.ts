import { inSpan, LockLostError, sessionHash, type SessionTurnJob } from '@medcita/shared';
import { DelayedError, type Job } from 'bullmq';
import { randomUUID } from 'node:crypto';
import type { TurnRunner } from '../pipeline/turn-runner.js';

/**
 * BullMQ processor for SessionTurn jobs. When another worker still holds the
 * session (a stalled job was handed over while its first worker lives on),
 * the job steps aside as delayed instead of failing; so does a session whose
 * messages wait for the rate-limit window.
 */
export function sessionTurnProcessor(
  runner: TurnRunner,
  busyRetryMs: number,
  hooks: {
    onBusy?: () => void;
    onLockLost?: () => void;
    /**
     * Schedules the session's next job. Called when this job fails for good:
     * BullMQ keeps the add aside until the failure is recorded, so the
     * session's inbox is never left without a job (its batch counter ends a
     * poison batch with an apology after TURN_MAX_ATTEMPTS).
     */
    followUp?: (sessionKey: string, delayMs?: number) => Promise<void>;
  } = {},
) {
  return async (job: Job<SessionTurnJob>, token?: string): Promise<void> => {
    let outcome;
    try {
      const { sessionKey } = job.data;
      // The session appears in a trace only as its pseudonym, like in the logs.
      outcome = await inSpan('turn', { 'medcita.session': sessionHash(sessionKey), 'medcita.job.attempt': job.attemptsMade + 1 }, () =>
        runner.run(sessionKey, `${job.id}:${randomUUID()}`, job.id),
      );
    } catch (err) {
      // The turn outlived its lock; its work was discarded and the job retries.
      if (err instanceof LockLostError) hooks.onLockLost?.();
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await hooks.followUp?.(job.data.sessionKey).catch(() => undefined);
      throw err;
    }
    if (outcome.kind === 'more') {
      // This job yielded with messages left: the add lands while it is active,
      // so BullMQ keeps it aside and starts it once this job completes.
      await hooks.followUp?.(job.data.sessionKey, 0);
      return;
    }
    if (outcome.kind === 'busy') {
      hooks.onBusy?.();
      await job.moveToDelayed(Date.now() + busyRetryMs, token);
      throw new DelayedError();
    }
    if (outcome.kind === 'deferred') {
      // Messages over the rate limit wait in the inbox; the same job (which
      // keeps absorbing the session's adds) comes back when the window allows.
      await job.moveToDelayed(Date.now() + outcome.retryInMs, token);
      throw new DelayedError();
    }
  };
}
