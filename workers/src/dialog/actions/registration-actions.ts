import { createHash } from 'node:crypto';
import { isPlausibleDocument } from '../../clinic/index.js';
import type { DialogState } from '../dialog-state.js';
import { parseName } from '../full-name.js';
import { say, type Action, type ActionContext } from './action-context.js';
import { identified, keepGoal } from './identified.js';

/**
 * First visit (docs/dialog.md, First visit): a sender whose phone is not on
 * file, after a document and birth date that identify nobody, may register
 * (full name, then consent to the clinic's data-processing text). The offer
 * depends only on the sender's phone, never on whether the document exists.
 */

/** Whether the failed identification may end in the registration offer: a wa_id sender not on file, and a document of plausible shape. */
export async function mayRegister(ctx: ActionContext, document: string | undefined): Promise<boolean> {
  const phone = ctx.input.address.waId?.replace(/\D/g, '');
  if (!phone || !document || !isPlausibleDocument(document)) return false;
  return (await ctx.deps.clinic.findPatientByPhone(phone)) === null;
}

export function offerRegistration(state: DialogState, ctx: ActionContext, document: string, birthDate: string): DialogState {
  say(ctx, ctx.deps.texts.registration.offer);
  return { ...keepGoal(state), step: 'REGISTRO', registration: { document, birthDate } };
}

const shownDate = (iso: string) => iso.split('-').reverse().join('/');

function consentText(ctx: ActionContext): string {
  return ctx.deps.options.consentText ?? ctx.deps.texts.registration.defaultConsent;
}

function askConsent(state: DialogState, ctx: ActionContext): void {
  const r = state.registration!;
  const t = ctx.deps.texts.registration;
  ctx.out.push({
    kind: 'buttons',
    body: t.askConsent(`${r.firstName} ${r.lastName}`, shownDate(r.birthDate), r.document, consentText(ctx)),
    buttons: [
      { id: 'affirm', title: t.acceptButton },
      { id: 'deny', title: t.declineButton },
    ],
  });
}

/** REGISTRO + a typed name: keep it and ask for consent (a second name replaces the first). */
export const collectName: Action = async (state, ctx) => {
  const name = parseName(ctx.event.text, { minWords: 2 });
  if (!name || !state.registration) return repromptRegistration(state, ctx);
  const next: DialogState = { ...state, registration: { ...state.registration, ...name } };
  askConsent(next, ctx);
  return next;
};

/** REGISTRO + "Acepto": register with the consent's time and version, then carry on with what the patient asked for. */
export const acceptRegistration: Action = async (state, ctx) => {
  const r = state.registration;
  const phone = ctx.input.address.waId?.replace(/\D/g, '');
  if (!r?.firstName || !phone) return repromptRegistration(state, ctx);
  const t = ctx.deps.texts;
  const result = await ctx.deps.clinic.registerPatient({
    documentNumber: r.document,
    firstName: r.firstName,
    lastName: r.lastName ?? '',
    birthDate: r.birthDate,
    phone,
    consent: {
      at: new Date(ctx.input.now).toISOString(),
      version: createHash('sha256').update(consentText(ctx)).digest('hex').slice(0, 12),
    },
  });
  if (!result.ok) {
    ctx.deps.logger?.info({ reason: result.reason }, 'dialog: registration refused');
    say(ctx, result.reason === 'invalid' ? t.registration.invalid : t.identityFailed);
    return { ...keepGoal(state), step: 'INICIAL' };
  }
  return identified(state, result.patient, ctx, t.registration.done(result.patient.firstName.split(' ')[0]!));
};

export const declineRegistration: Action = async (state, ctx) => {
  const t = ctx.deps.texts;
  ctx.out.push({ kind: 'buttons', body: t.registration.declined, buttons: [{ id: 'human_handoff', title: t.buttons.human }] });
  return { ...keepGoal(state), step: 'INICIAL' };
};

export const repromptRegistration: Action = async (state, ctx) => {
  if (!state.registration?.firstName) {
    say(ctx, ctx.deps.texts.registration.askName);
    return state;
  }
  say(ctx, ctx.deps.texts.registration.consentReminder);
  askConsent(state, ctx);
  return state;
};
