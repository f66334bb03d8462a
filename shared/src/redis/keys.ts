import { createHmac } from 'node:crypto';

/**
 * The one place that spells the fleet's Redis key names, outside a session's
 * own keys (sessions/session-keys.ts) and the send path's per-number keys
 * (workers' whatsapp-keys.ts, built on sendMarkerKey). What each family
 * holds, why and for how long is in `key-catalogue.ts` (its families in the
 * `*-key-families.ts` files), which the patient export/erase tools and the
 * docs table read.
 */

/** KEY_PREFIX's default. */
export const DEFAULT_KEY_PREFIX = 'mc';
/** CLINIC_KEY_PREFIX's default: the builtin clinic store, one {hash tag} for all of it. */
export const DEFAULT_CLINIC_KEY_PREFIX = 'medcita:{clinic}';

/** Which reminder of an appointment; one kind today, the key space leaves room for more (e.g. "2h"). */
export type ReminderKind = '24h';

/** Keys shared by the whole fleet (not under one session's hash tag). */
export function fleetKeys(prefix: string) {
  return {
    /** Stream of committed turns and operator actions, by session pseudonym. */
    audit: `${prefix}:audit`,
    /** Stream of patient erasures: when and how much, never whom. */
    erasures: `${prefix}:erasures`,
    /** Stream of failed delivery statuses (recipient, Graph error codes). */
    failedStatuses: `${prefix}:statuses:failed`,
    /** Hash: delivery status → count. */
    statusCounts: `${prefix}:statuses:counts`,
    /** A handed-off session's flag (JSON). */
    handoffFlag: (sessionKey: string) => `${prefix}:{handoff}:session:${sessionKey}`,
    /** Sorted set of flagged sessions. */
    handoffIndex: `${prefix}:{handoff}:index`,
    /** Counter bumped by every change the operator inbox shows. */
    handoffVersion: `${prefix}:{handoff}:version`,
    /** Identity failures of one document (digested, see `documentDigest`), from any phone. */
    documentFailures: (digest: string) => `${prefix}:{iddoc:${digest}}:identity-failures`,
    /** The attempt that alerted the document's registered phone this period (same digest and slot as its failures). */
    documentAlert: (digest: string) => `${prefix}:{iddoc:${digest}}:identity-alert`,
    /** An operator's sign-in, by a digest of its cookie token. */
    operatorSession: (tokenDigest: string) => `${prefix}:{admin}:session:${tokenDigest}`,
    /** Whether (kind, appointment) was reminded: the sent message id. */
    reminderDone: (kind: ReminderKind, appointmentId: string, retry = false) =>
      `${prefix}:reminders:done:${retry ? `${kind}-retry` : kind}:${appointmentId}`,
    /** First enqueue of (kind, appointment), for the metric. */
    reminderScheduled: (kind: ReminderKind, appointmentId: string) => `${prefix}:reminders:scheduled:${kind}:${appointmentId}`,
    /** What the dialog needs to answer a reminder's buttons (JSON). */
    reminderRecord: (appointmentId: string) => `${prefix}:reminders:appt:${appointmentId}`,
    /** Sent reminder message id → what it was about, so a failed status finds it. */
    reminderMessage: (messageId: string) => `${prefix}:reminders:msg:${messageId}`,
  };
}

/**
 * A keyed digest of a document number for key names: an unkeyed hash of a
 * document number is reversed by enumerating the numbers.
 */
export function documentDigest(digestKey: string, document: string): string {
  return createHmac('sha256', digestKey).update(`document:${document}`).digest('hex').slice(0, 32);
}

/** Keys of the builtin clinic store; `prefix` carries a {hash tag} so any script may touch any of them. */
export interface ClinicKeys {
  patients: string;
  patientsByDocument: string;
  patientsByPhone: string;
  /** hash: normalized "name|birthDate" → dependent id, the holder's family members. */
  dependents(holderId: string): string;
  slots: string;
  slotsBySpecialty(specialty: string): string;
  hold(slotId: string): string;
  booked: string;
  appointments: string;
  patientAppointments(patientId: string): string;
  appointmentsByStart: string;
  idempotency(key: string): string;
  /** Set: ids of erased patients, so seeding from the seed file does not bring them back. */
  erasedPatients: string;
}

const HASH_TAG = /\{[^{}]+\}/;

export function clinicKeys(prefix: string): ClinicKeys {
  if (!HASH_TAG.test(prefix)) {
    throw new Error(`clinic key prefix "${prefix}" needs a {hash tag} so all keys share one cluster slot`);
  }
  return {
    patients: `${prefix}:patients`,
    patientsByDocument: `${prefix}:patients-by-document`,
    patientsByPhone: `${prefix}:patients-by-phone`,
    dependents: (holderId) => `${prefix}:dependents:${holderId}`,
    slots: `${prefix}:slots`,
    slotsBySpecialty: (specialty) => `${prefix}:slots-by-specialty:${specialty}`,
    hold: (slotId) => `${prefix}:hold:${slotId}`,
    booked: `${prefix}:booked`,
    appointments: `${prefix}:appointments`,
    patientAppointments: (patientId) => `${prefix}:patient-appointments:${patientId}`,
    appointmentsByStart: `${prefix}:appointments-by-start`,
    idempotency: (key) => `${prefix}:idempotency:${key}`,
    erasedPatients: `${prefix}:erased-patients`,
  };
}
