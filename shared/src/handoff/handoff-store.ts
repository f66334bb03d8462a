import { luaScript, runScript } from '../redis/lua-script.js';
import type { RedisClient } from '../redis/connection.js';
import { fleetKeys } from '../redis/keys.js';
import type { SessionAddress } from '../whatsapp/inbound-event.js';

const flagSession = luaScript(import.meta.url, './lua/flagSession-3.lua');
const releaseSession = luaScript(import.meta.url, './lua/releaseSession-3.lua');
const takeHandoff = luaScript(import.meta.url, './lua/takeHandoff-3.lua');
const expireHandoff = luaScript(import.meta.url, './lua/expireHandoff-3.lua');

/** Why the bot handed a conversation over (a closed set: it labels metrics and the inbox). */
export const HandoffReason = {
  AskedForPerson: 'asked_for_person',
  Misunderstood: 'misunderstood',
  ClinicOutage: 'clinic_outage',
} as const;
export type HandoffReason = (typeof HandoffReason)[keyof typeof HandoffReason];

/** What the bot knows when it hands over, shown to the operator (never logged). */
export interface HandoffDetails {
  /** Where operator replies go. */
  address?: SessionAddress;
  firstName?: string;
}

/** A session an operator should pick up. */
export interface Handoff extends HandoffDetails {
  sessionKey: string;
  reason: string;
  /** Epoch ms. */
  flaggedAt: number;
  /** Epoch ms; past it the patient is told nobody could answer and the bot resumes. */
  expiresAt: number;
  /** Operator id holding the conversation, if one took it. */
  assignee?: string;
  takenAt?: number;
}

export type TakeResult = { ok: true } | { ok: false; reason: 'taken'; holder: string } | { ok: false; reason: 'missing' | 'not_taken' };

export interface HandoffStoreOptions {
  /** Same prefix as the session keys (KEY_PREFIX). */
  keyPrefix: string;
  /** How long a handoff waits for an operator (again from each take and reply). */
  timeoutSeconds: number;
  clock?: () => number;
}

/**
 * Sessions handed off to a human (docs/product.md and docs/dialog.md, "Human handoff"). While
 * flagged, the bot stays silent on that session. Flags live under one {hash
 * tag} with their index and the inbox version counter, so flag, take and
 * release are single scripts even on Redis Cluster; the volume is operators'
 * work queue, far below what one slot handles. A flag outlives its expiry by
 * a grace period so the worker's timer, not the TTL, ends it and tells the
 * patient; the TTL only backstops a fleet that is down.
 */
export class HandoffStore {
  static readonly graceSeconds = 300;
  private readonly clock: () => number;

  constructor(
    private readonly redis: RedisClient,
    private readonly options: HandoffStoreOptions,
  ) {
    this.clock = options.clock ?? Date.now;
  }

  private flagKey(sessionKey: string): string {
    return fleetKeys(this.options.keyPrefix).handoffFlag(sessionKey);
  }

  private get indexKey(): string {
    return fleetKeys(this.options.keyPrefix).handoffIndex;
  }

  /** Bumped by every change operators should see (flags, takes, releases, new transcript lines). */
  get versionKey(): string {
    return fleetKeys(this.options.keyPrefix).handoffVersion;
  }

  private keys(sessionKey: string): string[] {
    return [this.flagKey(sessionKey), this.indexKey, this.versionKey];
  }

  get timeoutSeconds(): number {
    return this.options.timeoutSeconds;
  }

  /** Flags (or re-flags, extending the wait) a session; true when it was not flagged before. */
  async flag(sessionKey: string, reason: string, details: HandoffDetails = {}): Promise<boolean> {
    const flaggedAt = this.clock();
    const expiresAt = flaggedAt + this.options.timeoutSeconds * 1000;
    const value = JSON.stringify({ reason, flaggedAt, expiresAt, ...details });
    const fresh = await runScript<number>(this.redis, flagSession, this.keys(sessionKey), [
      sessionKey,
      value,
      this.options.timeoutSeconds + HandoffStore.graceSeconds,
      expiresAt,
    ]);
    return fresh === 1;
  }

  async isFlagged(sessionKey: string): Promise<boolean> {
    return (await this.redis.exists(this.flagKey(sessionKey))) === 1;
  }

  async get(sessionKey: string): Promise<Handoff | null> {
    const raw = await this.redis.get(this.flagKey(sessionKey));
    return raw ? { sessionKey, ...(JSON.parse(raw) as Omit<Handoff, 'sessionKey'>) } : null;
  }

  /**
   * Ends a handoff; true when the session was flagged. With `operator`, a
   * conversation another operator holds is left alone (returns 'held').
   */
  async release(sessionKey: string, operator = ''): Promise<boolean | 'held'> {
    const [status] = await runScript<['released'] | ['missing'] | ['held', string]>(this.redis, releaseSession, this.keys(sessionKey), [
      sessionKey,
      operator,
    ]);
    if (status === 'held') return 'held';
    if (status !== 'released' && status !== 'missing') throw new Error(`releaseSession replied unknown status "${String(status)}"`);
    return status === 'released';
  }

  /** Assigns the conversation to `operator` unless another holds it; restarts the wait. */
  take(sessionKey: string, operator: string): Promise<TakeResult> {
    return this.assign(sessionKey, operator, 'take');
  }

  /** The holder is still on it (a reply): restarts the wait; fails unless `operator` holds it. */
  touch(sessionKey: string, operator: string): Promise<TakeResult> {
    return this.assign(sessionKey, operator, 'touch');
  }

  private async assign(sessionKey: string, operator: string, mode: 'take' | 'touch'): Promise<TakeResult> {
    const [status, holder] = await runScript<[string, string]>(this.redis, takeHandoff, this.keys(sessionKey), [
      sessionKey,
      operator,
      this.clock(),
      this.options.timeoutSeconds,
      HandoffStore.graceSeconds,
      mode,
    ]);
    if (status === 'ok') return { ok: true };
    if (status === 'taken') return { ok: false, reason: 'taken', holder };
    return { ok: false, reason: status === 'not_taken' ? 'not_taken' : 'missing' };
  }

  /**
   * The timer of the handoff flagged at `flaggedAt` fired: 'ended' when it
   * ended it now, 'over' when that handoff had already ended, or the new
   * expiry when activity pushed the wait back.
   */
  async expire(sessionKey: string, flaggedAt: number): Promise<'ended' | 'over' | number> {
    const [status, expiresAt] = await runScript<['ended'] | ['over'] | ['extended', number]>(
      this.redis,
      expireHandoff,
      this.keys(sessionKey),
      [sessionKey, String(flaggedAt), this.clock()],
    );
    if (status === 'extended') return expiresAt;
    if (status !== 'ended' && status !== 'over') throw new Error(`expireHandoff replied unknown status "${String(status)}"`);
    return status;
  }

  async version(): Promise<string> {
    return (await this.redis.get(this.versionKey)) ?? '0';
  }

  /** Something operators should see changed outside the flag (a transcript line, a delivery status). */
  async bump(): Promise<void> {
    await this.redis.incr(this.versionKey);
  }

  /** Flagged sessions, longest waiting first. */
  async list(limit = 500): Promise<Handoff[]> {
    // Flags past their expiry are ending (the worker's timer tells the patient); their index entries are swept here.
    await this.redis.zremrangebyscore(this.indexKey, '-inf', this.clock());
    const sessionKeys = await this.redis.zrange(this.indexKey, 0, limit - 1);
    if (sessionKeys.length === 0) return [];
    const values = await this.redis.mget(...sessionKeys.map((k) => this.flagKey(k)));
    const out: Handoff[] = [];
    for (const [i, raw] of values.entries()) {
      if (!raw) continue;
      out.push({ sessionKey: sessionKeys[i]!, ...(JSON.parse(raw) as Omit<Handoff, 'sessionKey'>) });
    }
    return out.sort((a, b) => a.flaggedAt - b.flaggedAt);
  }
}
