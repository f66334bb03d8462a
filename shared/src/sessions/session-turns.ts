import type { TranscriptText } from '../handoff/transcript-store.js';
import type { RedisClient } from '../redis/connection.js';
import { allAnswered } from '../redis/all-answered.js';
import { luaScript, runScript } from '../redis/lua-script.js';
import type { InboxEntry } from './inbox-entry.js';
import { sessionKeys } from './session-keys.js';
import type { Admission, RateLimitPolicy } from './session-rate-limit.js';

const extendLock = luaScript(import.meta.url, './lua/extendLock-1.lua');
const releaseLock = luaScript(import.meta.url, './lua/releaseLock-1.lua');
const openTurn = luaScript(import.meta.url, './lua/openTurn-8.lua');
const commitTurn = luaScript(import.meta.url, './lua/commitTurn-9.lua');

/** recordLines' parameters when a commit stores no text (they are then not read). */
const NO_TEXT: TranscriptText['params'] = [0, 0, 0, 0, 0];

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

/** How the batch a turn opens is admitted. */
export interface OpenTurnOptions {
  /** The turn's clock (ms): the rate-limit window is measured with it. */
  now: number;
  /** A batch tried more often than this is not admitted and gets no state (the caller apologises). */
  maxAttempts: number;
  /** Absent or limit 0: every message of the batch is admitted. */
  rateLimit?: RateLimitPolicy;
}

/** A batch to work on, admitted under the rate limit, with the state the previous turn saved. */
export interface OpenedBatch {
  kind: 'batch';
  batch: TurnBatch;
  admission: Admission;
  /** Empty when nothing was admitted or the batch is past its attempts. */
  state: TurnState;
  /** Audit records committed but not yet in the audit stream ('open' only). */
  outbox: string[];
}

/** Nothing to do; `released`: the lock is already released (false only when `outbox` is not empty). */
export interface NothingToDo {
  kind: 'empty';
  released: boolean;
  outbox: string[];
}

/** Thrown when a turn finds that its lock expired and another worker owns the session. */
export class LockLostError extends Error {
  readonly code = 'LOCK_LOST';
  constructor(sessionKey: string) {
    super(`session lock lost for ${sessionKey}`);
    this.name = 'LockLostError';
  }
}

/**
 * The worker side of a session: lock, take a batch, commit the outcome. A
 * run costs two round trips for its first turn (`open`, `commit` with
 * release) and two for each further one (`next`, `commit`).
 */
export class SessionTurns {
  constructor(
    private readonly redis: RedisClient,
    private readonly options: SessionTurnsOptions,
  ) {}

  /**
   * The running turn's heartbeat: refreshes the lock the caller owns. False
   * once it expired or another owner holds it; it never takes a free lock
   * back, so a run that lost the session stays lost (the double commit the
   * 100k soak found came from a heartbeat that did).
   */
  async extend(sessionKey: string, token: string): Promise<boolean> {
    const keys = sessionKeys(this.options.keyPrefix, sessionKey);
    return (await runScript<number>(this.redis, extendLock, [keys.lock], [token, this.options.lockTtlMs])) === 1;
  }

  async unlock(sessionKey: string, token: string): Promise<boolean> {
    const keys = sessionKeys(this.options.keyPrefix, sessionKey);
    return (await runScript<number>(this.redis, releaseLock, [keys.lock], [token])) === 1;
  }

  /**
   * Opens a run in one round trip: takes the lock, reads the audit outbox (what
   * a crashed run left) and opens the first batch. `busy` when another owner
   * holds the session. When there is nothing to do the lock is released
   * already, unless the outbox holds records to publish first.
   */
  async open(sessionKey: string, token: string, opts: OpenTurnOptions): Promise<OpenedBatch | NothingToDo | { kind: 'busy' }> {
    return this.openTurn('open', sessionKey, token, opts);
  }

  /** The run's next batch, under the lock it holds (refreshed); released when there is nothing to do. */
  async next(sessionKey: string, token: string, opts: OpenTurnOptions): Promise<OpenedBatch | NothingToDo> {
    const opened = await this.openTurn('next', sessionKey, token, opts);
    if (opened.kind === 'busy') throw new Error('openTurn replied "busy" to a run that holds the lock');
    return opened;
  }

  private async openTurn(
    mode: 'open' | 'next',
    sessionKey: string,
    token: string,
    opts: OpenTurnOptions,
  ): Promise<OpenedBatch | NothingToDo | { kind: 'busy' }> {
    const keys = sessionKeys(this.options.keyPrefix, sessionKey);
    const rate = opts.rateLimit ?? { limit: 0, windowMs: 0, backlogMax: 0 };
    const reply = await runScript<
      ['ok', number, number, number, number, string[], string[], ...string[]] | ['empty', number, string[]] | ['busy'] | ['lost_lock']
    >(
      this.redis,
      openTurn,
      [keys.lock, keys.inbox, keys.processing, keys.attempts, keys.state, keys.auditOutbox, keys.rate, keys.rateNotice],
      [
        token,
        mode,
        this.options.lockTtlMs,
        this.options.maxBatch,
        Math.max(this.options.stateTtlSeconds, 86_400),
        opts.maxAttempts,
        opts.now,
        rate.windowMs,
        rate.limit,
        rate.backlogMax,
      ],
    );
    switch (reply[0]) {
      case 'busy':
        return { kind: 'busy' };
      case 'lost_lock':
        throw new LockLostError(sessionKey);
      case 'empty':
        return { kind: 'empty', released: reply[1] === 1, outbox: reply[2] };
      case 'ok': {
        const [, attempt, admitted, notice, retryInMs, outbox, flat, ...raw] = reply;
        const state: TurnState = {};
        for (let i = 0; i + 1 < flat.length; i += 2) state[flat[i]!] = flat[i + 1]!;
        return {
          kind: 'batch',
          batch: { attempt, entries: raw.map((r) => JSON.parse(r) as InboxEntry) },
          admission: { admitted, notice: notice === 2 ? 'discard' : notice === 1 ? 'defer' : null, retryInMs },
          state,
          outbox,
        };
      }
      default:
        throw new Error(`openTurn replied unknown status "${String((reply as unknown[])[0])}"`);
    }
  }

  async history(sessionKey: string): Promise<string[]> {
    return this.redis.lrange(sessionKeys(this.options.keyPrefix, sessionKey).history, 0, -1);
  }

  /**
   * Saves state + history, stores the turn's `text` (TranscriptStore.text:
   * its lines for the operators, each once however often it comes), queues
   * the turn's audit record in the session's outbox and drops the batch,
   * atomically; a turn that lost its lock stores nothing. With `deferral`, the last
   * `messages` of the batch go back to the head of the inbox instead (over the
   * rate limit) and the inbox is cut to `backlogMax`. With `release`, the
   * lock is released in the same step: `always`, or `if_empty` when no message
   * is left. Returns the messages still waiting, how many the cut discarded,
   * whether the lock was released and how many lines the handoff transcript
   * gained.
   */
  async commit(
    sessionKey: string,
    token: string,
    state: TurnState,
    historyEntries: string[],
    auditRecord = '',
    deferral: { messages: number; backlogMax: number } = { messages: 0, backlogMax: 0 },
    release: 'never' | 'if_empty' | 'always' = 'never',
    text?: TranscriptText,
  ): Promise<{ left: number; discarded: number; released: boolean; transcriptAdded: number }> {
    const keys = sessionKeys(this.options.keyPrefix, sessionKey);
    const pairs = Object.entries(state).flat();
    const reply = await runScript<['ok', number, number, number, number] | ['lost_lock']>(
      this.redis,
      commitTurn,
      [keys.lock, keys.processing, keys.attempts, keys.state, keys.history, keys.inbox, keys.auditOutbox, keys.context, keys.transcript],
      [
        token,
        this.options.stateTtlSeconds,
        this.options.historyCap,
        auditRecord,
        deferral.messages,
        deferral.backlogMax,
        release,
        ...(text?.params ?? NO_TEXT),
        text?.lines.length ?? 0,
        pairs.length / 2,
        ...pairs,
        ...(text?.lines ?? []),
        ...historyEntries,
      ],
    );
    if (reply[0] === 'lost_lock') throw new LockLostError(sessionKey);
    if (reply[0] !== 'ok') throw new Error(`commitTurn replied unknown status "${String(reply[0])}"`);
    const [, left, discarded, released, transcriptAdded] = reply;
    return { left, discarded, released: released === 1, transcriptAdded };
  }

  /** Audit records committed but not yet moved to the audit stream (a crash can leave some). */
  async pendingAudit(sessionKey: string): Promise<string[]> {
    return this.redis.lrange(sessionKeys(this.options.keyPrefix, sessionKey).auditOutbox, 0, -1);
  }

  /** Drops outbox records once they are in the stream (each by value: a record is unique by its rid). */
  async dropAudit(sessionKey: string, records: readonly string[]): Promise<void> {
    if (records.length === 0) return;
    const key = sessionKeys(this.options.keyPrefix, sessionKey).auditOutbox;
    // Each LREM stands alone (a record left behind is published again and deduped by rid): sent together, not MULTI.
    await allAnswered(records.map((r) => this.redis.lrem(key, 1, r)));
  }
}
