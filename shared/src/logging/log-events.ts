/**
 * Log messages that tests, benchmarks, the dev stack and operators' queries
 * match on. A message here is an interface: rename it here, and every
 * matcher follows.
 */
export const LogEvent = {
  /** A worker committed a turn (carries requestId, jobId, session, turnId). */
  TurnDone: 'turn done',
  WorkerReady: 'worker ready',
  IngressListening: 'ingress listening',
  RedisConnectionError: 'redis connection error',
  QueueError: 'queue error',
  TransitionNotInTable: 'dialog: transition not in the table',
  UnknownOutcomeResend: 'resending a message whose earlier send has an unknown outcome',
  ModelDownloading: 'model file: downloading',
  EncoderLoading: 'encoder: loading',
} as const;
export type LogEvent = (typeof LogEvent)[keyof typeof LogEvent];
