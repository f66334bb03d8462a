import { luaScript, runScript, type RedisClient } from '@medcita/shared';

const recordFailure = luaScript(import.meta.url, './lua/recordFailure-1.lua');

export interface IdentityGuardOptions {
  keyPrefix: string;
  maxFailures: number;
  windowSeconds: number;
}

/** Failed identifications per session (docs/product.md, "Identity"): after `maxFailures` in the window, no more attempts. */
export interface IdentityLimiter {
  isLocked(sessionKey: string): Promise<boolean>;
  /** Records a failure; true when the session is now locked. */
  recordFailure(sessionKey: string, attemptId: string): Promise<boolean>;
}

/** Redis-backed limiter; the key carries the session's hash tag like its other keys. */
export class IdentityGuard implements IdentityLimiter {
  constructor(
    private readonly redis: RedisClient,
    private readonly options: IdentityGuardOptions,
  ) {}

  private key(sessionKey: string): string {
    return `${this.options.keyPrefix}:{${sessionKey}}:identity-failures`;
  }

  async isLocked(sessionKey: string): Promise<boolean> {
    return (await this.redis.hlen(this.key(sessionKey))) >= this.options.maxFailures;
  }

  async recordFailure(sessionKey: string, attemptId: string): Promise<boolean> {
    const count = await runScript<number>(this.redis, recordFailure, [this.key(sessionKey)], [
      attemptId,
      this.options.windowSeconds,
    ]);
    return count >= this.options.maxFailures;
  }
}
