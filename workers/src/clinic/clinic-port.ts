/**
 * The one port through which the assistant talks to a clinic's scheduling
 * system (docs/clinic-backend.md). Adapters: `builtin` (Redis demo store) and `http` (REST
 * contract in docs/clinic-api.openapi.yaml). All instants are ISO-8601 UTC
 * strings so they survive JSON session state unchanged.
 *
 * Expected outcomes (slot taken, not your appointment) come back as
 * `{ ok: false, reason }`; only an unreachable backend throws
 * (ClinicUnavailableError) or a broken contract (ClinicRequestError).
 */

export { SPECIALTY_CODES, isSpecialtyCode, type SpecialtyCode } from '../domain/specialties.js';
import type { SpecialtyCode } from '../domain/specialties.js';
import type { ClinicInfo } from './clinic-info.js';

/** Milliseconds since the epoch; injected so tests and slot generation share one notion of "now". */
export type Clock = () => number;

export interface Patient {
  id: string;
  /** Normalized: digits and letters only (see normalizeDocument). */
  documentNumber: string;
  firstName: string;
  lastName: string;
  /** Digits only, like a WhatsApp wa_id, e.g. "59170000001". */
  phone: string;
  /** YYYY-MM-DD, the second identity factor when the phone does not match. */
  birthDate: string;
  /**
   * Set on a record registered from WhatsApp whose document was already on
   * file for someone else: kept apart (not found by document) until the
   * clinic reviews it, so registration never tells whether a document exists.
   */
  needsReview?: 'document_on_file';
  /** When and to which text the patient consented (registration from WhatsApp). */
  consent?: { at: string; version: string };
}

/**
 * A family member whose appointments an account holder manages (a child, a
 * parent). Booked, listed and cancelled through the holder; has no phone or
 * document of its own here.
 */
export interface Dependent {
  id: string;
  holderId: string;
  firstName: string;
  lastName: string;
  /** YYYY-MM-DD. */
  birthDate: string;
}

export interface RegisterPatientRequest {
  documentNumber: string;
  firstName: string;
  lastName: string;
  /** YYYY-MM-DD, a real past date. */
  birthDate: string;
  /** The sender's wa_id: digits only. */
  phone: string;
  consent: { at: string; version: string };
}

export type RegisterPatientResult =
  | { ok: true; patient: Patient }
  /** invalid: a field fails validation; phone_taken: this phone already belongs to a patient with another document. */
  | { ok: false; reason: 'invalid' | 'phone_taken' };

export interface AddDependentRequest {
  holderId: string;
  firstName: string;
  lastName: string;
  birthDate: string;
}

export type AddDependentResult = { ok: true; dependent: Dependent } | { ok: false; reason: 'invalid' | 'unknown_patient' };

export interface Specialty {
  code: SpecialtyCode;
  /** Display name as the clinic spells it (Spanish). */
  name: string;
}

export interface Slot {
  id: string;
  specialty: SpecialtyCode;
  doctorId: string;
  doctorName: string;
  clinicId: string;
  clinicName: string;
  startsAt: string;
  endsAt: string;
}

export type AppointmentStatus = 'booked' | 'confirmed' | 'cancelled';

export interface Appointment {
  id: string;
  patientId: string;
  /** Snapshot of the slot at booking time. */
  slot: Slot;
  status: AppointmentStatus;
  bookedAt: string;
  confirmedAt?: string;
  cancelledAt?: string;
  /** For a dependent's appointment: the account holder, who may list, cancel and confirm it too. */
  holderId?: string;
}

export interface SlotPage {
  slots: Slot[];
  page: number;
  hasMore: boolean;
}

/**
 * What the patient asked of a slot ("el jueves en la tarde con la Dra.
 * Romero"), already resolved to clinic-local terms. Every given field must
 * hold; an absent one does not filter.
 */
export interface SlotFilters {
  /** Clinic-local calendar days "YYYY-MM-DD"; the slot starts on any of them. */
  days?: string[];
  /** Clinic-local minutes after midnight: the slot starts at or after this… */
  fromMinute?: number;
  /** …and before this. */
  toMinute?: number;
  doctorId?: string;
  clinicId?: string;
}

export interface ListFreeSlotsQuery {
  specialty: SpecialtyCode;
  filters?: SlotFilters;
  /** Earliest start (ISO); never earlier than now. */
  from?: string;
  /** 1-based. */
  page: number;
  /** 1..10 (a WhatsApp list holds at most 10 rows). */
  pageSize: number;
  /** The caller's own hold still shows as free to the caller. */
  holderId?: string;
}

export type HoldResult = { ok: true; expiresAt: string } | { ok: false; reason: 'taken' | 'held' | 'not_found' };

export interface BookRequest {
  slotId: string;
  patientId: string;
  /** The hold owner (session); booking needs this hold or a free slot. */
  holderId: string;
  /** Same key → same appointment, so a retried turn never books twice. */
  idempotencyKey: string;
  /** Refuse (not_found) a slot starting before this instant; adapters add their own minimum lead time anyway. */
  earliestStart?: string;
}

export interface HoldOptions {
  /** Refuse (not_found) a slot starting before this instant. */
  earliestStart?: string;
}

export type BookFailureReason =
  /** Already booked by someone. */
  | 'taken'
  /** Held by another session right now. */
  | 'held'
  /** No such slot, it already started, or it starts within the minimum lead time. */
  | 'not_found'
  | 'unknown_patient'
  /** The key was used before for a different slot or patient. */
  | 'idempotency_conflict';

export type BookResult = { ok: true; appointment: Appointment } | { ok: false; reason: BookFailureReason };

export interface BookingLookup {
  /** The key the booking was sent with. */
  idempotencyKey: string;
  /** The patient it was for, or that patient's account holder; anyone else reads it as not found. */
  patientId: string;
}

export interface AppointmentAction {
  appointmentId: string;
  /** The owner, or the account holder of a dependent owner; anyone else reads the appointment as not_found. */
  patientId: string;
}

export type CancelResult = { ok: true; appointment: Appointment } | { ok: false; reason: 'not_found' | 'too_late' };

export type ConfirmResult = { ok: true; appointment: Appointment } | { ok: false; reason: 'not_found' | 'cancelled' | 'too_late' };

/** What a reminder needs: the appointment and how to reach the patient. */
export interface UpcomingAppointment {
  appointment: Appointment;
  /** Whom to remind: the patient, or for a dependent's appointment the account holder. */
  patient: Pick<Patient, 'id' | 'firstName' | 'lastName' | 'phone'>;
  /** Set when the appointment is for a dependent of `patient`. */
  dependent?: Pick<Dependent, 'id' | 'firstName' | 'lastName'>;
  needsConfirmation: boolean;
}

export interface ClinicHealth {
  ok: boolean;
  backend: 'builtin' | 'http';
  detail?: string;
}

export interface ClinicPort {
  findPatientByDocument(documentNumber: string): Promise<Patient | null>;
  /** The patient registered with this phone (wa_id digits), if any. */
  findPatientByPhone(phone: string): Promise<Patient | null>;
  /**
   * Idempotent: the same document from the same phone returns the same
   * patient. A document already on file for another phone still registers,
   * as a record set apart for review (see Patient.needsReview).
   */
  registerPatient(request: RegisterPatientRequest): Promise<RegisterPatientResult>;
  listDependents(holderId: string): Promise<Dependent[]>;
  /** Idempotent: the same name and birth date under the same holder return the existing dependent. */
  addDependent(request: AddDependentRequest): Promise<AddDependentResult>;
  listSpecialties(): Promise<Specialty[]>;
  listFreeSlots(query: ListFreeSlotsQuery): Promise<SlotPage>;
  /** Re-holding by the same holder extends the hold. A slot inside the minimum lead time reads as not_found. */
  holdSlot(slotId: string, holderId: string, ttlSeconds: number, options?: HoldOptions): Promise<HoldResult>;
  /** No-op unless holderId owns the hold. */
  releaseHold(slotId: string, holderId: string): Promise<void>;
  book(request: BookRequest): Promise<BookResult>;
  /**
   * The appointment booked with this idempotency key, in whatever status it is
   * now, or null when that key booked nothing (yet). How a caller whose
   * `book` timed out learns whether it happened.
   */
  findBooking(lookup: BookingLookup): Promise<Appointment | null>;
  /** Active (booked or confirmed), not yet started appointments of the patient and of their dependents, soonest first. */
  listAppointments(patientId: string): Promise<Appointment[]>;
  /** Frees the slot; cancelling an already cancelled appointment returns it unchanged. The holder may act for a dependent. */
  cancelAppointment(action: AppointmentAction): Promise<CancelResult>;
  confirmAppointment(action: AppointmentAction): Promise<ConfirmResult>;
  /** Active appointments starting in [from, to), soonest first. */
  upcomingAppointments(window: { from: string; to: string }): Promise<UpcomingAppointment[]>;
  /** Sites, doctors, prices, insurance and preparation: what patients ask about. */
  clinicInfo(): Promise<ClinicInfo>;
  health(): Promise<ClinicHealth>;
  /** Work done once at worker start rather than in a patient's turn (the builtin store seeds); absent: none. */
  start?(): Promise<void>;
  /** Ends what start() set going (timers); idempotent. */
  stop?(): Promise<void>;
}

export const MAX_PAGE_SIZE = 10;

export * from './clinic-info.js';
export * from './patient-validation.js';

/** Users type "1.234.567", "1 234 567" or "1234567-LP"; the store keys on the bare characters. */
export function normalizeDocument(raw: string): string {
  return raw.replace(/[\s.-]/g, '').toUpperCase();
}
