import { normalizeDocument, type Patient } from '../../clinic/index.js';
import { say, type Action, type ActionContext } from './action-context.js';
import { identified, keepGoal } from './identified.js';
import { mayRegister, offerRegistration } from './registration-actions.js';

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
  const admitted = await identity.beginAttempt(ctx.input.sessionKey, document, ctx.attemptId, ctx.input.now);
  if (patient) await alertOwner(patient, document, ctx);
  if (!admitted) {
    ctx.deps.logger?.info('dialog: document in identification back-off');
    sayLocked(ctx);
    return { ...keepGoal(state), step: 'INICIAL' };
  }
  say(ctx, t.askBirthDate);
  return { ...keepGoal(state), step: 'VERIFICANDO', pendingDocument: document, pendingAttempt: ctx.attemptId };
};

/**
 * Another number tried a patient's document: their registered phone is told,
 * at most once per document per period (the claim), through a queued
 * template, so the stranger's reply reads the same whether or not it was sent.
 */
async function alertOwner(patient: Patient, document: string, ctx: ActionContext): Promise<void> {
  const alerts = ctx.deps.ownerAlerts;
  const owner = patient.phone.replace(/\D/g, '');
  if (!alerts || !owner) return;
  if (await ctx.deps.identity.claimOwnerAlert(document, ctx.attemptId)) {
    await alerts.alert({ phoneNumberId: ctx.input.address.phoneNumberId, waId: owner }, ctx.attemptId);
  } else alerts.suppressed();
}

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
