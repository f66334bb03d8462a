import type { SpecialtyCode } from '../clinic/index.js';

/** What the reminder sender recorded about one reminded appointment (workers/src/reminders). */
export interface ReminderRecord {
  appointmentId: string;
  patientId: string;
  /** The patient's phone as the clinic has it (digits, like a wa_id): the owner check compares it with the sender. */
  phone: string;
  firstName: string;
  startsAt: string;
  doctorName: string;
  clinicName: string;
  specialty: SpecialtyCode;
  /** Set when the appointment is for a dependent of the reminded patient. */
  dependent?: { id: string; firstName: string };
}

export type ReminderReplyAction = 'confirm' | 'cancel';
export type ReminderReplyOutcome = 'ok' | 'refused' | 'failed';

/** How the dialog reads reminders; optional, so a fleet without reminders needs nothing. */
export interface ReminderPort {
  /** The record of a reminded appointment, or null (never reminded, or long past). */
  find(appointmentId: string): Promise<ReminderRecord | null>;
  /** The appointment this session was last reminded of, while it has not started. */
  pendingFor(sessionKey: string): Promise<string | null>;
  /** Counts replies to reminders (metrics). */
  onReply?(action: ReminderReplyAction, outcome: ReminderReplyOutcome): void;
}

/** Quick-reply payloads / button ids of a reminder. */
export function reminderPayload(action: ReminderReplyAction, appointmentId: string): string {
  return `reminder:${action}:${appointmentId}`;
}

export function parseReminderPayload(id: string | undefined): { action: ReminderReplyAction; appointmentId: string } | undefined {
  const m = id ? /^reminder:(confirm|cancel):([A-Za-z0-9_.:-]{1,200})$/.exec(id) : null;
  return m ? { action: m[1] as ReminderReplyAction, appointmentId: m[2]! } : undefined;
}
