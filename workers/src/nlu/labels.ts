import { SPECIALTY_CODES } from '../domain/specialties.js';
/**
 * Label sets shared by the NLU, its artifact and the dialog. The artifact stores
 * these lists; a worker refuses an artifact whose lists differ (order included),
 * because class indices are positions in these arrays.
 */
export const INTENTS = [
  'greet',
  'goodbye',
  'thanks',
  'book_appointment',
  'describe_symptoms',
  'cancel_appointment',
  'list_appointments',
  'reschedule_appointment',
  'affirm',
  'deny',
  'more_options',
  'human_handoff',
  'ask_info',
  'out_of_scope',
] as const;

export type Intent = (typeof INTENTS)[number];

/** The specialty labels are the product's specialty codes (workers/src/domain). */
export const SPECIALTIES = SPECIALTY_CODES;

export type SpecialtyLabel = (typeof SPECIALTIES)[number];

/** True when `value` is one of the intent labels. */
export function isIntent(value: string): value is Intent {
  return (INTENTS as readonly string[]).includes(value);
}

/** True when `value` is one of the specialty labels. */
export function isSpecialtyLabel(value: string): value is SpecialtyLabel {
  return (SPECIALTIES as readonly string[]).includes(value);
}
