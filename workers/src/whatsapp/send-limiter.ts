import { luaScript, runScript, type RedisClient } from '@medcita/shared';
import type { Pacing } from './send-ledger.js';
import { sendKeys } from './whatsapp-keys.js';

const lowerSendRate = luaScript(import.meta.url, './lua/lowerSendRate-1.lua');
const extendPause = luaScript(import.meta.url, './lua/extendPause-1.lua');

export interface SendLimiterOptions {
  redis: RedisClient;
  keyPrefix: string;
  /** Messages per second per business number, across the whole fleet (Meta's default ceiling: 80). */
  perSecond: number;
  /** After throttling, how fast the rate climbs back, in msg/s per second; default perSecond / 10. */
  increasePerSecond?: number;
  /** Factor applied to the rate on each throughput error; default 0.95. */
  decreaseFactor?: number;
}

/** Below this the limiter never goes, so a number always gets some messages out. */
const FLOOR_PER_SECOND = 1;

/**
 * Fleet-wide pacing of sends per business number, in Redis so every worker
 * process shares it. Callers wait the delay Redis hands out. A 130429
 * (number throughput) lowers the fleet-wide rate a little (multiplicative
 * decrease) and the rate climbs back linearly (additive increase), so random
 * throttles cost a few percent and a real overload converges on what
 * WhatsApp accepts, instead of pausing every send of the number for each
 * 429. Pauses (131056 per user, app/account call limits per number) still
 * hold back every worker, not only the one that was told.
 */
export class SendLimiter {
  private readonly increase: number;
  private readonly decrease: number;
  private readonly increaseArg: string;

  constructor(private readonly opts: SendLimiterOptions) {
    if (!(opts.perSecond > 0)) throw new Error('SendLimiter perSecond must be > 0');
    this.increase = opts.increasePerSecond ?? opts.perSecond / 10;
    this.decrease = opts.decreaseFactor ?? 0.95;
    if (!(this.increase > 0)) throw new Error('SendLimiter increasePerSecond must be > 0');
    if (!(this.decrease > 0 && this.decrease < 1)) throw new Error('SendLimiter decreaseFactor must be in (0, 1)');
    this.increaseArg = this.increase.toFixed(4);
  }

  /**
   * What the send slot reservation needs (it runs inside startSend-5.lua,
   * with the message's claim: one round trip before each request).
   */
  pacing(phoneNumberId: string, recipient: string): Pacing {
    const keys = sendKeys(this.opts.keyPrefix, phoneNumberId);
    return {
      keys: [keys.schedule, keys.numberPause, keys.pairPause(recipient), keys.rate],
      args: [this.opts.perSecond, this.increaseArg],
    };
  }

  /** A throughput error (130429): every worker sends this number's messages a little slower. Returns the new rate (msg/s). */
  async slowDown(phoneNumberId: string): Promise<number> {
    const rate = await runScript<string>(
      this.opts.redis,
      lowerSendRate,
      [sendKeys(this.opts.keyPrefix, phoneNumberId).rate],
      [this.opts.perSecond, this.increaseArg, this.decrease, FLOOR_PER_SECOND],
    );
    return Number(rate);
  }

  /** The number's current fleet-wide rate in msg/s (the ceiling unless throttling lowered it). */
  async currentRate(phoneNumberId: string): Promise<number> {
    const [rate, at] = await this.opts.redis.hmget(sendKeys(this.opts.keyPrefix, phoneNumberId).rate, 'rate', 'at');
    if (rate == null || at == null) return this.opts.perSecond;
    return Math.min(this.opts.perSecond, Number(rate) + (this.increase * Math.max(0, Date.now() - Number(at))) / 1000);
  }

  /** Holds back every send of the number for `ms` (app or account call limits, which a lower rate does not fix). */
  async pauseNumber(phoneNumberId: string, ms: number): Promise<void> {
    await runScript(this.opts.redis, extendPause, [sendKeys(this.opts.keyPrefix, phoneNumberId).numberPause], [Math.ceil(ms)]);
  }

  /** Holds back sends to one user for `ms` (Graph 131056, pair rate limit). */
  async pausePair(phoneNumberId: string, recipient: string, ms: number): Promise<void> {
    await runScript(this.opts.redis, extendPause, [sendKeys(this.opts.keyPrefix, phoneNumberId).pairPause(recipient)], [Math.ceil(ms)]);
  }
}
