import { luaScript, runScript } from '../redis/lua-script.js';
import type { RedisClient } from '../redis/connection.js';

const flagSession = luaScript(import.meta.url, './lua/flagSession-2.lua');
const releaseSession = luaScript(import.meta.url, './lua/releaseSession-2.lua');

/** A session an operator should pick up. */
export interface Handoff {
  sessionKey: string;
  reason: string;
  /** Epoch ms. */
  flaggedAt: number;
  /** Epoch ms; past it the bot answers again even without a release. */
  expiresAt: number;
}

export interface HandoffStoreOptions {
  /** Same prefix as the session keys (KEY_PREFIX). */
  keyPrefix: string;
  /** How long a flag lasts when no operator releases it. */
  timeoutSeconds: number;
  clock?: () => number;
}

/**
 * Sessions handed off to a human (docs/product.md, "Human handoff"). While flagged, the bot stays
 * silent on that session. Flags live under one {hash tag} with their index,
 * so flag and release are single scripts even on Redis Cluster; the volume is
 * operators' work queue, far below what one slot handles.
 */
export class HandoffStore {
  private readonly clock: () => number;

  constructor(
    private readonly redis: RedisClient,
    private readonly options: HandoffStoreOptions,
  ) {
    this.clock = options.clock ?? Date.now;
  }

  private flagKey(sessionKey: string): string {
    return `${this.options.keyPrefix}:{handoff}:session:${sessionKey}`;
  }

  private get indexKey(): string {
    return `${this.options.keyPrefix}:{handoff}:index`;
  }

  /** Flags (or re-flags, extending the timeout) a session; true when it was not flagged before. */
  async flag(sessionKey: string, reason: string): Promise<boolean> {
    const flaggedAt = this.clock();
    const expiresAt = flaggedAt + this.options.timeoutSeconds * 1000;
    const value = JSON.stringify({ reason, flaggedAt, expiresAt });
    const fresh = await runScript<number>(this.redis, flagSession, [this.flagKey(sessionKey), this.indexKey], [
      sessionKey, value, this.options.timeoutSeconds, expiresAt,
    ]);
    return fresh === 1;
  }

  async isFlagged(sessionKey: string): Promise<boolean> {
    return (await this.redis.exists(this.flagKey(sessionKey))) === 1;
  }

  /** Ends a handoff; true when the session was flagged. */
  async release(sessionKey: string): Promise<boolean> {
    const removed = await runScript<number>(this.redis, releaseSession, [this.flagKey(sessionKey), this.indexKey], [sessionKey]);
    return removed === 1;
  }

  /** Flagged sessions, oldest expiry first (that is, longest waiting first). */
  async list(limit = 500): Promise<Handoff[]> {
    // Expired flags vanish by TTL; their index entries are swept here.
    await this.redis.zremrangebyscore(this.indexKey, '-inf', `(${this.clock()}`);
    const sessionKeys = await this.redis.zrange(this.indexKey, 0, limit - 1);
    if (sessionKeys.length === 0) return [];
    const values = await this.redis.mget(...sessionKeys.map((k) => this.flagKey(k)));
    const out: Handoff[] = [];
    for (const [i, raw] of values.entries()) {
      if (!raw) continue;
      const parsed = JSON.parse(raw) as Omit<Handoff, 'sessionKey'>;
      out.push({ sessionKey: sessionKeys[i]!, ...parsed });
    }
    return out;
  }
}
