import {
  LogEvent,
  UnrecoverableError,
  sessionHash,
  type InboxEntry,
  type Logger,
  type OutboundMessage,
  type SessionRateLimit,
  type OpenedBatch,
  type OpenTurnOptions,
  type SessionTurns,
} from '@medcita/shared';
import type { ReplySender, TurnHandler } from './ports.js';
import { AuditRelay } from './audit-relay.js';
import type { TurnJournal } from './turn-journal.js';
import type { TurnTranscript } from '../handoff/transcript-recorder.js';

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
  /** Per-session message rate limit; excess messages wait for the window (bounded). */
  rateLimit?: SessionRateLimit;
  texts: PipelineTexts;
  /** Keeps the turn's text for operators (rolling context, handoff transcript); absent = none kept. */
  transcript?: TurnTranscript;
  now?: () => number;
  onTurn?: (t: { seconds: number; ackToReplySeconds: number; outcome: TurnOutcome }) => void;
  onRateLimited?: (messages: number) => void;
  /** Messages beyond the rate-limit backlog, discarded (the user was told). */
  onRateDiscarded?: (messages: number) => void;
}

/** What the pipeline itself may have to say, whatever the conversation logic. */
export interface PipelineTexts {
  /** A batch failed too often and is set aside. */
  apology: string;
  /** Messages over the per-session rate limit wait and will be answered in order (once per window). */
  rateDeferred: string;
  /** The backlog over the rate limit is full: the newest messages were not read (once per window). */
  rateDiscarded: string;
}

/** What the run and its heartbeat share about the session lock. */
interface RunState {
  /** The heartbeat found another owner: the run stops before its next batch. */
  lost: boolean;
  /** A commit that may release the lock is under way or done: the heartbeat must not take it again. */
  releasing: boolean;
  /** The lock is released already (by the commit or the open step): nothing to unlock. */
  released: boolean;
}

export type TurnOutcome = 'ok' | 'dropped' | 'rate_limited';

/**
 * `more`: the job ran its share of batches and the inbox still holds messages;
 * `deferred`: messages wait for the rate-limit window, run the session again after `retryInMs`.
 */
export type RunOutcome = { kind: 'done' } | { kind: 'busy' } | { kind: 'more' } | { kind: 'deferred'; retryInMs: number };

/**
 * Runs a session's pending turns under its lock: take a batch, let the handler
 * decide, send the replies (idempotent per turn), commit. See
 * docs/architecture.md for why each step is safe to crash in.
 */
export class TurnRunner {
  private readonly now: () => number;
  private readonly audit: AuditRelay;

  constructor(
    private readonly deps: TurnRunnerDeps,
    private readonly options: TurnRunnerOptions,
  ) {
    this.now = deps.now ?? Date.now;
    this.audit = new AuditRelay(deps.turns, deps.journal, deps.logger);
  }

  /** `jobId` only labels logs: request id → job id → session hash → turn id. */
  async run(sessionKey: string, token: string, jobId?: string): Promise<RunOutcome> {
    const { turns } = this.deps;
    let startedAt = this.now();
    // One round trip takes the lock, reads what a crashed run left in the audit outbox and opens the first batch
    // (with the handler's first reads in the same write).
    let { opened, prefetched } = await this.prefetching(sessionKey, turns.open(sessionKey, token, this.openOptions(startedAt)));
    if (opened.kind === 'busy') return { kind: 'busy' };
    if (opened.kind === 'empty' && opened.released) return { kind: 'done' };
    const run: RunState = { lost: false, releasing: false, released: false };
    const heartbeat = setInterval(
      () => {
        // Once a commit may release the lock, a refresh must not take it back.
        if (run.releasing) return;
        // Extend only: a lock that expired may have been taken, used and released by another run.
        turns.extend(sessionKey, token).then(
          (ok) => {
            run.lost ||= !ok;
          },
          () => undefined,
        );
      },
      Math.max(250, Math.floor(this.options.lockTtlMs / 3)),
    );
    let deferral: RunOutcome | undefined;
    let left: number;
    try {
      // Records a crashed run committed but never published.
      if (await this.audit.publish(sessionKey, opened.outbox)) this.audit.drop(sessionKey, opened.outbox);
      for (let i = 1; ; i += 1) {
        if (opened.kind === 'empty') {
          run.released = opened.released;
          left = 0;
          break;
        }
        const lastOfJob = i >= this.options.maxBatchesPerJob;
        const result = await this.runBatch(sessionKey, token, opened, prefetched, startedAt, lastOfJob, run, jobId);
        left = result.left;
        if (result.retryInMs > 0) {
          deferral = { kind: 'deferred', retryInMs: result.retryInMs };
          break;
        }
        if (run.released || lastOfJob || run.lost) break;
        startedAt = this.now();
        ({ opened, prefetched } = await this.prefetching(sessionKey, turns.next(sessionKey, token, this.openOptions(startedAt))));
      }
    } finally {
      clearInterval(heartbeat);
      if (!run.released) await turns.unlock(sessionKey, token).catch((err) => this.deps.logger.warn({ err }, 'unlock failed'));
    }
    if (deferral) return deferral;
    return left > 0 ? { kind: 'more' } : { kind: 'done' };
  }

  private openOptions(now: number): OpenTurnOptions {
    const rateLimit = this.deps.rateLimit?.policy;
    return { now, maxAttempts: this.options.maxBatchAttempts, ...(rateLimit ? { rateLimit } : {}) };
  }

  /** Sends the handler's first reads right behind the open given, in the same socket write (TurnHandler.prefetch). */
  private async prefetching<T>(sessionKey: string, opening: Promise<T>): Promise<{ opened: T; prefetched: Promise<unknown> | undefined }> {
    const prefetched = this.deps.handler.prefetch?.(sessionKey);
    // Dropped when the open finds no batch to handle: a failed read must not surface as an unhandled rejection.
    void prefetched?.catch(() => undefined);
    return { opened: await opening, prefetched };
  }

  /** Returns the messages still waiting in the inbox after the commit, and the ms to wait when part of the batch was deferred by the rate limit. */
  private async runBatch(
    sessionKey: string,
    token: string,
    opened: OpenedBatch,
    prefetched: Promise<unknown> | undefined,
    startedAt: number,
    lastOfJob: boolean,
    run: RunState,
    jobId?: string,
  ): Promise<{ left: number; retryInMs: number }> {
    const { turns, handler, sender, journal, logger } = this.deps;
    const { batch, admission } = opened;
    const entries = batch.entries;
    const first = entries[0]!;
    const last = entries[entries.length - 1]!;
    const turnId = first.message.wamid;
    const session = sessionHash(sessionKey);
    // Built only for a line that is written: most turns log nothing below info.
    let child: Logger | undefined;
    const log = (): Logger => (child ??= logger.child({ requestId: first.requestId, jobId, session, turnId, attempt: batch.attempt }));

    // A courtesy: the turn does not wait for it (the client bounds it with a short timeout).
    void sender.markRead(last.address.phoneNumberId, last.message.wamid, { typing: true }).catch(() => undefined);

    // openTurn admitted neither rate limit nor state to a batch past its attempts.
    const dropped = batch.attempt > this.options.maxBatchAttempts;
    const admitted = entries.slice(0, admission.admitted);
    const deferred = entries.length - admitted.length;
    if (deferred > 0) this.deps.onRateLimited?.(deferred);

    let state: Record<string, string> = {};
    let replies: OutboundMessage[] = [];
    let labels: Record<string, string> | undefined;
    if (dropped) {
      log().error({ messages: entries.length }, 'turn failed too often; answering with an apology and moving on');
      replies = [{ kind: 'text', body: this.deps.texts.apology }];
    } else if (admitted.length > 0) {
      const out = await handler.handle(
        {
          sessionKey,
          address: last.address,
          entries: admitted,
          state: opened.state,
          turnId,
          now: startedAt,
        },
        prefetched,
      );
      ({ state, replies, audit: labels } = out);
    }
    // Keyed apart from the replies: a batch whose first message was deferred
    // is later led by that same message, and its replies must not match this key.
    // The apology gets its own key too: a first attempt may already have sent
    // `:0` (then failed later), and reusing it would silently skip the apology.
    const sends = replies.map((reply, index) => ({ reply, key: dropped && index === 0 ? `${turnId}:apology` : `${turnId}:${index}` }));
    if (admission.notice) {
      const body = admission.notice === 'discard' ? this.deps.texts.rateDiscarded : this.deps.texts.rateDeferred;
      sends.push({ reply: { kind: 'text', body }, key: `${turnId}:rate-${admission.notice}` });
    }

    for (const { reply, key } of sends) {
      try {
        await sender.send(last.address, reply, { idempotencyKey: key });
      } catch (err) {
        // A 4xx that will never succeed (blocked user, bad number): retrying the
        // turn would only repeat it. Log with its code and finish the turn.
        if (!(err instanceof UnrecoverableError)) throw err;
        log().error({ code: err.code, err: err.message }, 'reply rejected by the Graph API');
      }
    }

    // Stored by the commit: a retried batch's lines (the same ids) are stored once, a commit that lost its lock stores none.
    const text = await this.deps.transcript?.text({ sessionKey, turnId, entries, replies, now: startedAt });

    const history = [
      ...admitted.map((e) => historyLine('in', e)),
      ...sends.map(({ reply }) => JSON.stringify({ dir: 'out', kind: reply.kind, at: startedAt })),
    ];
    const endedAt = this.now();
    const acceptedAt = Math.min(...entries.map((e) => e.acceptedAt));
    const outcome: TurnOutcome = dropped ? 'dropped' : deferred > 0 ? 'rate_limited' : 'ok';
    // Only the messages handled now: a deferred one is journalled by the turn that handles it.
    const record = journal.encode({
      rid: `${turnId}:${token}`,
      sessionKey,
      phoneNumberId: last.address.phoneNumberId,
      turnId,
      wamids: admitted.map((e) => e.message.wamid),
      attempt: batch.attempt,
      messages: admitted.length,
      replies: sends.length,
      startedAt,
      endedAt,
      acceptedAt,
      outcome,
      labels,
    });
    // The run stops after a deferral or its last batch; otherwise it stops when the inbox is empty.
    const release = deferred > 0 || lastOfJob ? 'always' : 'if_empty';
    run.releasing = true;
    const { left, discarded, released, transcriptAdded } = await turns.commit(
      sessionKey,
      token,
      { ...state, updatedAt: String(startedAt) },
      history,
      record,
      { messages: deferred, backlogMax: this.deps.rateLimit?.backlogMax ?? 0 },
      release,
      text,
    );
    run.released = released;
    run.releasing = released;
    if (discarded > 0) this.deps.onRateDiscarded?.(discarded);
    // Only while handed off (rare): the operator inbox's counter is in another slot, so not in the commit.
    if (transcriptAdded > 0) await this.deps.transcript?.added(sessionKey).catch((err) => log().warn({ err }, 'inbox bump failed'));
    const [, published] = await Promise.all([
      // No retry can reuse these keys now; their markers need not stay for a day.
      sender
        .turnCommitted?.(
          last.address.phoneNumberId,
          sends.map((x) => x.key),
        )
        .catch((err) => log().warn({ err }, 'could not shorten send markers')),
      // The record is committed; it is known here, so no need to read the outbox back.
      // Independent of the markers: in flight together, one socket write (coalesce-writes.ts).
      this.audit.publish(sessionKey, [record]),
    ]);
    this.deps.onTurn?.({ seconds: (endedAt - startedAt) / 1000, ackToReplySeconds: (endedAt - acceptedAt) / 1000, outcome });
    if (logger.isLevelEnabled('info')) {
      log().info(
        { messages: admitted.length, deferred, discarded, replies: sends.length, ms: endedAt - startedAt, outcome },
        LogEvent.TurnDone,
      );
    }
    // Last, so it shares a write with what the run sends next (AuditRelay.drop).
    if (published) this.audit.drop(sessionKey, [record]);
    return { left, retryInMs: deferred > 0 ? admission.retryInMs : 0 };
  }
}

function historyLine(dir: 'in', e: InboxEntry): string {
  return JSON.stringify({ dir, kind: e.message.kind, wamid: e.message.wamid, at: e.message.timestamp });
}
