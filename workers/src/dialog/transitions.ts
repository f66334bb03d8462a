import * as appointments from './actions/appointment-actions.js';
import * as booking from './actions/booking-actions.js';
import * as general from './actions/general-actions.js';
import { askDocument } from './actions/ask-document.js';
import * as identity from './actions/identity-actions.js';
import * as info from './actions/info-actions.js';
import * as reminders from './actions/reminder-actions.js';
import * as family from './actions/family-actions.js';
import * as registration from './actions/registration-actions.js';
import * as specialties from './actions/specialty-actions.js';
import type { Action } from './actions/action-context.js';
import type { EventName } from './dialog-event.js';
import { STEPS, type Step } from './dialog-state.js';

/**
 * The state machine of docs/dialog.md as data: for each step, event →
 * action → the steps the action may lead to (the first is the usual one; the
 * others are its failure paths, e.g. a slot taken meanwhile). Lookup order:
 * the step's own row, then GLOBAL (intents that work anywhere), then the
 * step's `*` fallback. Tests check every action lands in its listed steps.
 */
export interface Transition {
  action: Action;
  next: readonly Step[];
}

type Row = Partial<Record<EventName | '*', Transition>>;

const t = (action: Action, ...next: Step[]): Transition => ({ action, next });

// After identification the patient's earlier request resumes, so it may land on any of these.
const AFTER_IDENTITY: Step[] = [
  'VALIDADO',
  'CITAS_MOSTRADAS',
  'CANCELACION_INICIADA',
  'VERIFICANDO',
  'INICIAL',
  'REGISTRO',
  'PARA_QUIEN',
  'REGISTRO_FAMILIAR',
];
// Where a booking goes once the person it is for is settled.
const BOOKING_GOES_ON: Step[] = ['CITAS_MOSTRADAS', 'SINTOMAS_CLASIFICADOS', 'VALIDADO'];
const MENU: Row = {
  specialty: t(booking.showSlots, 'CITAS_MOSTRADAS', 'VALIDADO'),
  symptoms: t(booking.offerSpecialties, 'SINTOMAS_CLASIFICADOS', 'VALIDADO'),
  prefer: t(booking.preferSlots, 'VALIDADO', 'CITA_AGENDADA', 'FINALIZADO', 'CITAS_MOSTRADAS'),
  '*': t(booking.askNeed, 'VALIDADO', 'CITA_AGENDADA', 'FINALIZADO'),
};

export const TRANSITIONS: Record<Step, Row> = {
  INICIAL: {
    document: t(identity.identifyByDocument, 'VERIFICANDO', ...AFTER_IDENTITY),
    unclear: t(general.clarify, 'INICIAL'),
    '*': t(askDocument, 'INICIAL'),
  },
  VERIFICANDO: {
    birthdate: t(identity.verifyBirthDate, ...AFTER_IDENTITY),
    document: t(identity.identifyByDocument, 'VERIFICANDO', ...AFTER_IDENTITY),
    unclear: t(identity.askBirthDate, 'VERIFICANDO'),
    for_relative: t(identity.askBirthDate, 'VERIFICANDO'),
    '*': t(identity.askBirthDate, 'VERIFICANDO'),
  },
  VALIDADO: MENU,
  SINTOMAS_CLASIFICADOS: {
    specialty: t(booking.showSlots, 'CITAS_MOSTRADAS', 'VALIDADO'),
    yes: t(booking.chooseOfferedSpecialty, 'CITAS_MOSTRADAS', 'VALIDADO', 'SINTOMAS_CLASIFICADOS'),
    option: t(booking.chooseOfferedSpecialty, 'CITAS_MOSTRADAS', 'VALIDADO', 'SINTOMAS_CLASIFICADOS'),
    // "Otra": every specialty, numbered.
    no: t(specialties.listAllSpecialties, 'SINTOMAS_CLASIFICADOS'),
    more: t(specialties.listAllSpecialties, 'SINTOMAS_CLASIFICADOS'),
    symptoms: t(booking.offerSpecialties, 'SINTOMAS_CLASIFICADOS', 'VALIDADO'),
    prefer: t(booking.offerSpecialties, 'SINTOMAS_CLASIFICADOS', 'VALIDADO'),
    '*': t(booking.offerSpecialties, 'SINTOMAS_CLASIFICADOS', 'VALIDADO'),
  },
  CITAS_MOSTRADAS: {
    option: t(booking.holdSlot, 'CITA_SELECCIONADA', 'CITAS_MOSTRADAS', 'VALIDADO'),
    more: t(booking.nextPage, 'CITAS_MOSTRADAS'),
    specialty: t(booking.showSlots, 'CITAS_MOSTRADAS', 'VALIDADO'),
    symptoms: t(booking.offerSpecialties, 'SINTOMAS_CLASIFICADOS'),
    prefer: t(booking.preferSlots, 'CITAS_MOSTRADAS', 'VALIDADO'),
    no: t(booking.declineSlot, 'CITAS_MOSTRADAS', 'VALIDADO'),
    '*': t(booking.repromptPick, 'CITAS_MOSTRADAS'),
  },
  CITA_SELECCIONADA: {
    yes: t(booking.book, 'CITA_AGENDADA', 'CITAS_MOSTRADAS', 'VALIDADO', 'CITA_SELECCIONADA'),
    no: t(booking.declineSlot, 'CITAS_MOSTRADAS', 'VALIDADO'),
    option: t(booking.holdSlot, 'CITA_SELECCIONADA', 'CITAS_MOSTRADAS', 'VALIDADO'),
    prefer: t(booking.preferSlots, 'CITAS_MOSTRADAS', 'VALIDADO'),
    '*': t(booking.repromptConfirm, 'CITA_SELECCIONADA'),
  },
  CITA_AGENDADA: MENU,
  CANCELACION_INICIADA: {
    option: t(appointments.chooseAppointment, 'CANCELACION_INICIADA', 'CITAS_MOSTRADAS', 'VALIDADO'),
    yes: t(appointments.confirmCancel, 'FINALIZADO', 'CANCELACION_INICIADA'),
    no: t(appointments.keepAppointment, 'VALIDADO'),
    '*': t(appointments.repromptAppointment, 'CANCELACION_INICIADA', 'CITAS_MOSTRADAS', 'VALIDADO'),
  },
  FINALIZADO: MENU,
  REGISTRO: {
    answer: t(registration.collectName, 'REGISTRO'),
    yes: t(registration.acceptRegistration, ...AFTER_IDENTITY),
    no: t(registration.declineRegistration, 'INICIAL'),
    document: t(identity.identifyByDocument, 'VERIFICANDO', ...AFTER_IDENTITY),
    unclear: t(registration.repromptRegistration, 'REGISTRO'),
    greet: t(registration.repromptRegistration, 'REGISTRO'),
    '*': t(registration.repromptRegistration, 'REGISTRO'),
  },
  PARA_QUIEN: {
    person: t(family.choosePerson, ...BOOKING_GOES_ON, 'REGISTRO_FAMILIAR', 'PARA_QUIEN'),
    unclear: t(family.repromptWho, 'PARA_QUIEN'),
    greet: t(family.repromptWho, 'PARA_QUIEN'),
    '*': t(family.repromptWho, 'PARA_QUIEN'),
  },
  REGISTRO_FAMILIAR: {
    answer: t(family.collectDependent, 'REGISTRO_FAMILIAR', ...BOOKING_GOES_ON),
    unclear: t(family.repromptDependent, 'REGISTRO_FAMILIAR'),
    greet: t(family.repromptDependent, 'REGISTRO_FAMILIAR'),
    '*': t(family.repromptDependent, 'REGISTRO_FAMILIAR'),
  },
};

/** Global intents: the same from any step (unless the step's own row overrides the event). */
export const GLOBAL: Row = {
  cancel: t(appointments.startCancel, 'CANCELACION_INICIADA', 'VALIDADO', 'INICIAL'),
  list: t(appointments.listAppointments, 'VALIDADO', 'INICIAL'),
  reschedule: t(appointments.startReschedule, 'CANCELACION_INICIADA', 'CITAS_MOSTRADAS', 'VALIDADO', 'INICIAL'),
  book: t(booking.askSpecialty, 'VALIDADO', 'INICIAL'),
  // A question about the clinic, answered from any step; the conversation stays where it was (a lost hold lists again).
  info: t(info.answerInfo, ...STEPS),
  help: t(general.help, ...STEPS),
  human: t(general.handoff, 'VALIDADO', 'INICIAL'),
  goodbye: t(general.goodbye, 'FINALIZADO', 'INICIAL'),
  thanks: t(general.thanks, ...STEPS),
  greet: t(general.greet, 'VALIDADO', 'CITA_AGENDADA', 'FINALIZADO', 'INICIAL'),
  media: t(general.onlyText, ...STEPS),
  // Replies to a reminder; a refused one (not the sender's appointment) leaves the step as it was.
  reminder_confirm: t(reminders.confirmFromReminder, 'VALIDADO', ...STEPS),
  reminder_cancel: t(reminders.cancelFromReminder, 'CANCELACION_INICIADA', ...STEPS),
  for_relative: t(family.startForRelative, 'PARA_QUIEN', 'REGISTRO_FAMILIAR', 'INICIAL'),
  unclear: t(
    general.clarify,
    'INICIAL',
    'VALIDADO',
    'SINTOMAS_CLASIFICADOS',
    'CITAS_MOSTRADAS',
    'CITA_SELECCIONADA',
    'CITA_AGENDADA',
    'CANCELACION_INICIADA',
    'FINALIZADO',
  ),
};

/** The transition for `event` in `step`. */
export function transitionFor(step: Step, event: EventName): Transition {
  const row = TRANSITIONS[step];
  return row[event] ?? GLOBAL[event] ?? row['*']!;
}
