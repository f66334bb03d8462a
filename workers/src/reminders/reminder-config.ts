import { bool, int, optionalStr, str, type ConfigOf } from '@medcita/shared';

/** Reminder variables; spread into the worker's schema (CLINIC_TIMEZONE comes from the clinic's). */
export const remindersSchema = {
  REMINDERS_ENABLED: bool({
    default: false,
    doc: 'Run the appointment reminder scheduler and senders in this worker (needs REMINDER_PHONE_NUMBER_ID and an approved template)',
  }),
  REMINDER_PHONE_NUMBER_ID: optionalStr({ doc: 'Business phone number id reminders are sent from; required when reminders are enabled' }),
  REMINDER_INTERVAL_SECONDS: int({
    default: 300,
    min: 5,
    max: 7 * 86_400,
    doc: 'How often the fleet-wide reminder tick looks for appointments',
  }),
  REMINDER_LEAD_HOURS: int({ default: 24, min: 1, max: 24 * 14, doc: 'How long before an appointment its reminder goes out' }),
  REMINDER_MIN_NOTICE_MINUTES: int({
    default: 120,
    min: 0,
    max: 24 * 14 * 60,
    doc: 'An appointment starting sooner than this gets no reminder; one booked inside the lead time gets it at the next tick',
  }),
  REMINDER_TEMPLATE_NAME: str({
    default: 'recordatorio_cita',
    doc: 'Approved template for reminders outside the 24-hour window: body {{1}} name, {{2}} date, {{3}} time, {{4}} doctor, {{5}} clinic; quick replies Confirmar, Cancelar',
  }),
  REMINDER_TEMPLATE_LANGUAGE: str({ default: 'es', doc: 'Language code of the reminder template' }),
} as const;

export type RemindersConfig = ConfigOf<typeof remindersSchema>;

/** Problems that make an enabled reminder setup unusable (reported at boot, not at the first tick). */
export function validateRemindersConfig(cfg: RemindersConfig): string[] {
  if (!cfg.REMINDERS_ENABLED) return [];
  const problems: string[] = [];
  if (!/^\d{5,30}$/.test(cfg.REMINDER_PHONE_NUMBER_ID ?? ''))
    problems.push('REMINDER_PHONE_NUMBER_ID must be the numeric business phone number id when REMINDERS_ENABLED=true');
  if (cfg.REMINDER_MIN_NOTICE_MINUTES >= cfg.REMINDER_LEAD_HOURS * 60) {
    problems.push(
      `REMINDER_MIN_NOTICE_MINUTES (${cfg.REMINDER_MIN_NOTICE_MINUTES}) must be shorter than REMINDER_LEAD_HOURS (${cfg.REMINDER_LEAD_HOURS} h)`,
    );
  }
  if (!/^[a-z0-9_]{1,512}$/.test(cfg.REMINDER_TEMPLATE_NAME))
    problems.push(`REMINDER_TEMPLATE_NAME must be a template name (a-z, 0-9, _), got "${cfg.REMINDER_TEMPLATE_NAME}"`);
  return problems;
}
