import type { JobsOptions } from 'bullmq';
import { JobName } from './queue-names.js';

const DAY_S = 86_400;

/**
 * Retries and retention of every job kind, in one place. Every kept job is
 * capped by count as well as age, so a bad day cannot fill Redis; kept jobs
 * are what Bull Board shows and what `npm run patient:erase` searches.
 */
export const jobOptions = {
  /** `attempts` is TURN_JOB_ATTEMPTS; `keepFailed` the newest failed jobs kept, a week at most. */
  [JobName.SessionTurn]: (attempts: number, keepFailed = 5_000): JobsOptions => ({
    attempts,
    backoff: { type: 'exponential', delay: 1_000 },
    removeOnComplete: { age: 3_600, count: 5_000 },
    removeOnFail: { age: 7 * DAY_S, count: keepFailed },
  }),
  [JobName.ReminderTick]: {
    attempts: 3,
    backoff: { type: 'exponential', delay: 2_000 },
    removeOnComplete: 100,
    removeOnFail: 100,
  },
  /** Kept a week after success: its job id (`reminder:<kind>:<appointment>`) also stops a second enqueue. */
  [JobName.SendReminder]: {
    attempts: 6,
    backoff: { type: 'exponential', delay: 5_000 },
    removeOnComplete: { age: 7 * DAY_S },
    removeOnFail: { age: 30 * DAY_S, count: 5_000 },
  },
  [JobName.OperatorReply]: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 1_000 },
    removeOnComplete: 1_000,
    removeOnFail: 5_000,
  },
  [JobName.HandoffTimeout]: {
    attempts: 10,
    backoff: { type: 'exponential', delay: 1_000 },
    removeOnComplete: 1_000,
    removeOnFail: 5_000,
  },
  /** The job data holds the registered phone: kept an hour after the send, capped by count. */
  [JobName.OwnerAlert]: {
    attempts: 6,
    backoff: { type: 'exponential', delay: 5_000 },
    removeOnComplete: { age: 3_600, count: 1_000 },
    removeOnFail: { age: 7 * DAY_S, count: 1_000 },
  },
  /**
   * `firstRetryMs` is OWED_CANCEL_RETRY_SECONDS: 12 tries, each wait twice the
   * one before (at 60 s the last try is about 34 h after the first). Failed
   * for good: kept a month, for operators to cancel by hand.
   */
  [JobName.OwedCancel]: (firstRetryMs: number): JobsOptions => ({
    attempts: 12,
    delay: firstRetryMs,
    backoff: { type: 'exponential', delay: firstRetryMs },
    removeOnComplete: { age: 7 * DAY_S, count: 1_000 },
    removeOnFail: { age: 30 * DAY_S, count: 5_000 },
  }),
} as const satisfies Record<JobName, JobsOptions | ((...args: never[]) => JobsOptions)>;
