import { normalizeDocument, type Patient } from '../../clinic/index.js';
import type { DialogState } from '../dialog-state.js';
import { applyPreference, isEmptyPreference } from '../preferences/slot-preference.js';
import { firstName, goalOf, say, sayLatest, type Action, type ActionContext } from './action-context.js';
import { listAppointments, startCancel, startReschedule } from './appointment-actions.js';
import { askNeed, askSpecialty, showSlots } from './booking-actions.js';
import { askWhoFor } from './family-actions.js';
import { mayRegister, offerRegistration } from './registration-actions.js';

/** INICIAL: asks for the document, remembering what the patient wanted (and the specialty, if named). */
export const askDocument: Action = async (state, ctx) => {
  const t = ctx.deps.texts;
  const goal = goalOf(ctx.event) ?? state.goal;
  const specialty = ctx.event.specialty ?? state.specialty;
  const preference = applyPreference(state.preference, ctx.event.preference);
  // Several messages in one turn ("hola" + "necesito ficha" + "para pediatría") get one request, the most specific.
  const prompt =
    goal === 'book' && specialty ? t.askDocumentForSpecialty(t.specialties[specialty]) : goal ? t.askDocumentFor[goal] : t.askDocument;
  sayLatest(ctx, 'askDocument', prompt);
  return {
    step: 'INICIAL',
    ...(goal ? { goal } : {}),
    ...(specialty ? { specialty } : {}),
    ...(!isEmptyPreference(preference) && { preference }),
    ...(state.forRelative && { forRelative: state.forRelative }),
  };
};

/** Who may act as `patient` from this sender: only the registered phone skips the second factor. */
function phoneMatches(patient: Patient, ctx: ActionContext): boolean {
  const sender = ctx.input.address.waId?.replace(/\D/g, '');
  return !!sender && sender === patient.phone.replace(/\D/g, '');
}

/**
 * Document → patient. A matching phone identifies at once; anything else
 * (another phone, a phoneless sender, or no such document) gets the same
 * birth-date question, so the answer never tells whether a document exists.
 */
export const identifyByDocument: Action = async (state, ctx) => {
  const { clinic, identity, texts: t } = ctx.deps;
  if (await identity.isLocked(ctx.input.sessionKey)) {
    sayLocked(ctx);
    return { step: 'INICIAL', ...(state.goal ? { goal: state.goal } : {}) };
  }
  const document = normalizeDocument(ctx.event.document ?? '');
  const patient = await clinic.findPatientByDocument(document);
  // The registered phone is never held back by the document's back-off: strangers' guesses must not lock the owner out.
  if (patient && phoneMatches(patient, ctx)) return identified(state, patient, ctx);
  // Counted as a failure from here on, so leaving without the second factor costs as much as a wrong one.
  if (!(await identity.beginAttempt(ctx.input.sessionKey, document, ctx.attemptId, ctx.input.now))) {
    ctx.deps.logger?.info('dialog: document in identification back-off');
    sayLocked(ctx);
    return { ...keepGoal(state), step: 'INICIAL' };
  }
  say(ctx, t.askBirthDate);
  return { ...keepGoal(state), step: 'VERIFICANDO', pendingDocument: document, pendingAttempt: ctx.attemptId };
};

export const askBirthDate: Action = async (state, ctx) => {
  say(ctx, ctx.deps.texts.birthDateFormat);
  return state;
};

/** VERIFICANDO: the second factor. A wrong date and an unknown document read the same. */
export const verifyBirthDate: Action = async (state, ctx) => {
  const { clinic, identity, texts: t } = ctx.deps;
  const { sessionKey } = ctx.input;
  // The attempt was admitted and counted when the document was given; a state saved before that existed is admitted now.
  const attempt = state.pendingAttempt ?? ctx.attemptId;
  if (
    !state.pendingAttempt &&
    ((await identity.isLocked(sessionKey)) ||
      !(await identity.beginAttempt(sessionKey, state.pendingDocument ?? '', attempt, ctx.input.now)))
  ) {
    sayLocked(ctx);
    return { ...keepGoal(state), step: 'INICIAL' };
  }
  const patient = state.pendingDocument ? await clinic.findPatientByDocument(state.pendingDocument) : null;
  if (patient && patient.birthDate === ctx.event.birthDate) {
    await identity.refundAttempt(sessionKey, state.pendingDocument!, attempt);
    return identified(state, patient, ctx);
  }
  const locked = await identity.isLocked(sessionKey);
  ctx.deps.logger?.info({ locked }, 'dialog: identification failed');
  if (locked) sayLocked(ctx);
  // Decided by the sender's phone alone, so it reads the same whether or not the document exists (docs/dialog.md).
  else if (await mayRegister(ctx, state.pendingDocument))
    return offerRegistration(state, ctx, state.pendingDocument!, ctx.event.birthDate!);
  else say(ctx, t.identityFailed);
  return { ...keepGoal(state), step: 'INICIAL' };
};

// A locked-out patient may still need help: one tap reaches a person, whatever the classifier makes of their words.
function sayLocked(ctx: ActionContext): void {
  const t = ctx.deps.texts;
  ctx.out.push({ kind: 'buttons', body: t.identityLocked, buttons: [{ id: 'human_handoff', title: t.buttons.human }] });
}

export function keepGoal(state: DialogState): DialogState {
  return {
    step: state.step,
    ...(state.goal ? { goal: state.goal } : {}),
    ...(state.specialty ? { specialty: state.specialty } : {}),
    ...(state.preference ? { preference: state.preference } : {}),
    ...(state.forRelative ? { forRelative: state.forRelative } : {}),
  };
}

/** Identified (or just registered): thank by first name and carry on with what they asked for before. */
export async function identified(state: DialogState, patient: Patient, ctx: ActionContext, message?: string): Promise<DialogState> {
  const next: DialogState = {
    step: 'VALIDADO',
    patient: { id: patient.id, firstName: patient.firstName },
    ...(state.preference ? { preference: state.preference } : {}),
  };
  say(ctx, message ?? ctx.deps.texts.identified(firstName(next)!));
  if (state.forRelative)
    return askWhoFor({ ...next, forRelative: state.forRelative, ...(state.specialty && { specialty: state.specialty }) }, ctx);
  switch (state.goal) {
    case 'book':
      return state.specialty ? showSlots({ ...next, specialty: state.specialty }, ctx) : askSpecialty(next, ctx);
    case 'cancel':
      return startCancel(next, ctx);
    case 'list':
      return listAppointments(next, ctx);
    case 'reschedule':
      return startReschedule(next, ctx);
    default:
      return askNeed(next, ctx);
  }
}
