import type { Dependent } from '../../clinic/index.js';
import { parseBirthDate } from '../birth-date.js';
import { backToMenu, type DialogState, type Person } from '../dialog-state.js';
import { parseName } from '../full-name.js';
import { applyPreference, isEmptyPreference } from '../preferences/slot-preference.js';
import { clip, LIMITS } from '../text-limits.js';
import { firstName, say, type Action, type ActionContext } from './action-context.js';
import { askSpecialty, offerSpecialties, showSlots } from './booking-actions.js';
import { askDocument } from './ask-document.js';
import { replyId } from '../reply-ids.js';

/**
 * Appointments for family members (docs/dialog.md, Family members). The
 * account holder picks a dependent linked to their record, or registers a
 * new one (name, birth date); the booking then goes on for that person. Only
 * dependents the clinic lists for this holder can be chosen.
 */

/** "mi mamá necesita cardiólogo", "es para mi nena": remember who, identify first if needed, then ask which person. */
export const startForRelative: Action = async (state, ctx) => {
  const relative = ctx.event.relative!;
  if (!state.patient) {
    const asked = await askDocument(state, { ...ctx, event: { ...ctx.event, name: 'book' } });
    return { ...asked, forRelative: relative };
  }
  const specialty = ctx.event.specialty ?? (state.step === 'VALIDADO' ? undefined : state.specialty);
  const choices = ctx.event.specialtyChoices;
  // "mi mamá necesita cardiólogo el jueves": the day asked for still applies once the person is settled.
  const preference = applyPreference(state.preference, ctx.event.preference);
  return askWhoFor(
    {
      ...backToMenu(state),
      forRelative: relative,
      ...(specialty && { specialty }),
      ...(choices && { specialtyChoices: choices }),
      ...(!isEmptyPreference(preference) && { preference }),
    },
    ctx,
  );
};

const ageOf = (birthDate: string, now: number): number => {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const today = new Date(now);
  const before = today.getUTCMonth() + 1 < m || (today.getUTCMonth() + 1 === m && today.getUTCDate() < d);
  return today.getUTCFullYear() - y - (before ? 1 : 0);
};

/** PARA_QUIEN: the holder's dependents, "Otra persona" and "Para mí"; with none yet, straight to registering one. */
export async function askWhoFor(state: DialogState, ctx: ActionContext): Promise<DialogState> {
  const { clinic, texts } = ctx.deps;
  const t = texts.family;
  const dependents: Dependent[] = await clinic.listDependents(state.patient!.id);
  if (dependents.length === 0) return askDependentName({ ...state, step: 'REGISTRO_FAMILIAR', newDependent: {} }, ctx);
  const shown = dependents.slice(0, 8);
  const body = t.askWho(state.forRelative?.relation);
  if (shown.length === 1) {
    ctx.out.push({
      kind: 'buttons',
      body,
      buttons: [
        { id: replyId.person(shown[0]!.id), title: clip(shown[0]!.firstName, LIMITS.buttonTitle) },
        { id: replyId.person('new'), title: t.newPerson },
        { id: replyId.person('self'), title: t.self },
      ],
    });
  } else {
    ctx.out.push({
      kind: 'list',
      body,
      buttonText: t.whoButton,
      sections: [
        {
          title: t.whoSection,
          rows: [
            ...shown.map((d) => ({
              id: replyId.person(d.id),
              title: clip(`${d.firstName} ${d.lastName}`.trim(), LIMITS.rowTitle),
              description: t.age(ageOf(d.birthDate, ctx.input.now)),
            })),
            { id: replyId.person('new'), title: t.newPerson, description: t.newPersonDescription },
            { id: replyId.person('self'), title: t.self, description: clip(t.selfDescription(firstName(state)!), LIMITS.rowDescription) },
          ],
        },
      ],
    });
  }
  return { ...state, step: 'PARA_QUIEN', dependentChoices: shown.map((d) => ({ id: d.id, firstName: d.firstName })) };
}

export const choosePerson: Action = async (state, ctx) => {
  const id = ctx.event.personId;
  if (id === 'new') return askDependentName({ ...state, step: 'REGISTRO_FAMILIAR', newDependent: {} }, ctx);
  if (id === 'self') return continueBooking({ ...state, beneficiary: undefined }, ctx);
  const person = state.dependentChoices?.find((d) => d.id === id);
  if (!person) return repromptWho(state, ctx);
  say(ctx, ctx.deps.texts.family.chosen(person.firstName));
  return continueBooking({ ...state, beneficiary: person }, ctx);
};

export const repromptWho: Action = async (state, ctx) => {
  say(ctx, ctx.deps.texts.family.repromptWho);
  return state;
};

function askDependentName(state: DialogState, ctx: ActionContext): Promise<DialogState> {
  say(ctx, ctx.deps.texts.family.askName(state.forRelative?.relation));
  return Promise.resolve(state);
}

/** REGISTRO_FAMILIAR: name and birth date, in one message or two; then the dependent is linked and the booking goes on. */
export const collectDependent: Action = async (state, ctx) => {
  const t = ctx.deps.texts.family;
  const name = parseName(ctx.event.text, { minWords: 1 });
  const birthDate = parseBirthDate(ctx.event.text, new Date(ctx.input.now));
  const draft = {
    ...state.newDependent,
    ...(name && { firstName: name.firstName, lastName: name.lastName }),
    ...(birthDate && { birthDate }),
  };
  const next: DialogState = { ...state, newDependent: draft };
  if (!draft.firstName) return askDependentName(next, ctx);
  if (!draft.birthDate) {
    say(ctx, t.askBirthDate(draft.firstName));
    return next;
  }
  const result = await ctx.deps.clinic.addDependent({
    holderId: state.patient!.id,
    firstName: draft.firstName,
    lastName: draft.lastName ?? '',
    birthDate: draft.birthDate,
  });
  if (!result.ok) {
    say(ctx, t.invalid);
    return { ...state, newDependent: {} };
  }
  const person: Person = { id: result.dependent.id, firstName: result.dependent.firstName };
  say(ctx, t.added(person.firstName));
  return continueBooking({ ...state, beneficiary: person }, ctx);
};

export const repromptDependent: Action = async (state, ctx) => {
  const t = ctx.deps.texts.family;
  const name = state.newDependent?.firstName;
  if (!name) return askDependentName(state, ctx);
  say(ctx, t.birthDateFormat(name));
  return state;
};

/** Back to the booking with the person settled: slots if the specialty is known, else ask what they need. */
async function continueBooking(state: DialogState, ctx: ActionContext): Promise<DialogState> {
  const { dependentChoices: _c, newDependent: _n, forRelative: _r, ...rest } = state;
  const next: DialogState = { ...rest, step: 'VALIDADO' };
  if (next.specialty) return showSlots(next, { ...ctx, event: { ...ctx.event, specialty: next.specialty } });
  if (next.specialtyChoices?.length)
    return offerSpecialties(next, { ...ctx, event: { ...ctx.event, specialtyChoices: next.specialtyChoices } });
  if (!next.beneficiary) return askSpecialty(next, ctx);
  say(ctx, ctx.deps.texts.family.askNeedFor(next.beneficiary.firstName));
  return next;
}
