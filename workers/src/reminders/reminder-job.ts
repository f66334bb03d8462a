// A reminder send as a BullMQ job: its payload, where it goes, and the ids that make it happen once.
import type { ReminderKind } from './reminder-store.js';

/** Payload of a SendReminder job. */
export interface SendReminderJob {
  kind: ReminderKind;
  appointmentId: string;
  startsAt: string;
  /** The single template retry after a free-form reminder failed with 131047. */
  retry?: boolean;
}

/** Where SendReminder jobs go (a BullMQ Queue in production; add() must be idempotent per jobId). */
export interface ReminderQueue {
  add(name: string, data: SendReminderJob, opts: { jobId: string }): Promise<unknown>;
}

/**
 * BullMQ jobId of a reminder send: `reminder-<kind>-<appointmentId>` (BullMQ
 * rejects custom ids with ':' in them, so a ':' of a backend's id is escaped).
 */
export function reminderJobId(kind: ReminderKind, appointmentId: string, retry = false): string {
  return `reminder-${kind}-${retry ? 'retry-' : ''}${appointmentId.replace(/%/g, '%25').replace(/:/g, '%3A')}`;
}

/** Graph idempotency key of a reminder send (the send ledger's key; any characters). */
export function reminderSendKey(kind: ReminderKind, appointmentId: string, retry = false): string {
  return `reminder:${kind}:${appointmentId}${retry ? ':template-retry' : ''}`;
}
