import { applyPreference, isEmptyPreference } from '../preferences/slot-preference.js';
import { goalOf, sayLatest, type Action } from './action-context.js';

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
