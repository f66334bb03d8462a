import {
  LogEvent,
  UnrecoverableError,
  sessionHash,
  type InboxEntry,
  type Logger,
  type OutboundMessage,
  type OpenedBatch,
} from '@medcita/shared';
import type { AuditRelay } from './audit-relay.js';
import type { TurnOutcome, TurnRunnerDeps, TurnRunnerOptions } from './turn-runner-deps.js';

/** What the run and its heartbeat share about the session lock. */
export interface RunState {
  /** The heartbeat found another owner: the run stops before its next batch. */
  lost: boolean;
  /** A commit that may release the lock is under way or done: the heartbeat must not take it again. */
  releasing: boolean;
  /** The lock is released already (by the commit or the open step): nothing to unlock. */
  released: boolean;
}

/**
 * One batch of a session's turn, under the run's lock: mark it read, let the
 * handler decide, send the replies (idempotent per turn), commit, then publish
 * the audit record and report the turn. TurnRunner runs it batch after batch.
 */
export class BatchStep {
  constructor(
    private readonly deps: TurnRunnerDeps,
    private readonly options: TurnRunnerOptions,
    private readonly now: () => number,
    private readonly audit: AuditRelay,
  ) {}

  /** Returns the messages still waiting in the inbox after the commit, and the ms to wait when part of the batch was deferred by the rate limit. */
  async run(
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
