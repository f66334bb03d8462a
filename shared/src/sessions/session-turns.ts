import type { RedisClient } from '../redis/connection.js';
import { luaScript, runScript } from '../redis/lua-script.js';
import type { InboxEntry } from './inbox-entry.js';
import { sessionKeys } from './session-keys.js';

const acquireLock = luaScript(import.meta.url, './lua/acquireLock-1.lua');
const releaseLock = luaScript(import.meta.url, './lua/releaseLock-1.lua');
const beginTurn = luaScript(import.meta.url, './lua/beginTurn-4.lua');
const commitTurn = luaScript(import.meta.url, './lua/commitTurn-7.lua');

export interface SessionTurnsOptions {
  keyPrefix: string;
  lockTtlMs: number;
  maxBatch: number;
  /** Redis TTL of state and history; longer than the dialog's idle timeout so expiry can be told apart from "new". */
  stateTtlSeconds: number;
  historyCap: number;
}

export interface TurnBatch {
  /** 1 for a fresh batch; >1 when a crashed or failed turn is retried on the same batch. */
  attempt: number;
  entries: InboxEntry[];
}

export type TurnState = Record<string, string>;

/** Thrown when a turn finds that its lock expired and another worker owns the session. */
export class LockLostError extends Error {
  readonly code = 'LOCK_LOST';
  constructor(sessionKey: string) {
    super(`session lock lost for ${sessionKey}`);
    this.name = 'LockLostError';
  }
}

/** The worker side of a session: lock, take a batch, commit the outcome. */
export class SessionTurns {
  constructor(
    private readonly redis: RedisClient,
    private readonly options: SessionTurnsOptions,
  ) {}

  /** Takes or refreshes the lock; false when another owner holds it. */
  async lock(sessionKey: string, token: string): Promise<boolean> {
    const keys = sessionKeys(this.options.keyPrefix, sessionKey);
    return (await runScript<number>(this.redis, acquireLock, [keys.lock], [token, this.options.lockTtlMs])) === 1;
  }

  async unlock(sessionKey: string, token: string): Promise<boolean> {
    const keys = sessionKeys(this.options.keyPrefix, sessionKey);
    return (await runScript<number>(this.redis, releaseLock, [keys.lock], [token])) === 1;
  }

  /** The batch to work on, or null when the inbox is empty. */
  async begin(sessionKey: string, token: string): Promise<TurnBatch | null> {
    const keys = sessionKeys(this.options.keyPrefix, sessionKey);
    const reply = await runScript<['ok', number, ...string[]] | ['empty'] | ['lost_lock']>(
      this.redis,
      beginTurn,
      [keys.lock, keys.inbox, keys.processing, keys.attempts],
      [token, this.options.maxBatch, Math.max(this.options.stateTtlSeconds, 86_400)],
    );
    if (reply[0] === 'lost_lock') throw new LockLostError(sessionKey);
    if (reply[0] === 'empty') return null;
    if (reply[0] !== 'ok') throw new Error(`beginTurn replied unknown status "${String(reply[0])}"`);
    const [, attempt, ...raw] = reply;
    return { attempt, entries: raw.map((r) => JSON.parse(r) as InboxEntry) };
  }

  async loadState(sessionKey: string): Promise<TurnState> {
    return this.redis.hgetall(sessionKeys(this.options.keyPrefix, sessionKey).state);
  }

  async history(sessionKey: string): Promise<string[]> {
    return this.redis.lrange(sessionKeys(this.options.keyPrefix, sessionKey).history, 0, -1);
  }

  /**
   * Saves state + history, queues the turn's audit record in the session's
   * outbox and drops the batch, atomically. With `deferral`, the last
   * `messages` of the batch go back to the head of the inbox instead (over the
   * rate limit) and the inbox is cut to `backlogMax`. Returns the messages
   * still waiting and how many the cut discarded.
   */
  async commit(
    sessionKey: string,
    token: string,
    state: TurnState,
    historyEntries: string[],
    auditRecord = '',
    deferral: { messages: number; backlogMax: number } = { messages: 0, backlogMax: 0 },
  ): Promise<{ left: number; discarded: number }> {
    const keys = sessionKeys(this.options.keyPrefix, sessionKey);
    const pairs = Object.entries(state).flat();
    const reply = await runScript<['ok', number, number] | ['lost_lock']>(
      this.redis,
      commitTurn,
      [keys.lock, keys.processing, keys.attempts, keys.state, keys.history, keys.inbox, keys.auditOutbox],
      [
        token,
        this.options.stateTtlSeconds,
        this.options.historyCap,
        auditRecord,
        deferral.messages,
        deferral.backlogMax,
        pairs.length / 2,
        ...pairs,
        ...historyEntries,
      ],
    );
    if (reply[0] === 'lost_lock') throw new LockLostError(sessionKey);
    if (reply[0] !== 'ok') throw new Error(`commitTurn replied unknown status "${String(reply[0])}"`);
    const [, left, discarded] = reply;
    return { left, discarded };
  }

  /** Audit records committed but not yet moved to the audit stream (a crash can leave some). */
  async pendingAudit(sessionKey: string): Promise<string[]> {
    return this.redis.lrange(sessionKeys(this.options.keyPrefix, sessionKey).auditOutbox, 0, -1);
  }

  /** Drops outbox records once they are in the stream (each by value: a record is unique by its rid). */
  async dropAudit(sessionKey: string, records: readonly string[]): Promise<void> {
    if (records.length === 0) return;
    const key = sessionKeys(this.options.keyPrefix, sessionKey).auditOutbox;
    // Each LREM stands alone (a record left behind is published again and deduped by rid): a pipeline, not MULTI.
    const batch = this.redis.pipeline();
    for (const r of records) batch.lrem(key, 1, r);
    for (const [err] of (await batch.exec()) ?? []) if (err) throw err;
  }
}
