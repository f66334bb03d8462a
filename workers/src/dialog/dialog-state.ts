import type { SpecialtyCode } from '../clinic/index.js';
import type { SlotPreference } from './preferences/slot-preference.js';

/**
 * Conversation steps (docs/product.md, "Vocabulary"): the clinic's original
 * states plus VERIFICANDO, the second identity factor, REGISTRO (a first-time
 * patient registers), PARA_QUIEN (which family member an appointment is for)
 * and REGISTRO_FAMILIAR (adding one); see docs/dialog.md.
 */
export const STEPS = [
  'INICIAL',
  'VERIFICANDO',
  'VALIDADO',
  'SINTOMAS_CLASIFICADOS',
  'CITAS_MOSTRADAS',
  'CITA_SELECCIONADA',
  'CITA_AGENDADA',
  'CANCELACION_INICIADA',
  'FINALIZADO',
  'REGISTRO',
  'PARA_QUIEN',
  'REGISTRO_FAMILIAR',
] as const;

export type Step = (typeof STEPS)[number];

/** What the patient asked for before we knew who they are; resumed once they are identified. */
export type Goal = 'book' | 'cancel' | 'list' | 'reschedule';

/**
 * A slot or an appointment as a list showed it: enough to confirm, book,
 * cancel and talk about it. The id is the slot's or the appointment's.
 */
export interface ShownEntry {
  id: string;
  startsAt: string;
  doctorName: string;
  clinicName: string;
  specialty: SpecialtyCode;
  /** Set on a dependent's appointment: who it is for. */
  dependent?: Person;
}

/** An appointment to cancel, and who may cancel it (the owner or a dependent's account holder). */
export interface PendingCancel {
  appointmentId: string;
  patientId: string;
}

/** A family member as the dialog names them. */
export interface Person {
  id: string;
  firstName: string;
}

export interface DialogState {
  step: Step;
  patient?: { id: string; firstName: string };
  /** Document typed while waiting for the second factor (VERIFICANDO). */
  pendingDocument?: string;
  /** The attempt id the pending verification was counted under; a success refunds it (docs/dialog.md, Identity). */
  pendingAttempt?: string;
  goal?: Goal;
  specialty?: SpecialtyCode;
  /** Specialties offered when the NLU was unsure which one the symptoms point to. */
  specialtyChoices?: SpecialtyCode[];
  page?: number;
  shown?: ShownEntry[];
  hasMore?: boolean;
  held?: ShownEntry;
  /**
   * The idempotency key of booking `held`: made when the slot is held, so every
   * "sí" for this hold (a retried turn, or a new one after a timeout) sends
   * the same key and books at most once. Kept until the outcome is known.
   */
  bookingKey?: string;
  /** A booking went out with `bookingKey` and no answer came: asked about before anything else next turn. */
  bookingUnknown?: boolean;
  /**
   * Appointments a reschedule replaced whose cancel failed (timeout, 5xx):
   * retried at the start of every later turn, whatever the step, until done.
   */
  pendingCancels?: PendingCancel[];
  /** CANCELACION_INICIADA: the patient's appointments as listed, and what they are for. */
  appointments?: ShownEntry[];
  chosenAppointment?: ShownEntry;
  purpose?: 'cancel' | 'reschedule';
  /** Appointment to cancel once the new one is booked. */
  rescheduleId?: string;
  /** CANCELACION_INICIADA reached from a reminder's "Cancelar" (counted as a cancellation from reminders). */
  fromReminder?: boolean;
  /** Set when the session was handed to a human; the next message after release greets again. */
  handedOff?: boolean;
  /** Day, time, doctor or site the patient asked for; the slot list honours it (docs/dialog.md). */
  preference?: SlotPreference;
  /** Messages in a row the dialog did not understand; at two it offers a person. */
  misses?: number;
  /** The last reply offered a person: a "sí" now means hand off. */
  offeredHuman?: boolean;
  /** REGISTRO: what a first-time patient typed so far (document and birth date come from the identity steps). */
  registration?: { document: string; birthDate: string; firstName?: string; lastName?: string };
  /** The patient said the appointment is for a relative ("para mi hijo de 5 años"); asked in PARA_QUIEN. */
  forRelative?: { relation: string; ageYears?: number };
  /** PARA_QUIEN: the dependents offered, in order. */
  dependentChoices?: Person[];
  /** REGISTRO_FAMILIAR: the new dependent's data so far. */
  newDependent?: { firstName?: string; lastName?: string };
  /** The dependent this booking is for; absent means the identified patient. */
  beneficiary?: Person;
}

export const INITIAL_STATE: DialogState = Object.freeze({ step: 'INICIAL' });

/** The state field the dialog owns; replaced whole each turn. */
export const STATE_FIELD = 'dialog';

/** Reads the saved dialog; anything unreadable (an older shape, corruption) starts over. */
export function loadDialogState(saved: Record<string, string>): DialogState | undefined {
  const raw = saved[STATE_FIELD];
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as DialogState;
    return (STEPS as readonly string[]).includes(parsed.step) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function saveDialogState(state: DialogState): Record<string, string> {
  return { [STATE_FIELD]: JSON.stringify(state) };
}

/** Forgets everything about the booking in progress, keeps who the patient is. */
export function backToMenu(state: DialogState, step: Step = 'VALIDADO'): DialogState {
  return state.patient ? { step, patient: state.patient } : { step: 'INICIAL' };
}

/** The booking preference to carry into a new state, if any. */
export function keepPreference(state: DialogState): Pick<DialogState, 'preference'> {
  return state.preference ? { preference: state.preference } : {};
}
