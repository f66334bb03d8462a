import { setTimeout as sleep } from 'node:timers/promises';
import { luaScript, runScript, type RedisClient } from '@medcita/shared';
import { sendKeys } from './whatsapp-keys.js';

const acquireSendSlot = luaScript(import.meta.url, './lua/acquireSendSlot-3.lua');
const extendPause = luaScript(import.meta.url, './lua/extendPause-1.lua');

export interface SendLimiterOptions {
  redis: RedisClient;
  keyPrefix: string;
  /** Messages per second per business number, across the whole fleet (Meta's default ceiling: 80). */
  perSecond: number;
}

export type WaitReason = 'slot' | 'number-paused' | 'pair-paused';

/**
 * Fleet-wide pacing of sends per business number, in Redis so every worker
 * process shares it. Callers wait the delay Redis hands out; pauses set on
 * 130429 / 131056 hold back every worker, not only the one that was told.
 */
export class SendLimiter {
  private readonly intervalMs: number;

  constructor(private readonly opts: SendLimiterOptions) {
    if (!(opts.perSecond > 0)) throw new Error('SendLimiter perSecond must be > 0');
    this.intervalMs = 1000 / opts.perSecond;
  }

  /**
   * Resolves when this caller may send to `recipient`; `onWait` hears every
   * wait (for metrics and debug logs).
   */
  async acquire(phoneNumberId: string, recipient: string, onWait?: (reason: WaitReason, ms: number) => void): Promise<void> {
    const keys = sendKeys(this.opts.keyPrefix, phoneNumberId);
    for (;;) {
      const [waitMs, reason] = await runScript<[number, number]>(
        this.opts.redis,
        acquireSendSlot,
        [keys.schedule, keys.numberPause, keys.pairPause(recipient)],
        [this.intervalMs.toFixed(3)],
      );
      if (waitMs > 0) {
        onWait?.(reason === 0 ? 'slot' : reason === 1 ? 'number-paused' : 'pair-paused', waitMs);
        await sleep(waitMs);
      }
      if (reason === 0) return;
    }
  }

  /** Holds back every send of the number for `ms` (Graph 130429 and other throughput errors). */
  async pauseNumber(phoneNumberId: string, ms: number): Promise<void> {
    await runScript(this.opts.redis, extendPause, [sendKeys(this.opts.keyPrefix, phoneNumberId).numberPause], [Math.ceil(ms)]);
  }

  /** Holds back sends to one user for `ms` (Graph 131056, pair rate limit). */
  async pausePair(phoneNumberId: string, recipient: string, ms: number): Promise<void> {
    await runScript(this.opts.redis, extendPause, [sendKeys(this.opts.keyPrefix, phoneNumberId).pairPause(recipient)], [Math.ceil(ms)]);
  }
}
