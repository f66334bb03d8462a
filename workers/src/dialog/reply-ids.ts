import { isSpecialtyCode, type SpecialtyCode } from '../clinic/index.js';

/**
 * Ids of the buttons and list rows the dialog sends, which come back as the
 * `replyId` of a tap. They name the thing itself (a slot, an appointment),
 * so a tap on an older list never lands on another row. Built and read only
 * here.
 */
export type ReminderReplyAction = 'confirm' | 'cancel';

export type ReplyId =
  | { kind: 'slot'; id: string }
  | { kind: 'appointment'; id: string }
  | { kind: 'specialty'; code: SpecialtyCode }
  /** A family member: a dependent's id, or 'self' / 'new'. */
  | { kind: 'person'; id: string }
  /** A reminder's quick reply (template button payload). */
  | { kind: 'reminder'; action: ReminderReplyAction; appointmentId: string };

export const replyId = {
  slot: (id: string): string => `slot:${id}`,
  appointment: (id: string): string => `appt:${id}`,
  specialty: (code: SpecialtyCode): string => `spec:${code}`,
  person: (id: string): string => `dep:${id}`,
  reminder: (action: ReminderReplyAction, appointmentId: string): string => `reminder:${action}:${appointmentId}`,
};

const REMINDER = /^reminder:(confirm|cancel):([A-Za-z0-9_.:-]{1,200})$/;
const TAGGED = /^(slot|appt|spec|dep):(.+)$/;

/** What a tapped id names; undefined for ids that are not the dialog's own (intent buttons, "more_options"). */
export function parseReplyId(raw: string | undefined): ReplyId | undefined {
  if (!raw) return undefined;
  const reminder = REMINDER.exec(raw);
  if (reminder) return { kind: 'reminder', action: reminder[1] as ReminderReplyAction, appointmentId: reminder[2]! };
  const m = TAGGED.exec(raw);
  if (!m) return undefined;
  const value = m[2]!;
  switch (m[1]) {
    case 'slot':
      return { kind: 'slot', id: value };
    case 'appt':
      return { kind: 'appointment', id: value };
    case 'spec':
      return isSpecialtyCode(value) ? { kind: 'specialty', code: value } : undefined;
    default:
      return { kind: 'person', id: value };
  }
}
