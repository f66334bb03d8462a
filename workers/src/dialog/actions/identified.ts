import type { Patient } from '../../clinic/index.js';
import type { DialogState } from '../dialog-state.js';
import { firstName, say, type ActionContext } from './action-context.js';
import { askNeed } from './booking-actions.js';
import { askWhoFor } from './family-actions.js';

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
  // Resumed through the transition table, as if the patient asked again now that we know who they are.
  switch (state.goal) {
    case 'book':
      return state.specialty ? ctx.resume({ ...next, specialty: state.specialty }, 'specialty') : ctx.resume(next, 'book');
    case 'cancel':
    case 'list':
    case 'reschedule':
      return ctx.resume(next, state.goal);
    default:
      return askNeed(next, ctx);
  }
}
