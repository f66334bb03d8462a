import { luaScript, runScript, runScriptPipelined, type RedisClient } from '@medcita/shared';
import { sendKeys } from './whatsapp-keys.js';

const startSend = luaScript(import.meta.url, './lua/startSend-5.lua');
const beginSend = luaScript(import.meta.url, './lua/beginSend-1.lua');
const releaseSend = luaScript(import.meta.url, './lua/releaseSend-1.lua');
const settleSend = luaScript(import.meta.url, './lua/settleSend-1.lua');

/** The value of a done marker whose turn committed (settleSend-1.lua): sent, message id no longer kept. */
const COMPACTED = '1';

/** Whose unfinished claim a start took over, if any (see startSend-5.lua). */
export type TakenFrom = 'takeover' | 'unknown';

export type StartResult =
  | { state: 'done'; messageId: string }
  | { state: 'busy'; ageMs: number }
  /** A later call found the marker in other hands, or done: stand down. */
  | { state: 'lost' }
  | { state: 'paused'; reason: 'number-paused' | 'pair-paused'; waitMs: number; from?: TakenFrom }
  /** The slot is `waitMs` away; `begun`: the request is already recorded as started, else run `begin` once there. */
  | { state: 'slot'; waitMs: number; begun: boolean; from?: TakenFrom };

/** The number's pacing keys and arguments (SendLimiter.pacing). */
export interface Pacing {
  keys: readonly [schedule: string, numberPause: string, pairPause: string, rate: string];
  args: readonly [ceiling: number, increase: string];
}

export interface StartTiming {
  /** How long a started request may stay unsettled before the message counts as lost and may be resent. */
  unknownGraceMs: number;
  /** How long a claim may wait for its first request before its owner is presumed dead. */
  takeoverMs: number;
  /** A slot at most this far away is recorded as started at once (its sender must then not wake later than that past it). */
  beginWithinMs: number;
}

const PAUSED: Record<string, 'number-paused' | 'pair-paused' | undefined> = {
  number_paused: 'number-paused',
  pair_paused: 'pair-paused',
};

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
   * Claims the message (`first`), or checks the caller still owns it, and
   * reserves its send slot, in one script (startSend-5.lua).
   */
  async start(
    phoneNumberId: string,
    idempotencyKey: string,
    owner: string,
    pacing: Pacing,
    timing: StartTiming,
    first: boolean,
  ): Promise<StartResult> {
    const [status, detail, n] = await runScript<[string, string, number]>(
      this.redis,
      startSend,
      [this.key(phoneNumberId, idempotencyKey), ...pacing.keys],
      [owner, this.ttlMs, timing.unknownGraceMs, timing.takeoverMs, ...pacing.args, timing.beginWithinMs, first ? 'claim' : 'own'],
    );
    const from: { from?: TakenFrom } = detail === 'takeover' || detail === 'unknown' ? { from: detail } : {};
    switch (status) {
      case 'done':
        return { state: 'done', messageId: detail === COMPACTED ? '' : detail };
      case 'busy':
        return { state: 'busy', ageMs: n };
      case 'lost':
        return { state: 'lost' };
      case 'sending':
      case 'reserved':
        return { state: 'slot', waitMs: n, begun: status === 'sending', ...from };
    }
    const reason = PAUSED[status];
    if (!reason) throw new Error(`startSend replied unknown status "${status}"`);
    return { state: 'paused', reason, waitMs: n, ...from };
  }

  /** After waiting for a slot `start` did not record: false when another sender took the message over (do not send). */
  async begin(phoneNumberId: string, idempotencyKey: string, owner: string): Promise<boolean> {
    return (await runScript<number>(this.redis, beginSend, [this.key(phoneNumberId, idempotencyKey)], [owner])) === 1;
  }

  /**
   * Records that WhatsApp accepted the message: a done marker is a string
   * holding only the message id, what a later start needs, at about half the
   * memory of a hash (docs/benchmarks.md). A plain SET, not a script: any
   * marker may become done once the message is out (an open one of another
   * owner too: that owner then stands down), and a done one stays done.
   */
  async complete(phoneNumberId: string, idempotencyKey: string, messageId: string): Promise<void> {
    await this.redis.set(this.key(phoneNumberId, idempotencyKey), messageId, 'PX', this.ttlMs);
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
   * (never lengthened) and a done marker drops its message id. One pipeline
   * for all of a turn's markers: they share the business number's slot.
   */
  async shortenTtl(phoneNumberId: string, idempotencyKeys: readonly string[], ttlMs: number): Promise<void> {
    if (idempotencyKeys.length === 0) return;
    await runScriptPipelined(
      this.redis,
      settleSend,
      idempotencyKeys.map((k) => ({ keys: [this.key(phoneNumberId, k)], args: [ttlMs] })),
    );
  }

  /** Only for sends that certainly did not reach WhatsApp. */
  async release(phoneNumberId: string, idempotencyKey: string, owner: string): Promise<void> {
    await runScript(this.redis, releaseSend, [this.key(phoneNumberId, idempotencyKey)], [owner]);
  }

  private key(phoneNumberId: string, idempotencyKey: string): string {
    return sendKeys(this.keyPrefix, phoneNumberId).sendMarker(idempotencyKey);
  }
}
