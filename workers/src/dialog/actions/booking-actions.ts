import { backToMenu, type DialogState } from '../dialog-state.js';
import { describePreference } from '../preferences/describe.js';
import { applyPreference, isEmptyPreference, without } from '../preferences/slot-preference.js';
import { listPage, relist } from './slot-listing.js';
import { clip, LIMITS } from '../text-limits.js';
import { firstName, menuButtons, say, type Action, type ActionContext } from './action-context.js';
import { askDocument } from './ask-document.js';
import { bookingKeyOf, confirmBooked, sendBooking } from './booking-outcome.js';
import { askMoreAboutSymptoms, listAllSpecialties } from './specialty-actions.js';
import { replyId } from '../reply-ids.js';

/** Specialty buttons offered at most (plus "Otra"): WhatsApp shows 3 buttons. */
const MAX_OFFERED = 2;

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
  const preference = applyPreference(state.preference, ctx.event.preference);
  return {
    ...backToMenu(state),
    ...keepReschedule(state),
    ...(!isEmptyPreference(preference) && { preference }),
  };
};

/** Symptoms that point to more than one specialty: ask which, as buttons (a clarifying question, never a guess). */
export const offerSpecialties: Action = async (state, ctx) => {
  const early = needsPatient(state, ctx);
  if (early) return early;
  const t = ctx.deps.texts;
  const choices = ctx.event.specialtyChoices ?? state.specialtyChoices ?? [];
  if (choices.length === 0) return ctx.event.name === 'symptoms' ? askMoreAboutSymptoms(state, ctx) : askSpecialty(state, ctx);
  if (choices.length > MAX_OFFERED) return listAllSpecialties(state, ctx);
  const names = choices.map((c) => t.specialties[c]);
  ctx.out.push({
    kind: 'buttons',
    body: t.confirmSpecialty(names.join(' o ')),
    buttons: [
      ...choices.map((c) => ({ id: replyId.specialty(c), title: clip(t.specialties[c], LIMITS.buttonTitle) })),
      { id: 'deny', title: t.otherSpecialty },
    ],
  });
  const preference = applyPreference(state.preference, ctx.event.preference);
  return {
    ...backToMenu(state, 'SINTOMAS_CLASIFICADOS'),
    specialtyChoices: choices,
    ...keepReschedule(state),
    ...(!isEmptyPreference(preference) && { preference }),
  };
};

/** SINTOMAS_CLASIFICADOS → "sí" takes the first offered specialty, "la 2" the second. */
export const chooseOfferedSpecialty: Action = async (state, ctx) => {
  const choices = state.specialtyChoices ?? [];
  // A bare "sí" to the whole list names nothing.
  if (ctx.event.name !== 'option' && choices.length > MAX_OFFERED) return listAllSpecialties(state, ctx);
  const index = ctx.event.name === 'option' ? (ctx.event.option ?? 0) - 1 : 0;
  const specialty = choices[index];
  if (!specialty) return offerSpecialties(state, ctx);
  return showSlots({ ...state, specialty }, { ...ctx, event: { ...ctx.event, specialty } });
};

/** What a booking in progress carries across steps: the appointment being replaced, and whom it is for. */
function keepReschedule(state: DialogState): Partial<DialogState> {
  return { ...(state.rescheduleId && { rescheduleId: state.rescheduleId }), ...(state.beneficiary && { beneficiary: state.beneficiary }) };
}

/** First page of free slots of the chosen specialty, honouring what the patient asked for, as an interactive list. */
export const showSlots: Action = async (state, ctx) => {
  const early = needsPatient(state, ctx);
  if (early) return early;
  const specialty = ctx.event.specialty ?? state.specialty;
  if (!specialty) return askSpecialty(state, ctx);
  let preference = applyPreference(state.preference, ctx.event.preference);
  // A doctor of another specialty no longer applies once the patient switches specialty.
  const doctor = preference.doctorId && (await ctx.deps.directory.get())?.info.doctors.find((d) => d.id === preference.doctorId);
  if (doctor && doctor.specialty !== specialty) preference = without(preference, 'doctor');
  return listPage({ ...backToMenu(state), ...keepReschedule(state), specialty, preference }, specialty, 1, ctx);
};

/** "mejor el viernes", "cualquier día nomás", "en Santa Cruz": update the preference and list again, or remember it until the specialty is known. */
export const preferSlots: Action = async (state, ctx) => {
  const early = needsPatient(state, ctx);
  if (early) return early;
  const preference = applyPreference(state.preference, ctx.event.preference);
  const specialty = ctx.event.specialty ?? state.specialty;
  if (specialty) {
    const { held: _released, ...rest } = state;
    return listPage({ ...rest, preference }, specialty, 1, ctx);
  }
  const applied = describePreference(preference, ctx.deps.texts);
  say(ctx, applied ? ctx.deps.texts.preferenceNoted(applied) : ctx.deps.texts.askSpecialty);
  return { ...state, ...(isEmptyPreference(preference) ? { preference: undefined } : { preference }) };
};

export const nextPage: Action = async (state, ctx) => {
  if (!state.specialty) return askSpecialty(state, ctx);
  if (!state.hasMore) {
    say(ctx, ctx.deps.texts.noMoreSlots);
    return state;
  }
  return listPage(state, state.specialty, (state.page ?? 1) + 1, ctx);
};

/** A pick from the list: hold the slot for the patient, then ask to confirm with buttons. */
export const holdSlot: Action = async (state, ctx) => {
  const { clinic, texts: t, formatter, options } = ctx.deps;
  const slot = state.shown?.[(ctx.event.option ?? 0) - 1];
  if (!slot && ctx.event.staleRow && state.specialty) {
    // "Pick from the list" would loop: the list on the patient's screen is the one that does not match.
    return relist({ ...state, held: undefined }, state.specialty, ctx, t.staleList, t.availableNow);
  }
  if (!slot) return ctx.event.timeMatches ? askWhichOfMatches(state, ctx, ctx.event.timeMatches) : repromptPick(state, ctx);
  const hold = await clinic.holdSlot(slot.id, ctx.holderId, options.holdSeconds);
  if (!hold.ok) {
    return relist({ ...state, held: undefined }, slot.specialty, ctx, t.slotTaken);
  }
  ctx.out.push({
    kind: 'buttons',
    body: t.confirmSlot(
      formatter.short(slot.startsAt),
      slot.doctorName,
      slot.clinicName,
      Math.round(options.holdSeconds / 60),
      state.beneficiary?.firstName ?? firstName(state)!,
    ),
    buttons: [
      { id: 'affirm', title: t.confirmButton },
      { id: 'deny', title: t.otherSlotButton },
    ],
  });
  // A new hold gets a new key; the same hold keeps its key whatever turn sends the "sí".
  const bookingKey = state.held?.id === slot.id && state.bookingKey ? state.bookingKey : `${ctx.attemptId}:${slot.id}`;
  return { ...state, step: 'CITA_SELECCIONADA', held: slot, bookingKey };
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
      buttons: rows.map((r) => ({ id: replyId.slot(r.slot.id), title: r.title })),
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

/**
 * "Otro horario", "no, ninguno": move forward, never the same page again.
 * The next page if there is one; else the same specialty without the
 * preference (other days and times); else say these were all.
 * The dispatcher releases a hold the new state does not carry.
 */
export const declineSlot: Action = async (state, ctx) => {
  const t = ctx.deps.texts;
  const { held: _released, ...rest } = state;
  if (!state.specialty) return askSpecialty(rest, ctx);
  if (state.hasMore) return listPage(rest, state.specialty, (state.page ?? 1) + 1, ctx, t.otherSlots);
  if (!isEmptyPreference(state.preference)) {
    return listPage({ ...rest, preference: undefined }, state.specialty, 1, ctx, t.otherDays);
  }
  if ((state.page ?? 1) > 1) return listPage(rest, state.specialty, 1, ctx, t.backToStart);
  say(ctx, t.noOtherSlots(t.specialties[state.specialty]));
  return { ...rest, step: 'CITAS_MOSTRADAS' };
};

/**
 * CITA_SELECCIONADA + "sí": book with the hold's key, so a retried turn or a
 * later "sí" books once. No answer: the clinic is asked by the key before
 * the patient hears anything (booking-outcome.ts).
 */
export const book: Action = async (state, ctx) => {
  const t = ctx.deps.texts;
  const slot = state.held;
  if (!slot || !state.patient) return askNeed(state, ctx);
  const key = bookingKeyOf(state, slot, ctx);
  const outcome = await sendBooking(state, slot, key, ctx);
  if (outcome.kind === 'booked') return confirmBooked(state, slot, ctx);
  if (outcome.kind === 'unknown') {
    say(ctx, t.bookingUnknown);
    return { ...state, bookingKey: key, bookingUnknown: true };
  }
  ctx.deps.logger?.info({ reason: outcome.reason }, 'dialog: booking refused');
  const why = outcome.reason === 'not_found' || outcome.reason === 'taken' || outcome.reason === 'held' ? t.slotTaken : t.holdExpired;
  const { bookingKey: _spent, ...rest } = state;
  return relist({ ...rest, held: undefined }, slot.specialty, ctx, why);
};
