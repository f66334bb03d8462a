import { str, type ConfigOf } from '@medcita/shared';

/** The owner alert's variables; spread into the worker's schema. */
export const identityAlertSchema = {
  IDENTITY_ALERT_TEMPLATE_NAME: str({
    default: 'aviso_intento_documento',
    doc: "Approved template sent to a patient's registered phone when their document is tried from another number (no parameters; e.g. someone tried to use your document from another number, if it was not you contact the clinic)",
  }),
  IDENTITY_ALERT_TEMPLATE_LANGUAGE: str({ default: 'es', doc: 'Language code of the owner alert template' }),
} as const;

export type IdentityAlertConfig = ConfigOf<typeof identityAlertSchema>;

/** Problems that make the alert unsendable (reported at boot, not at the first alert). */
export function validateIdentityAlertConfig(cfg: IdentityAlertConfig): string[] {
  return /^[a-z0-9_]{1,512}$/.test(cfg.IDENTITY_ALERT_TEMPLATE_NAME)
    ? []
    : [`IDENTITY_ALERT_TEMPLATE_NAME must be a template name (a-z, 0-9, _), got "${cfg.IDENTITY_ALERT_TEMPLATE_NAME}"`];
}
