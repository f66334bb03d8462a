import {
  JobName,
  jobOptions,
  type HandoffDetails,
  type HandoffStore,
  type HandoffTimeoutJob,
  type Logger,
  type OperatorReplyJob,
  type TranscriptStore,
} from '@medcita/shared';
import type { Queue } from 'bullmq';
import type { HandoffPort } from '../dialog/index.js';
import type { HandoffSightings, TurnTag } from './handoff-sightings.js';

export interface OperatorHandoffDeps {
  store: HandoffStore;
  transcripts: TranscriptStore;
  /** The operator-replies queue: the timer of each handoff is a delayed job on it. */
  queue: Queue<OperatorReplyJob | HandoffTimeoutJob>;
  /** Posts the new-handoff notice (OPERATOR_WEBHOOK_URL); absent when not configured. */
  notify?: (notice: { reason: string; open: number }) => Promise<void>;
  logger: Logger;
  /** Shared with the transcript recorder, so a turn reads the flag once; absent: nothing remembered. */
  sightings?: HandoffSightings;
}

// BullMQ refuses ":" in custom job ids; session keys have one.
export const timeoutJobId = (sessionKey: string, flaggedAt: number) => `handoff-timeout_${sessionKey.replace(/:/g, '_')}_${flaggedAt}`;

/**
 * The dialog's handoff port with what a new handoff sets going: its
 * transcript starts from the session's rolling context, its timer is
 * scheduled, and operators are notified (without patient text).
 */
export class OperatorHandoff implements HandoffPort {
  constructor(private readonly deps: OperatorHandoffDeps) {}

  isFlagged(sessionKey: string): Promise<boolean> {
    return this.deps.store.isFlagged(sessionKey);
  }

  noteFlag(sessionKey: string, turn: TurnTag, flagged: boolean): void {
    this.deps.sightings?.note(sessionKey, turn, flagged);
  }

  async flag(sessionKey: string, reason: string, details?: HandoffDetails): Promise<boolean> {
    const { store, transcripts, queue, logger } = this.deps;
    if (await store.isFlagged(sessionKey)) return this.flagged(sessionKey, await store.flag(sessionKey, reason, details));
    // The transcript starts before the flag: if anything below fails, the turn is
    // retried while the session is not yet silent, so the patient still gets an answer.
    const at = Date.now();
    await transcripts.open(sessionKey, { id: `handoff:${at}`, dir: 'note', kind: 'handoff', at });
    const fresh = this.flagged(sessionKey, await store.flag(sessionKey, reason, details));
    const handoff = await store.get(sessionKey);
    if (!fresh || !handoff) return fresh;
    await queue.add(
      JobName.HandoffTimeout,
      { sessionKey, flaggedAt: handoff.flaggedAt },
      {
        jobId: timeoutJobId(sessionKey, handoff.flaggedAt),
        delay: Math.max(0, handoff.expiresAt - Date.now()),
        ...jobOptions[JobName.HandoffTimeout],
      },
    );
    if (this.deps.notify) {
      const open = (await store.list().catch(() => [])).length;
      // A chat notice is a courtesy: a slow or failing webhook never holds up the patient's turn.
      void this.deps.notify({ reason, open }).catch((err: Error) => logger.warn({ err: err.message }, 'operator notice not posted'));
    }
    return fresh;
  }

  private flagged(sessionKey: string, fresh: boolean): boolean {
    this.deps.sightings?.flagged(sessionKey);
    return fresh;
  }
}
