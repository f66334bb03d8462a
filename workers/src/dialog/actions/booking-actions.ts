import type { Slot, SpecialtyCode } from '../../clinic/index.js';
import { backToMenu, type DialogState, type ShownSlot } from '../dialog-state.js';
import { clip, LIMITS } from '../slot-format.js';
import { firstName, menuButtons, say, type Action, type ActionContext } from './action-context.js';
import { askDocument } from './identity-actions.js';
import { finishReschedule } from './appointment-actions.js';

const DEFAULT_PAGE_SIZE = 9;

/** Booking needs to know who books; otherwise ask the document first and resume afterwards. */
function needsPatient(state: DialogState, ctx: ActionContext): Promise<DialogState> | undefined {
  return state.patient ? undefined : askDocument(state, ctx);
}

export const askNeed: Action = async (state, ctx) => {
  menuButtons(ctx, ctx.deps.texts.whatDoYouNeed(firstName(state)));
  return backToMenu(state, state.step === 'CITA_AGENDADA' || state.step === 'FINALIZADO' ? state.step : 'VALIDADO');
};

export const askSpecialty: Action = async (state, ctx) => {
  const early = needsPatient(state, ctx);
  if (early) return early;
  say(ctx, ctx.deps.texts.askSpecialty);
  return { ...backToMenu(state), ...(state.rescheduleId ? { rescheduleId: state.rescheduleId } : {}) };
};

/** Symptoms that point to more than one specialty: ask which, as buttons (a clarifying question, never a guess). */
export const offerSpecialties: Action = async (state, ctx) => {
  const early = needsPatient(state, ctx);
  if (early) return early;
  const t = ctx.deps.texts;
  const choices = ctx.event.specialtyChoices ?? state.specialtyChoices ?? [];
  if (choices.length === 0) return askSpecialty(state, ctx);
  const names = choices.map((c) => t.specialties[c]);
  ctx.out.push({
    kind: 'buttons',
    body: t.confirmSpecialty(names.join(' o ')),
    buttons: [
      ...choices.map((c) => ({ id: `spec:${c}`, title: clip(t.specialties[c], LIMITS.buttonTitle) })),
      { id: 'deny', title: t.otherSpecialty },
    ],
  });
  return { ...backToMenu(state, 'SINTOMAS_CLASIFICADOS'), specialtyChoices: choices, ...keepReschedule(state) };
};

/** SINTOMAS_CLASIFICADOS → "sí" takes the first offered specialty, "la 2" the second. */
export const chooseOfferedSpecialty: Action = async (state, ctx) => {
  const choices = state.specialtyChoices ?? [];
  const index = ctx.event.name === 'option' ? (ctx.event.option ?? 0) - 1 : 0;
  const specialty = choices[index];
  if (!specialty) return offerSpecialties(state, ctx);
  return showSlots({ ...state, specialty }, { ...ctx, event: { ...ctx.event, specialty } });
};

function keepReschedule(state: DialogState): Partial<DialogState> {
  return state.rescheduleId ? { rescheduleId: state.rescheduleId } : {};
}

/** First page of free slots of the chosen specialty, as an interactive list. */
export const showSlots: Action = async (state, ctx) => {
  const early = needsPatient(state, ctx);
  if (early) return early;
  const specialty = ctx.event.specialty ?? state.specialty;
  if (!specialty) return askSpecialty(state, ctx);
  return listPage({ ...backToMenu(state), ...keepReschedule(state), specialty }, specialty, 1, ctx);
};

export const nextPage: Action = async (state, ctx) => {
  if (!state.specialty) return askSpecialty(state, ctx);
  if (!state.hasMore) {
    say(ctx, ctx.deps.texts.noMoreSlots);
    return state;
  }
  return listPage(state, state.specialty, (state.page ?? 1) + 1, ctx);
};

async function listPage(state: DialogState, specialty: SpecialtyCode, page: number, ctx: ActionContext): Promise<DialogState> {
  const { clinic, texts: t, formatter, options } = ctx.deps;
  const result = await clinic.listFreeSlots({
    specialty,
    page,
    pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE,
    holderId: ctx.holderId,
  });
  const name = t.specialties[specialty];
  if (result.slots.length === 0) {
    say(ctx, page > 1 ? t.noMoreSlots : t.noSlots(name));
    return page > 1 ? { ...state, hasMore: false } : { ...backToMenu(state), ...keepReschedule(state) };
  }
  const shown = result.slots.map(toShown);
  const rows = shown.map((s) => ({
    id: `slot:${s.id}`,
    title: clip(formatter.short(s.startsAt), LIMITS.rowTitle),
    description: clip(`${s.doctorName} · ${s.clinicName}`, LIMITS.rowDescription),
  }));
  if (result.hasMore) rows.push({ id: 'more_options', title: t.moreRowTitle, description: t.moreRowDescription });
  ctx.out.push({
    kind: 'list',
    body: t.slotsBody(name, page),
    buttonText: t.slotsButton,
    sections: [{ title: clip(name, LIMITS.rowTitle), rows }],
  });
  return { ...state, step: 'CITAS_MOSTRADAS', specialty, page, shown, hasMore: result.hasMore };
}

function toShown(slot: Slot): ShownSlot {
  return { id: slot.id, startsAt: slot.startsAt, doctorName: slot.doctorName, clinicName: slot.clinicName, specialty: slot.specialty };
}

/** A pick from the list: hold the slot for the patient, then ask to confirm with buttons. */
export const holdSlot: Action = async (state, ctx) => {
  const { clinic, texts: t, formatter, options } = ctx.deps;
  const slot = state.shown?.[(ctx.event.option ?? 0) - 1];
  if (!slot) return ctx.event.timeMatches ? askWhichOfMatches(state, ctx, ctx.event.timeMatches) : repromptPick(state, ctx);
  const hold = await clinic.holdSlot(slot.id, ctx.holderId, options.holdSeconds);
  if (!hold.ok) {
    say(ctx, t.slotTaken);
    return listPage({ ...state, held: undefined }, slot.specialty, 1, ctx);
  }
  ctx.out.push({
    kind: 'buttons',
    body: t.confirmSlot(formatter.short(slot.startsAt), slot.doctorName, slot.clinicName, Math.round(options.holdSeconds / 60)),
    buttons: [
      { id: 'affirm', title: t.confirmButton },
      { id: 'deny', title: t.otherSlotButton },
    ],
  });
  return { ...state, step: 'CITA_SELECCIONADA', held: slot };
};

/**
 * A typed time that fits several rows (same hour, different days) or none:
 * name the ones it fits instead of guessing. Up to 3 distinct ones become
 * buttons carrying the slot ids, so the tap lands on that slot even if the
 * list changes meanwhile.
 */
function askWhichOfMatches(state: DialogState, ctx: ActionContext, matches: number[]): DialogState {
  const { texts: t, formatter } = ctx.deps;
  const rows = matches.flatMap((n) => {
    const slot = state.shown?.[n - 1];
    return slot ? [{ n, slot, title: clip(formatter.short(slot.startsAt), LIMITS.buttonTitle) }] : [];
  });
  if (rows.length === 0) {
    say(ctx, t.noShownSlotMatches);
    return state;
  }
  if (rows.length <= 3 && new Set(rows.map((r) => r.title)).size === rows.length) {
    ctx.out.push({
      kind: 'buttons',
      body: t.severalSlotsMatch,
      buttons: rows.map((r) => ({ id: `slot:${r.slot.id}`, title: r.title })),
    });
  } else {
    say(ctx, t.severalSlotsMatchTyped(rows.map((r) => `la ${r.n}: ${r.title} · ${r.slot.doctorName}`)));
  }
  return state;
}

export const repromptPick: Action = async (state, ctx) => {
  say(ctx, ctx.deps.texts.pickFromList);
  return state;
};

export const repromptConfirm: Action = async (state, ctx) => {
  say(ctx, ctx.deps.texts.confirmOrChange);
  return state;
};

/** "Otro horario": the dispatcher releases the hold; show the same page again. */
export const declineSlot: Action = async (state, ctx) => {
  const { held: _released, ...rest } = state;
  if (!state.specialty) return askSpecialty(rest, ctx);
  return listPage(rest, state.specialty, state.page ?? 1, ctx);
};

/** CITA_SELECCIONADA + "sí": book with the turn's idempotency key, so a retried turn books once. */
export const book: Action = async (state, ctx) => {
  const { clinic, texts: t, formatter } = ctx.deps;
  const slot = state.held;
  if (!slot || !state.patient) return askNeed(state, ctx);
  const result = await clinic.book({
    slotId: slot.id,
    patientId: state.patient.id,
    holderId: ctx.holderId,
    idempotencyKey: `${ctx.attemptId}:${slot.id}`,
  });
  if (!result.ok) {
    ctx.deps.logger?.info({ reason: result.reason }, 'dialog: booking refused');
    say(ctx, result.reason === 'not_found' || result.reason === 'taken' || result.reason === 'held' ? t.slotTaken : t.holdExpired);
    return listPage({ ...state, held: undefined }, slot.specialty, 1, ctx);
  }
  say(ctx, t.booked(firstName(state)!, formatter.short(slot.startsAt), slot.doctorName, slot.clinicName));
  const booked: DialogState = { step: 'CITA_AGENDADA', patient: state.patient };
  return state.rescheduleId ? finishReschedule(booked, state.rescheduleId, ctx) : booked;
};
