export interface SessionRateLimitOptions {
  /** Messages a session may send per window; 0 turns the limit off. */
  limit: number;
  windowMs: number;
  /**
   * Most messages that may wait for the window (deferred); beyond it the
   * newest are discarded and the user is told. 0 = nothing waits.
   */
  backlogMax: number;
}

export interface Admission {
  /** How many of the batch (from the oldest) may be processed. */
  admitted: number;
  /**
   * Notice to send now: `defer` (the rest will be answered shortly) or
   * `discard` (some messages will not be read); each at most once per window.
   */
  notice: 'defer' | 'discard' | null;
  /** When not all were admitted: ms until the window admits the next message. */
  retryInMs: number;
}

/** The rate-limit figures a turn is admitted under. */
export interface RateLimitPolicy {
  limit: number;
  windowMs: number;
  backlogMax: number;
}

/**
 * Keeps one chatty user from monopolising the model. The admission itself
 * runs inside the step that opens a turn (openTurn-8.lua, via
 * SessionTurns.open/next), so it costs no round trip of its own.
 */
export class SessionRateLimit {
  constructor(private readonly options: SessionRateLimitOptions) {}

  get backlogMax(): number {
    return this.options.backlogMax;
  }

  get policy(): RateLimitPolicy {
    return { limit: Math.max(0, this.options.limit), windowMs: this.options.windowMs, backlogMax: this.options.backlogMax };
  }
}
