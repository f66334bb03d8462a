import { handoffSchema, str } from '@medcita/shared';

/** The operator inbox's variables (the handoff ones are shared with the workers). */
export const inboxSchema = {
  ...handoffSchema,
  HANDOFF_TEMPLATE_NAME: str({
    default: 'retomar_conversacion',
    doc: 'Approved template an operator may send when the 24-hour window is closed (no parameters; it invites the patient to write back)',
  }),
  HANDOFF_TEMPLATE_LANGUAGE: str({ default: 'es', doc: 'Language code of the re-engagement template' }),
  CLINIC_TIMEZONE: str({
    default: 'America/La_Paz',
    doc: 'IANA time zone of the clinics (builtin slot schedules, dates shown to patients and operators)',
  }),
} as const;
