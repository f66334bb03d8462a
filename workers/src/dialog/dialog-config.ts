import { int, oneOf, str, type ConfigOf } from '@medcita/shared';
import { es } from './locale/es.js';

/** Dialog variables; merged into the worker's schema (NLU, clinic and session TTL have their own). */
export const dialogSchema = {
  TURN_HANDLER: oneOf(['dialog', 'echo'] as const, {
    default: 'dialog',
    doc: 'Conversation logic: dialog (the appointment assistant) or echo (pipeline tests that count echoed messages)',
  }),
  IDENTITY_MAX_FAILURES: int({ default: 3, min: 1, max: 100, doc: 'Failed identifications per session before it is locked out' }),
  IDENTITY_WINDOW_SECONDS: int({ default: 3600, min: 60, doc: 'Window of the identification failure count (starts at the first failure)' }),
  IDENTITY_DOCUMENT_FREE_FAILURES: int({
    default: 5,
    min: 1,
    max: 100,
    doc: 'Failed identifications of one document, from any phone, before its back-off starts',
  }),
  IDENTITY_DOCUMENT_BACKOFF_SECONDS: int({ default: 60, min: 1, doc: 'First back-off of a document; doubles with each further failure' }),
  IDENTITY_DOCUMENT_MAX_BACKOFF_SECONDS: int({ default: 86_400, min: 60, doc: 'Longest back-off of a document' }),
  HANDOFF_TIMEOUT_SECONDS: int({
    default: 4 * 3600,
    min: 60,
    doc: 'How long a session handed to a human stays silent when no operator releases it',
  }),
  OWED_CANCEL_RETRY_SECONDS: int({
    default: 60,
    min: 1,
    max: 3600,
    doc: "First background retry of a reschedule's cancel the clinic did not answer; each later wait doubles, 12 tries (about 34 h at 60)",
  }),
  REGISTRATION_CONSENT_TEXT: str({
    default: es.registration.defaultConsent,
    minLength: 20,
    doc: 'Data-processing notice a first-time patient accepts before registering (shown as is; its hash is stored as the consent version)',
  }),
} as const;

export type DialogConfig = ConfigOf<typeof dialogSchema>;
