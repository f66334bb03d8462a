import { sessionHash, type Logger, type SessionTurns } from '@medcita/shared';
import type { TurnJournal } from './turn-journal.js';

/**
 * Moves the audit records a commit queued in its session's outbox to the
 * audit stream: at least once, deduplicated by their rid
 * (docs/architecture.md, "Redis keys").
 */
export class AuditRelay {
  constructor(
    private readonly turns: SessionTurns,
    private readonly journal: TurnJournal,
    private readonly logger: Logger,
  ) {}

  /**
   * A failure only delays the records (they stay in the outbox for the
   * session's next run). True once they are in the stream: only then may
   * they leave the outbox (`drop`).
   */
  async publish(sessionKey: string, records: readonly string[]): Promise<boolean> {
    if (records.length === 0) return false;
    try {
      await this.journal.publish(records);
      return true;
    } catch (err) {
      this.logger.warn({ err, session: sessionHash(sessionKey) }, 'audit record failed');
      return false;
    }
  }

  /**
   * Not awaited: a record left in the outbox is published again by the
   * session's next run, so nothing depends on the reply, and a command sent
   * without a wait leaves in the socket write of the caller's next one
   * (BullMQ completing the job, or the next batch's open; coalesce-writes.ts).
   */
  drop(sessionKey: string, records: readonly string[]): void {
    this.turns
      .dropAudit(sessionKey, records)
      .catch((err: unknown) => this.logger.warn({ err, session: sessionHash(sessionKey) }, 'audit outbox not emptied'));
  }
}
