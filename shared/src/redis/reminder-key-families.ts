// Shared by the fleet: what each reminder said and that it went once.
import type { KeyFamily } from './key-family.js';

export const REMINDER_KEY_FAMILIES: readonly KeyFamily[] = [
  {
    pattern: '<p>:reminders:appt:<appointment>',
    builder: 'fleetKeys().reminderRecord',
    type: 'string',
    holds: 'what a reminder said: patient id, phone, first name, time, doctor, clinic',
    why: "the dialog answers the reminder's buttons",
    lifetime: 'until the appointment starts + 1 day',
    personal: 'direct',
    erasure: 'deleted',
  },
  {
    pattern: '<p>:reminders:msg:<message id>',
    builder: 'fleetKeys().reminderMessage',
    type: 'string',
    holds: 'a sent reminder: appointment, phone, mode',
    why: 'a failed status finds the reminder it was about',
    lifetime: '3 days',
    personal: 'direct',
    erasure: 'deleted',
  },
  {
    pattern: '<p>:reminders:done:<kind>:<appointment>, <p>:reminders:scheduled:<kind>:<appointment>',
    builder: 'fleetKeys().reminderDone / .reminderScheduled',
    type: 'string',
    holds: 'the sent message id; when it was scheduled',
    why: 'one reminder per appointment, however many workers tick',
    lifetime: 'until the appointment starts + 30 days',
    personal: 'pseudonym',
    erasure: "deleted for the person's appointments",
  },
];
