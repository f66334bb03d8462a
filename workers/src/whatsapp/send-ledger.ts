import { luaScript, runScript, type RedisClient } from '@medcita/shared';
import { sendKeys } from './whatsapp-keys.js';

const claimSend = luaScript(import.meta.url, './lua/claimSend-1.lua');
const beginSend = luaScript(import.meta.url, './lua/beginSend-1.lua');
const completeSend = luaScript(import.meta.url, './lua/completeSend-1.lua');
const releaseSend = luaScript(import.meta.url, './lua/releaseSend-1.lua');
const settleSend = luaScript(import.meta.url, './lua/settleSend-1.lua');

/** The value of a done marker whose turn committed (settleSend-1.lua): sent, message id no longer kept. */
const COMPACTED = '1';

export type ClaimResult =
  /** `from`: whose unfinished claim was taken over, if any (see claimSend-1.lua). */
  { state: 'claimed'; from?: 'takeover' | 'unknown' } | { state: 'done'; messageId: string } | { state: 'busy'; ageMs: number };

/**
 * Idempotency markers for outbound messages: who claimed a message, when its
 * request went out, and its Graph message id once sent (by the sender, or by
 * the ingress from the status webhook that echoes the key). Kept as long as
 * the batch they belong to can be retried, then shortened by `settle` once
 * its turn committed.
 */
export class SendLedger {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
    private readonly ttlMs: number,
  ) {}

  /**
   * `unknownGraceMs`: how long a started request may stay unsettled before
   * the message counts as lost and may be resent; `takeoverMs`: how long a
   * claim may wait for its first request before its owner is presumed dead.
   */
  async claim(
    phoneNumberId: string,
    idempotencyKey: string,
    owner: string,
    timing: { unknownGraceMs: number; takeoverMs: number },
  ): Promise<ClaimResult> {
    const [state, detail] = await runScript<[string, string]>(
      this.redis,
      claimSend,
      [this.key(phoneNumberId, idempotencyKey)],
      [owner, this.ttlMs, timing.unknownGraceMs, timing.takeoverMs],
    );
    if (state === 'claimed') return detail === 'takeover' || detail === 'unknown' ? { state, from: detail } : { state };
    if (state === 'done') return { state, messageId: detail === COMPACTED ? '' : detail };
    return { state: 'busy', ageMs: Number(detail) };
  }

  /** Before each request: false when another sender took the message over (do not send). */
  async begin(phoneNumberId: string, idempotencyKey: string, owner: string): Promise<boolean> {
    return (await runScript<number>(this.redis, beginSend, [this.key(phoneNumberId, idempotencyKey)], [owner])) === 1;
  }

  async complete(phoneNumberId: string, idempotencyKey: string, messageId: string): Promise<void> {
    await runScript(this.redis, completeSend, [this.key(phoneNumberId, idempotencyKey)], [messageId, this.ttlMs]);
  }

  /** The Graph message id once the send is settled (by its sender or a status webhook), else null. Read only. */
  async settled(phoneNumberId: string, idempotencyKey: string): Promise<string | null> {
    const key = this.key(phoneNumberId, idempotencyKey);
    // A marker only ever turns from an open hash into a done string, so a type that changed under us is read once more.
    for (let attempt = 0; ; attempt++) {
      try {
        if ((await this.redis.type(key)) === 'hash') {
          const [state, messageId] = await this.redis.hmget(key, 'state', 'messageId');
          return state === 'done' ? (messageId ?? '') : null;
        }
        const value = await this.redis.get(key);
        return value === null ? null : value === COMPACTED ? '' : value;
      } catch (err) {
        if (attempt > 0 || !String((err as Error).message).startsWith('WRONGTYPE')) throw err;
      }
    }
  }

  /**
   * After the turn that owned these sends committed, no retry can reuse its
   * keys; the markers only have to outlive a displaced owner still running
   * (docs/architecture.md, "Redis keys"), so their TTL drops to `ttlMs`
   * (never lengthened) and a done marker drops its message id.
   */
  async shortenTtl(phoneNumberId: string, idempotencyKeys: readonly string[], ttlMs: number): Promise<void> {
    if (idempotencyKeys.length === 0) return;
    await Promise.all(idempotencyKeys.map((k) => runScript(this.redis, settleSend, [this.key(phoneNumberId, k)], [ttlMs])));
  }

  /** Only for sends that certainly did not reach WhatsApp. */
  async release(phoneNumberId: string, idempotencyKey: string, owner: string): Promise<void> {
    await runScript(this.redis, releaseSend, [this.key(phoneNumberId, idempotencyKey)], [owner]);
  }

  private key(phoneNumberId: string, idempotencyKey: string): string {
    return sendKeys(this.keyPrefix, phoneNumberId).sendMarker(idempotencyKey);
  }
}
