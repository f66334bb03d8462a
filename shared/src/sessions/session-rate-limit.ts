import type { RedisClient } from '../redis/connection.js';
import { luaScript, runScript } from '../redis/lua-script.js';
import { sessionKeys } from './session-keys.js';

const admitMessages = luaScript(import.meta.url, './lua/admitMessages-2.lua');

export interface SessionRateLimitOptions {
  keyPrefix: string;
  /** Messages a session may send per window; 0 turns the limit off. */
  limit: number;
  windowMs: number;
}

export interface Admission {
  /** How many of the batch (from the oldest) may be processed. */
  admitted: number;
  /** Send the "wait a moment" notice now (once per window). */
  notify: boolean;
}

/** Keeps one chatty user from monopolising the model; see admitMessages-2.lua. */
export class SessionRateLimit {
  constructor(
    private readonly redis: RedisClient,
    private readonly options: SessionRateLimitOptions,
  ) {}

  async admit(sessionKey: string, wamids: string[], now = Date.now()): Promise<Admission> {
    if (this.options.limit <= 0 || wamids.length === 0) return { admitted: wamids.length, notify: false };
    const keys = sessionKeys(this.options.keyPrefix, sessionKey);
    const [admitted, notify] = await runScript<[number, number]>(
      this.redis,
      admitMessages,
      [keys.rate, keys.rateNotice],
      [now, this.options.windowMs, this.options.limit, ...wamids],
    );
    return { admitted, notify: notify === 1 };
  }
}
