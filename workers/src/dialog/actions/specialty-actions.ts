import { SPECIALTY_CODES, type SpecialtyCode } from '../../domain/specialties.js';
import { backToMenu, type DialogState } from '../dialog-state.js';
import { say, type Action } from './action-context.js';

/**
 * Every specialty as a numbered text (12 rows do not fit WhatsApp's 10-row
 * list): the patient answers with the number or the name. The numbers are
 * the state's `specialtyChoices`, so "la 3" picks like any offered choice.
 */
export const listAllSpecialties: Action = async (state, ctx) => {
  const t = ctx.deps.texts;
  const all = [...SPECIALTY_CODES].sort((a, b) => t.specialties[a].localeCompare(t.specialties[b], 'es'));
  say(ctx, t.allSpecialties(all.map((c, i) => `${i + 1}. ${t.specialties[c]}`).join('\n')));
  return withChoices(state, all);
};

/** Symptoms that fit no specialty well enough to offer one: ask for more, never a guess. */
export const askMoreAboutSymptoms: Action = async (state, ctx) => {
  say(ctx, ctx.deps.texts.specialtyOpenQuestion);
  return { ...backToMenu(state), ...(state.rescheduleId ? { rescheduleId: state.rescheduleId } : {}) };
};

function withChoices(state: DialogState, choices: SpecialtyCode[]): DialogState {
  return {
    ...backToMenu(state, 'SINTOMAS_CLASIFICADOS'),
    specialtyChoices: choices,
    ...(state.rescheduleId ? { rescheduleId: state.rescheduleId } : {}),
  };
}
