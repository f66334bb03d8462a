import {
  UnrecoverableError, sessionHash, type InboxEntry, type Logger, type OutboundMessage, type SessionRateLimit,
  type SessionTurns, type TurnBatch,
} from '@medcita/shared';
import type { ReplySender, TurnHandler } from './ports.js';
import type { TurnJournal } from './turn-journal.js';

export interface TurnRunnerOptions {
  lockTtlMs: number;
  /** A batch that failed this many times is answered with an apology and set aside. */
  maxBatchAttempts: number;
  /** Batches one job may run before yielding (the session stays scheduled). */
  maxBatchesPerJob: number;
}

export interface TurnRunnerDeps {
  turns: SessionTurns;
  handler: TurnHandler;
  sender: ReplySender;
  journal: TurnJournal;
  logger: Logger;
  /** Per-session message rate limit; excess messages never reach the handler. */
  rateLimit?: SessionRateLimit;
  texts: PipelineTexts;
  now?: () => number;
  onTurn?: (t: { seconds: number; ackToReplySeconds: number; outcome: TurnOutcome }) => void;
  onRateLimited?: (messages: number) => void;
}

/** What the pipeline itself may have to say, whatever the conversation logic. */
export interface PipelineTexts {
  /** A batch failed too often and is set aside. */
  apology: string;
  /** Messages over the per-session rate limit (sent once per window). */
  slowDown: string;
}

export type TurnOutcome = 'ok' | 'dropped' | 'rate_limited';

/** `more`: the job ran its share of batches and the inbox still holds messages. */
export type RunOutcome = 'done' | 'busy' | 'more';

/**
 * Runs a session's pending turns under its lock: take a batch, let the handler
 * decide, send the replies (idempotent per turn), commit. See
 * docs/architecture.md for why each step is safe to crash in.
 */
export class TurnRunner {
  private readonly now: () => number;

  constructor(
    private readonly deps: TurnRunnerDeps,
    private readonly options: TurnRunnerOptions,
  ) {
    this.now = deps.now ?? Date.now;
  }

  /** `jobId` only labels logs: request id → job id → session hash → turn id. */
  async run(sessionKey: string, token: string, jobId?: string): Promise<RunOutcome> {
    const { turns } = this.deps;
    if (!(await turns.lock(sessionKey, token))) return 'busy';
    let lost = false;
    const heartbeat = setInterval(() => {
      turns.lock(sessionKey, token).then(
        (ok) => { lost ||= !ok; },
        () => undefined,
      );
    }, Math.max(250, Math.floor(this.options.lockTtlMs / 3)));
    let left = 0;
    try {
      // Records a crashed run committed but never published.
      await this.publishAudit(sessionKey);
      for (let i = 0; i < this.options.maxBatchesPerJob && !lost; i += 1) {
        const batch = await turns.begin(sessionKey, token);
        if (!batch) {
          left = 0;
          break;
        }
        left = await this.runBatch(sessionKey, token, batch, jobId);
      }
    } finally {
      clearInterval(heartbeat);
      await turns.unlock(sessionKey, token).catch((err) => this.deps.logger.warn({ err }, 'unlock failed'));
    }
    return left > 0 ? 'more' : 'done';
  }

  /**
   * Moves committed audit records to the stream; a failure only delays them.
   * Without `records`, whatever the outbox holds (what a crashed run left).
   */
  private async publishAudit(sessionKey: string, records?: string[]): Promise<void> {
    const { turns, journal, logger } = this.deps;
    try {
      const pending = records ?? (await turns.pendingAudit(sessionKey));
      if (pending.length === 0) return;
      await journal.publish(pending);
      await turns.dropAudit(sessionKey, pending);
    } catch (err) {
      logger.warn({ err, session: sessionHash(sessionKey) }, 'audit record failed');
    }
  }

  /** Returns the messages still waiting in the inbox after the commit. */
  private async runBatch(sessionKey: string, token: string, batch: TurnBatch, jobId?: string): Promise<number> {
    const { turns, handler, sender, journal, logger } = this.deps;
    const startedAt = this.now();
    const entries = batch.entries;
    const first = entries[0]!;
    const last = entries[entries.length - 1]!;
    const turnId = first.message.wamid;
    const log = logger.child({
      requestId: first.requestId, jobId, session: sessionHash(sessionKey), turnId, attempt: batch.attempt,
    });

    // A courtesy: the turn does not wait for it (the client bounds it with a short timeout).
    void sender.markRead(last.address.phoneNumberId, last.message.wamid, { typing: true }).catch(() => undefined);

    const dropped = batch.attempt > this.options.maxBatchAttempts;
    const admission = dropped
      ? { admitted: entries.length, notify: false }
      : (await this.deps.rateLimit?.admit(sessionKey, entries.map((e) => e.message.wamid), startedAt)) ?? {
          admitted: entries.length,
          notify: false,
        };
    const admitted = entries.slice(0, admission.admitted);
    if (admitted.length < entries.length) this.deps.onRateLimited?.(entries.length - admitted.length);

    let state: Record<string, string> = {};
    let replies: OutboundMessage[] = [];
    let labels: Record<string, string> | undefined;
    if (dropped) {
      log.error({ messages: entries.length }, 'turn failed too often; answering with an apology and moving on');
      replies = [{ kind: 'text', body: this.deps.texts.apology }];
    } else if (admitted.length > 0) {
      const before = await turns.loadState(sessionKey);
      const out = await handler.handle({
        sessionKey, address: last.address, entries: admitted, state: before, turnId, now: startedAt,
      });
      ({ state, replies, audit: labels } = out);
    }
    if (admission.notify) replies = [...replies, { kind: 'text', body: this.deps.texts.slowDown }];

    // The apology gets its own key: a first attempt may already have sent
    // `:0` (then failed later), and reusing it would silently skip the apology.
    const keys = replies.map((_, index) => (dropped && index === 0 ? `${turnId}:apology` : `${turnId}:${index}`));
    for (const [index, reply] of replies.entries()) {
      try {
        await sender.send(last.address, reply, { idempotencyKey: keys[index]! });
      } catch (err) {
        // A 4xx that will never succeed (blocked user, bad number): retrying the
        // turn would only repeat it. Log with its code and finish the turn.
        if (!(err instanceof UnrecoverableError)) throw err;
        log.error({ code: err.code, err: err.message }, 'reply rejected by the Graph API');
      }
    }

    const history = [
      ...entries.map((e) => historyLine('in', e)),
      ...replies.map((r) => JSON.stringify({ dir: 'out', kind: r.kind, at: startedAt })),
    ];
    const endedAt = this.now();
    const acceptedAt = Math.min(...entries.map((e) => e.acceptedAt));
    const outcome: TurnOutcome = dropped ? 'dropped' : admitted.length < entries.length ? 'rate_limited' : 'ok';
    const record = journal.encode({
      rid: `${turnId}:${token}`, sessionKey, phoneNumberId: last.address.phoneNumberId, turnId, wamids: entries.map((e) => e.message.wamid),
      attempt: batch.attempt, messages: entries.length, replies: replies.length, startedAt, endedAt, acceptedAt, outcome, labels,
    });
    const left = await turns.commit(sessionKey, token, { ...state, updatedAt: String(startedAt) }, history, record);
    // No retry can reuse these keys now; their markers need not stay for a day.
    await sender.turnCommitted?.(last.address.phoneNumberId, keys).catch((err) => log.warn({ err }, 'could not shorten send markers'));
    // The record is committed; it is known here, so no need to read the outbox back.
    await this.publishAudit(sessionKey, [record]);
    this.deps.onTurn?.({ seconds: (endedAt - startedAt) / 1000, ackToReplySeconds: (endedAt - acceptedAt) / 1000, outcome });
    log.info({ messages: entries.length, replies: replies.length, ms: endedAt - startedAt, outcome }, 'turn done');
    return left;
  }
}

function historyLine(dir: 'in', e: InboxEntry): string {
  return JSON.stringify({ dir, kind: e.message.kind, wamid: e.message.wamid, at: e.message.timestamp });
}
