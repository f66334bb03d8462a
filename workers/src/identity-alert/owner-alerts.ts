import { UnrecoverableError, type Logger, type SessionAddress } from '@medcita/shared';
import { createHash } from 'node:crypto';
import type { ReplySender } from '../pipeline/ports.js';

/** Payload of an OwnerAlert job: who is told, and the attempt that claimed the alert. */
export interface OwnerAlertJob {
  owner: SessionAddress;
  attemptId: string;
}

export interface OwnerAlertHooks {
  sent(): void;
  suppressed(): void;
  failed(code: string): void;
}

/** Graph idempotency key of an alert (the send ledger's key): one message per claiming attempt. */
export function ownerAlertSendKey(attemptId: string): string {
  return `identity-alert:${attemptId}`;
}

/** BullMQ job id of an alert: deterministic per attempt (BullMQ refuses ':' in custom ids, so a digest). */
export function ownerAlertJobId(attemptId: string): string {
  return `owner-alert-${createHash('sha256').update(attemptId).digest('hex').slice(0, 32)}`;
}

/**
 * Sends the owner alert, an approved template without parameters: it says
 * only that the document was tried from another number, never which number
 * or which document. Exactly once per claiming attempt: the job id absorbs a
 * retried turn's second add, and the Graph client's send ledger (idempotency
 * key per attempt) stops a second send even when the job ran twice.
 */
export class OwnerAlertService {
  constructor(
    private readonly deps: { sender: ReplySender; logger: Logger; hooks?: OwnerAlertHooks },
    private readonly template: { name: string; language: string },
  ) {}

  async send(job: OwnerAlertJob): Promise<'sent' | 'already_sent' | 'taken_over' | 'failed'> {
    let result: { messageId: string | null; skipped: boolean };
    try {
      result = await this.deps.sender.send(
        job.owner,
        { kind: 'template', name: this.template.name, language: this.template.language, bodyParams: [] },
        { idempotencyKey: ownerAlertSendKey(job.attemptId) },
      );
    } catch (err) {
      if (!(err instanceof UnrecoverableError)) throw err;
      // e.g. 131026 (the phone is not on WhatsApp), 132001 (template missing): retrying cannot help.
      this.deps.hooks?.failed(err.code);
      this.deps.logger.warn({ code: err.code, err: err.message }, 'owner alert rejected; not retrying');
      return 'failed';
    }
    if (result.messageId === null) return 'taken_over';
    if (result.skipped) return 'already_sent';
    this.deps.hooks?.sent();
    this.deps.logger.info('owner alert sent');
    return 'sent';
  }
}
