import type { Logger, SessionRateLimit, SessionTurns } from '@medcita/shared';
import type { TurnTranscript } from '../handoff/transcript-recorder.js';
import type { ReplySender, TurnHandler } from './ports.js';
import type { TurnJournal } from './turn-journal.js';

export interface TurnRunnerOptions {
  lockTtlMs: number;
  /** A batch that failed this many times is answered with an apology and set aside. */
  maxBatchAttempts: number;
  /** Batches one job may run before yielding (the session stays scheduled). */
  maxBatchesPerJob: number;
}

export interface TurnRunnerDeps {
  turns: SessionTurns;
  handler: TurnHandler;
  sender: ReplySender;
  journal: TurnJournal;
  logger: Logger;
  /** Per-session message rate limit; excess messages wait for the window (bounded). */
  rateLimit?: SessionRateLimit;
  texts: PipelineTexts;
  /** Keeps the turn's text for operators (rolling context, handoff transcript); absent = none kept. */
  transcript?: TurnTranscript;
  now?: () => number;
  onTurn?: (t: { seconds: number; ackToReplySeconds: number; outcome: TurnOutcome }) => void;
  onRateLimited?: (messages: number) => void;
  /** Messages beyond the rate-limit backlog, discarded (the user was told). */
  onRateDiscarded?: (messages: number) => void;
}

/** What the pipeline itself may have to say, whatever the conversation logic. */
export interface PipelineTexts {
  /** A batch failed too often and is set aside. */
  apology: string;
  /** Messages over the per-session rate limit wait and will be answered in order (once per window). */
  rateDeferred: string;
  /** The backlog over the rate limit is full: the newest messages were not read (once per window). */
  rateDiscarded: string;
}

export type TurnOutcome = 'ok' | 'dropped' | 'rate_limited';
