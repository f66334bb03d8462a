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

import type { ReminderReplyAction } from './reply-ids.js';

export type { ReminderReplyAction };
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
