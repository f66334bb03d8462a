import type { InboxEntry } from '@medcita/shared';
import { isSpecialtyCode, type SpecialtyCode } from '../clinic/index.js';
import type { Nlu, NluResult } from '../nlu/index.js';
import type { DialogState } from './dialog-state.js';
import { parseBirthDate } from './birth-date.js';
import type { SlotFormatter } from './slot-format.js';
import { pickByTime } from './time-pick.js';
import { parseReminderPayload } from './reminder-port.js';

/** What one inbound message means to the state machine. */
export const EVENT_NAMES = [
  'media', 'document', 'birthdate', 'option', 'specialty', 'symptoms', 'book', 'cancel', 'list', 'reschedule',
  'yes', 'no', 'more', 'human', 'help', 'goodbye', 'thanks', 'greet', 'unclear',
  'reminder_confirm', 'reminder_cancel',
] as const;
export type EventName = (typeof EVENT_NAMES)[number];

export interface DialogEvent {
  name: EventName;
  text: string;
  nlu?: NluResult;
  document?: string;
  birthDate?: string;
  /** 1-based pick in the list last shown. */
  option?: number;
  /** A pick typed as a time ("la del martes a las 9"): every shown row it fits, 1-based; `option` is set only when exactly one does. */
  timeMatches?: number[];
  specialty?: SpecialtyCode;
  /** Candidate specialties, best first, when the symptoms did not settle one. */
  specialtyChoices?: SpecialtyCode[];
  /** reminder_confirm / reminder_cancel: the appointment the reminder (its payload) names. */
  appointmentId?: string;
}

const OTHER_SLOT = /^\s*(?:no[,.]?\s+)?(?:otr[oa]s?|otro horario|otra hora|otra fecha|otra opci[oó]n|cambiar(?:lo|la)?)\b/i;
const READABLE = new Set(['text', 'interactive', 'button']);
// Typed answers to a reminder ("confirmo", "cancelar"), read as such only right after one and outside other flows.
const TYPED_CONFIRM = /^\s*(?:s[ií][,.!]?\s+)?(?:confirmo|confirmar|confirmada|confirmado|confirmamos)\b/i;
const TYPED_CANCEL = /^\s*(?:cancelar|cancelo|cancela|cancelarla|cancelala|cancélala)\b/i;
const REMINDER_REPLY_STEPS = new Set(['INICIAL', 'VALIDADO', 'CITA_AGENDADA', 'FINALIZADO']);
const PICK_STEPS = new Set(['SINTOMAS_CLASIFICADOS', 'CITAS_MOSTRADAS', 'CITA_SELECCIONADA', 'CANCELACION_INICIADA']);

/**
 * Confident intents that name a whole request, winning over a specialty
 * mentioned in passing ("cancela mi cita de pediatría"). Questions and thanks
 * do not: "pediatría" alone means the patient wants that specialty.
 */
const REQUESTS: Partial<Record<NluResult['intent'], EventName>> = {
  cancel_appointment: 'cancel',
  list_appointments: 'list',
  reschedule_appointment: 'reschedule',
  human_handoff: 'human',
  goodbye: 'goodbye',
};

const INTENT_EVENTS: Record<NluResult['intent'], EventName> = {
  greet: 'greet',
  goodbye: 'goodbye',
  thanks: 'thanks',
  book_appointment: 'book',
  describe_symptoms: 'symptoms',
  cancel_appointment: 'cancel',
  list_appointments: 'list',
  reschedule_appointment: 'reschedule',
  affirm: 'yes',
  deny: 'no',
  more_options: 'more',
  human_handoff: 'human',
  ask_info: 'help',
  out_of_scope: 'unclear',
};

/**
 * Reads one message in the light of the current step. Deterministic readings
 * (tapped ids, document, birth date, picks) come first; the classifier's
 * intent counts only when it is confident. Low confidence never becomes an
 * action: it becomes `unclear`, and the dialog asks.
 */
export async function interpret(
  entry: InboxEntry,
  state: DialogState,
  deps: { nlu: Nlu; formatter: SlotFormatter; now: number; pendingReminder?: string | null },
): Promise<DialogEvent> {
  const { message } = entry;
  const text = message.text ?? '';
  if (!READABLE.has(message.kind) || (!text && !message.replyId)) return { name: 'media', text };
  const replyId = message.replyId;
  const reminder = reminderReply(entry, state, deps.pendingReminder);
  if (reminder) return { name: reminder.action === 'confirm' ? 'reminder_confirm' : 'reminder_cancel', text, appointmentId: reminder.appointmentId };
  const spec = replyId?.startsWith('spec:') ? replyId.slice(5) : undefined;
  if (spec && isSpecialtyCode(spec)) return { name: 'specialty', text, specialty: spec };

  // Row ids name the slot or appointment itself, so a tap on an older list never lands on another row.
  const picked = replyId ? pickFromRowId(replyId, state) : undefined;
  if (picked !== undefined) return { name: 'option', text, option: picked };

  if (state.step === 'VERIFICANDO') {
    const birthDate = parseBirthDate(text, new Date(deps.now));
    if (birthDate) return { name: 'birthdate', text, birthDate };
  }
  // Our own prompt says: answer "otro" to choose another slot.
  if (state.step === 'CITA_SELECCIONADA' && OTHER_SLOT.test(text)) return { name: 'no', text };
  const nlu = await deps.nlu.understand(text, replyId ? { replyId } : undefined);
  const { entities } = nlu;
  if (entities.document && (!state.patient || nlu.entityOnly) && !PICK_STEPS.has(state.step)) {
    return { name: 'document', text, nlu, document: entities.document };
  }
  if (PICK_STEPS.has(state.step)) {
    if (entities.option !== undefined && nlu.source !== 'shortcut') return { name: 'option', text, nlu, option: entities.option };
    const byTime = pickByTime(text, nlu, state, deps.formatter, deps.now);
    if (byTime) return { name: 'option', text, nlu, option: byTime.length === 1 ? byTime[0] : 0, timeMatches: byTime };
  }
  const request = nlu.uncertain ? undefined : REQUESTS[nlu.intent];
  if (request) return { name: request, text, nlu };
  if (nlu.specialty && isSpecialtyCode(nlu.specialty.label)) {
    if (!nlu.specialty.uncertain) return { name: 'specialty', text, nlu, specialty: nlu.specialty.label };
    if (nlu.intent === 'describe_symptoms' || nlu.intent === 'book_appointment') {
      const choices = [nlu.specialty.label, ...nlu.specialty.alternatives.map((a) => a.label)].filter(isSpecialtyCode);
      return { name: 'symptoms', text, nlu, specialtyChoices: choices.slice(0, 2) };
    }
  }
  if (!nlu.uncertain) return { name: INTENT_EVENTS[nlu.intent], text, nlu };
  // Social words are harmless to answer even when the classifier hesitates.
  if (nlu.intent === 'greet' || nlu.intent === 'thanks') return { name: nlu.intent, text, nlu };
  return { name: 'unclear', text, nlu };
}

/**
 * A reply to a reminder: a tapped reminder button (template quick reply or
 * interactive button; the payload names the appointment), or "confirmo" /
 * "cancelar" typed while the session's last reminder is pending and no
 * other flow is open.
 */
export function reminderReply(
  entry: InboxEntry,
  state: DialogState,
  pendingReminder: string | null | undefined,
): { action: 'confirm' | 'cancel'; appointmentId: string } | undefined {
  const tapped = parseReminderPayload(entry.message.replyId);
  if (tapped) return tapped;
  const text = entry.message.text ?? '';
  if (!pendingReminder || entry.message.replyId || !REMINDER_REPLY_STEPS.has(state.step)) return undefined;
  if (TYPED_CONFIRM.test(text)) return { action: 'confirm', appointmentId: pendingReminder };
  if (TYPED_CANCEL.test(text)) return { action: 'cancel', appointmentId: pendingReminder };
  return undefined;
}

/** `slot:<id>` / `appt:<id>` → 1-based position in what the state shows now; 0 when no longer shown (stale list). */
function pickFromRowId(replyId: string, state: DialogState): number | undefined {
  const m = /^(slot|appt):(.+)$/.exec(replyId);
  if (!m) return undefined;
  const items = m[1] === 'slot' ? state.shown : state.appointments;
  return (items?.findIndex((x) => x.id === m[2]) ?? -1) + 1;
}
