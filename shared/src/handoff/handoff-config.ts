import { int } from '../config/env-schema.js';

/** Handoff variables read by both the ingress (operator inbox) and the workers (flagging, transcripts, timeout). */
export const handoffSchema = {
  HANDOFF_TIMEOUT_SECONDS: int({
    default: 4 * 3600,
    min: 1,
    doc: 'How long a handed-off session waits for an operator (counted again from each take and reply); then the patient is told and the bot resumes',
  }),
  HANDOFF_CONTEXT_MESSAGES: int({
    default: 20,
    min: 0,
    max: 200,
    doc: 'Messages (both directions) kept as text for the session TTL so an operator sees what came before a handoff; 0 keeps none',
  }),
  HANDOFF_TRANSCRIPT_TTL_SECONDS: int({
    default: 7 * 86_400,
    min: 3600,
    doc: 'How long the text of a handed-off conversation (context and everything during the handoff) is kept',
  }),
} as const;
