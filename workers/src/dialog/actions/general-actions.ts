import { HandoffReason } from '@medcita/shared';
import { backToMenu, type DialogState } from '../dialog-state.js';
import { firstName, say, sayOnce, type Action } from './action-context.js';
import { askDocument } from './ask-document.js';
import { askNeed } from './booking-actions.js';

/** One greeting per turn, however many "hola"s arrived together. */
export const greet: Action = async (state, ctx) => {
  sayOnce(ctx, 'greeting', ctx.deps.texts.greeting(firstName(state)));
  return state.patient ? askNeed(state, ctx) : askDocument(state, ctx);
};

export const help: Action = async (state, ctx) => {
  say(ctx, ctx.deps.texts.help);
  return state.patient ? state : askDocument(state, ctx);
};

/** Flags the session for a person; from now on the bot stays silent until released or timed out. */
export const handoff: Action = async (state, ctx) => {
  const name = firstName(state);
  // A "sí" to the person the dialog offered after misunderstanding twice.
  const reason = state.offeredHuman ? HandoffReason.Misunderstood : HandoffReason.AskedForPerson;
  await ctx.deps.handoff.flag(ctx.input.sessionKey, reason, { address: ctx.input.address, ...(name ? { firstName: name } : {}) });
  say(ctx, ctx.deps.texts.handoff);
  return { ...backToMenu(state), handedOff: true };
};

export const goodbye: Action = async (state, ctx) => {
  say(ctx, ctx.deps.texts.goodbye(firstName(state)));
  return backToMenu(state, state.patient ? 'FINALIZADO' : 'INICIAL');
};

export const thanks: Action = async (state, ctx) => {
  say(ctx, ctx.deps.texts.thanks);
  return state;
};

/**
 * Low confidence: ask with buttons built from what the NLU thought most
 * likely, so one tap settles it. Nothing is done on a guess.
 */
export const clarify: Action = async (state, ctx) => {
  const t = ctx.deps.texts;
  if ((state.misses ?? 0) >= 1) return offerPerson(state, ctx);
  if (state.step === 'INICIAL') return askDocument(state, ctx);
  const nlu = ctx.event.nlu;
  const candidates = nlu ? [nlu.intent, ...nlu.alternatives.map((a) => a.intent)] : [];
  const labels: Record<string, string> = {
    book_appointment: t.buttons.book,
    describe_symptoms: t.buttons.book,
    list_appointments: t.buttons.list,
    cancel_appointment: t.buttons.cancel,
    reschedule_appointment: t.buttons.reschedule,
    human_handoff: t.buttons.human,
  };
  const buttons: { id: string; title: string }[] = [];
  for (const id of [...candidates, 'book_appointment', 'list_appointments', 'cancel_appointment']) {
    const key = id === 'describe_symptoms' ? 'book_appointment' : id;
    const title = labels[key];
    if (title && !buttons.some((b) => b.id === key)) buttons.push({ id: key, title });
  }
  ctx.out.push({ kind: 'buttons', body: t.clarify, buttons: buttons.slice(0, 3) });
  return state;
};

/** Two misunderstandings in a row: offer a person (a "sí" or the button hands off) rather than guess again. */
export const offerPerson: Action = async (state, ctx) => {
  const t = ctx.deps.texts;
  const fallback = state.patient ? { id: 'book_appointment', title: t.buttons.book } : { id: 'ask_info', title: t.buttons.help };
  ctx.out.push({
    kind: 'buttons',
    body: t.offerPerson,
    buttons: [{ id: 'human_handoff', title: t.personYes }, fallback],
  });
  return { ...state, offeredHuman: true };
};

/** Media and other messages we cannot read: say what we can do; the flow stays where it was. */
export const onlyText: Action = async (state: DialogState, ctx) => {
  say(ctx, ctx.deps.texts.onlyText);
  return state;
};
