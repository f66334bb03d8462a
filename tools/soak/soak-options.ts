export interface SoakOptions {
  messages: number;
  sessions: number;
  workers: number;
  handler: 'echo' | 'dialog';
  seed: number;
  /** POSTs in flight. */
  parallel: number;
  duplicateRate: number;
  /** Share of Graph API sends answered 429 or 500 (half each). */
  graphFaultRate: number;
  /** Share of accepted sends answered after the client's timeout. */
  answerLateRate: number;
  /** Share of messages whose status webhooks come late. */
  lateStatusRate: number;
  /** A worker SIGKILLed this often (0: never); at most `maxWorkerKills` times. */
  killEveryMs: number;
  maxWorkerKills: number;
  redisRestart: boolean;
  redisKill: boolean;
  ackDurability: 'none' | 'replica';
  /** Give up waiting for the pipeline after this long (what is missing then is reported as lost). */
  timeoutMs: number;
}

export const DEFAULT_SOAK: SoakOptions = {
  messages: 6_000,
  sessions: 600,
  workers: 3,
  handler: 'echo',
  seed: 1,
  parallel: 16,
  duplicateRate: 0.1,
  graphFaultRate: 0.05,
  answerLateRate: 0.01,
  lateStatusRate: 0.1,
  killEveryMs: 10_000,
  maxWorkerKills: Infinity,
  redisRestart: true,
  redisKill: true,
  ackDurability: 'replica',
  timeoutMs: 30 * 60_000,
};
