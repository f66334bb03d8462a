/**
 * The only place that spells builtin-store Redis keys.
 *
 * Every key starts with one prefix that carries a `{hash tag}`, so the whole
 * demo store lives in one Redis Cluster slot and any Lua script may touch any
 * of its keys. That caps the store at one shard's throughput, which is far
 * more than a demo clinic needs; a real clinic uses the http adapter.
 */
export interface ClinicKeys {
  specialties: string;
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
}

const HASH_TAG = /\{[^{}]+\}/;

export const DEFAULT_KEY_PREFIX = 'medcita:{clinic}';

export function clinicKeys(prefix: string): ClinicKeys {
  if (!HASH_TAG.test(prefix)) {
    throw new Error(`clinic key prefix "${prefix}" needs a {hash tag} so all keys share one cluster slot`);
  }
  return {
    specialties: `${prefix}:specialties`,
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
  };
}
