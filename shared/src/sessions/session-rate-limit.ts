import type { RedisClient } from '../redis/connection.js';
import { luaScript, runScript } from '../redis/lua-script.js';
import { sessionKeys } from './session-keys.js';

const admitMessages = luaScript(import.meta.url, './lua/admitMessages-3.lua');

export interface SessionRateLimitOptions {
  keyPrefix: string;
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

/** Keeps one chatty user from monopolising the model; see admitMessages-3.lua. */
export class SessionRateLimit {
  constructor(
    private readonly redis: RedisClient,
    private readonly options: SessionRateLimitOptions,
  ) {}

  get backlogMax(): number {
    return this.options.backlogMax;
  }

  async admit(sessionKey: string, wamids: string[], now = Date.now()): Promise<Admission> {
    if (this.options.limit <= 0 || wamids.length === 0) return { admitted: wamids.length, notice: null, retryInMs: 0 };
    const keys = sessionKeys(this.options.keyPrefix, sessionKey);
    const [admitted, notice, retryInMs] = await runScript<[number, number, number, number]>(
      this.redis,
      admitMessages,
      [keys.rate, keys.rateNotice, keys.inbox],
      [now, this.options.windowMs, this.options.limit, this.options.backlogMax, ...wamids],
    );
    return { admitted, notice: notice === 2 ? 'discard' : notice === 1 ? 'defer' : null, retryInMs };
  }
}
