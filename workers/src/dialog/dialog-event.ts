import type { InboxEntry } from '@medcita/shared';
import { isSpecialtyCode, type SpecialtyCode } from '../clinic/index.js';
import type { Nlu, NluResult } from '../nlu/index.js';
import type { DialogState } from './dialog-state.js';
import { parseBirthDate } from './birth-date.js';
import type { ClinicDateFormatter } from './locale/dates.js';
import { pickByTime } from './time-pick.js';
import { readInfoQuestion, type InfoTopic } from './info/info-question.js';
import type { Directory } from './preferences/clinic-directory.js';
import { readPreference } from './preferences/read-preference.js';
import type { PreferenceUpdate } from './preferences/slot-preference.js';
import { fold } from './preferences/text.js';
import { reminderReply } from './reminder-reply.js';
import { parseReplyId, type ReplyId } from './reply-ids.js';

/** What one inbound message means to the state machine. */
export const EVENT_NAMES = [
  'media',
  'document',
  'birthdate',
  'option',
  'specialty',
  'symptoms',
  'book',
  'cancel',
  'list',
  'reschedule',
  'yes',
  'no',
  'more',
  'human',
  'help',
  'goodbye',
  'thanks',
  'greet',
  'unclear',
  'reminder_confirm',
  'reminder_cancel',
  'prefer',
  'info',
  'for_relative',
  'person',
  'answer',
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
  /**
   * A tapped row that is not on the list the state records (option 0): a row
   * of an older list, or of a list a retried turn had already sent when it
   * made another.
   */
  staleRow?: boolean;
  /** A pick typed as a time ("la del martes a las 9"): every shown row it fits, 1-based; `option` is set only when exactly one does. */
  timeMatches?: number[];
  specialty?: SpecialtyCode;
  /** Candidate specialties, best first, when the symptoms did not settle one. */
  specialtyChoices?: SpecialtyCode[];
  /** reminder_confirm / reminder_cancel: the appointment the reminder (its payload) names. */
  appointmentId?: string;
  /** Day, time, doctor or site the message asks for ("el jueves en la tarde"), whatever the event. */
  preference?: PreferenceUpdate;
  /** info: what the patient asks about the clinic. */
  topics?: InfoTopic[];
  /** for_relative: the family member mentioned ("mi hijo de 5 años"). */
  relative?: { relation: string; ageYears?: number };
  /** person (PARA_QUIEN): a dependent's id, 'self' or 'new'. */
  personId?: string;
}

const OTHER_SLOT = /^\s*(?:no[,.]?\s+)?(?:otr[oa]s?|otro horario|otra hora|otra fecha|otra opci[oó]n|cambiar(?:lo|la)?)\b/i;
const READABLE = new Set(['text', 'interactive', 'button']);
/** A specialty the classifier gives less than this is not worth offering (a 0.1 guess is worse than asking). */
const PLAUSIBLE_SPECIALTY = 0.2;
const PICK_STEPS = new Set(['SINTOMAS_CLASIFICADOS', 'CITAS_MOSTRADAS', 'CITA_SELECCIONADA', 'CANCELACION_INICIADA']);
// Steps where a bare preference ("mejor el viernes") re-lists or is remembered for the list to come.
const PREFER_STEPS = new Set([
  'INICIAL',
  'VALIDADO',
  'SINTOMAS_CLASIFICADOS',
  'CITAS_MOSTRADAS',
  'CITA_SELECCIONADA',
  'CITA_AGENDADA',
  'FINALIZADO',
]);
// "dale la 1", "ok el 3", "ya, la segunda": an agreement word before a pick the option extractor did not take.
const AGREED_PICK = /^\s*(?:dale|ok|okey|ya|bueno|listo|s[ií]|va|perfecto)[\s,.!]+(?:(?:la|el|con la|con el)\s+)?(\d{1,2})\b/i;
// Words that leave a message naming only a specialty ("oftalmólogo", "una ficha pal cardio").
const FILLER = new Set([
  'el',
  'la',
  'los',
  'las',
  'un',
  'una',
  'con',
  'para',
  'pal',
  'pa',
  'de',
  'del',
  'al',
  'quiero',
  'necesito',
  'cita',
  'ficha',
  'turno',
  'consulta',
  'porfa',
  'por',
  'favor',
  'hola',
  'buenas',
  'y',
  'me',
  'mi',
]);
// "sí, dale" / "no" said to an offer of a person.
const YES_TO_PERSON = /^\s*(?:s[ií]+|sip|dale|ok|okey|bueno|por favor|porfa|claro|ya|s[ií] por favor|s[ií] porfa)\b/i;

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
  deps: { nlu: Nlu; formatter: ClinicDateFormatter; now: number; pendingReminder?: string | null; directory?: Directory | undefined },
): Promise<DialogEvent> {
  const event = await interpretMessage(entry, state, deps);
  // A "sí" right after the dialog offered a person is a yes to that person.
  if (state.offeredHuman && (event.name === 'yes' || (event.name === 'unclear' && YES_TO_PERSON.test(event.text)))) {
    return { ...event, name: 'human' };
  }
  return event;
}

async function interpretMessage(
  entry: InboxEntry,
  state: DialogState,
  deps: { nlu: Nlu; formatter: ClinicDateFormatter; now: number; pendingReminder?: string | null; directory?: Directory | undefined },
): Promise<DialogEvent> {
  const { message } = entry;
  const text = message.text ?? '';
  if (!READABLE.has(message.kind) || (!text && !message.replyId)) return { name: 'media', text };
  const replyId = message.replyId;
  const reminder = reminderReply(entry, state, deps.pendingReminder);
  if (reminder)
    return { name: reminder.action === 'confirm' ? 'reminder_confirm' : 'reminder_cancel', text, appointmentId: reminder.appointmentId };
  const tapped = parseReplyId(replyId);
  if (tapped?.kind === 'specialty') return { name: 'specialty', text, specialty: tapped.code };

  // Row ids name the slot or appointment itself, so a tap on an older list never lands on another row.
  const picked = tapped ? pickFromRowId(tapped, state) : undefined;
  if (picked !== undefined) return { name: 'option', text, option: picked, ...(picked === 0 && { staleRow: true }) };

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
  const preference = replyId
    ? undefined
    : readPreference(text, { now: deps.now, timeZone: deps.formatter.timeZone, directory: deps.directory, specialty: state.specialty });
  const extra = preference ? { preference } : {};
  if (PICK_STEPS.has(state.step)) {
    // "el 15" is a day, not row 15, when the list has fewer rows.
    const shownRows = state.step === 'CANCELACION_INICIADA' ? state.appointments?.length : state.shown?.length;
    const dayNotRow = entities.option !== undefined && preference?.set.days && entities.option > (shownRows ?? 0);
    if (entities.option !== undefined && nlu.source !== 'shortcut' && !dayNotRow)
      return { name: 'option', text, nlu, option: entities.option };
    const agreed = AGREED_PICK.exec(text);
    if (agreed && Number(agreed[1]) <= (shownRows ?? 0)) return { name: 'option', text, nlu, option: Number(agreed[1]) };
    const byTime = pickByTime(text, nlu, state, deps.formatter, deps.now);
    // A time no row shows is a wish for other slots when it reads as one ("mejor a las 4").
    if (byTime && (byTime.length > 0 || !preference)) {
      return { name: 'option', text, nlu, option: byTime.length === 1 ? byTime[0] : 0, timeMatches: byTime };
    }
  }
  const topics = replyId ? [] : readInfoQuestion(text);
  const specialty = nlu.specialty && isSpecialtyCode(nlu.specialty.label) && !nlu.specialty.uncertain ? nlu.specialty.label : undefined;
  if (topics.length > 0) return { name: 'info', text, nlu, topics, ...(specialty && { specialty }), ...extra };
  const request = nlu.uncertain || namesOnlySpecialty(text, nlu) ? undefined : REQUESTS[nlu.intent];
  if (request) return { name: request, text, nlu };
  if (nlu.specialty && isSpecialtyCode(nlu.specialty.label)) {
    if (!nlu.specialty.uncertain) return { name: 'specialty', text, nlu, specialty: nlu.specialty.label, ...extra };
    if (nlu.intent === 'describe_symptoms' || nlu.intent === 'book_appointment') {
      // Only plausible candidates become buttons; none at all → an open question (docs/dialog.md, "Events").
      const choices = [nlu.specialty, ...nlu.specialty.alternatives]
        .filter((c) => c.confidence >= PLAUSIBLE_SPECIALTY)
        .map((c) => c.label)
        .filter(isSpecialtyCode);
      return { name: 'symptoms', text, nlu, specialtyChoices: choices.slice(0, 2), ...extra };
    }
  }
  // A named doctor settles the specialty ("turno con la Dra. Romero").
  if (preference?.specialty && !(state.step === 'CITAS_MOSTRADAS' && state.specialty === preference.specialty)) {
    return { name: 'specialty', text, nlu, specialty: preference.specialty, ...extra };
  }
  const affirms = !nlu.uncertain && nlu.intent === 'affirm';
  if (preference && PREFER_STEPS.has(state.step) && !(affirms && state.step === 'CITA_SELECCIONADA')) {
    return { name: 'prefer', text, nlu, ...extra };
  }
  if (!nlu.uncertain) return { name: INTENT_EVENTS[nlu.intent], text, nlu, ...extra };
  // Social words are harmless to answer even when the classifier hesitates.
  if (nlu.intent === 'greet' || nlu.intent === 'thanks') return { name: nlu.intent, text, nlu };
  return { name: 'unclear', text, nlu };
}

/** "oftalmólogo", "una ficha pal cardiólogo": a named specialty and nothing else, whatever the classifier's intent. */
function namesOnlySpecialty(text: string, nlu: NluResult): boolean {
  if (nlu.specialty?.confidence !== 1) return false;
  const words = fold(text)
    .split(' ')
    .filter((w) => w && !FILLER.has(w));
  return words.length <= 1;
}

/** A tapped slot or appointment → 1-based position in what the state shows now; 0 when no longer shown (stale list). */
function pickFromRowId(tapped: ReplyId, state: DialogState): number | undefined {
  if (tapped.kind !== 'slot' && tapped.kind !== 'appointment') return undefined;
  const items = tapped.kind === 'slot' ? state.shown : state.appointments;
  return (items?.findIndex((x) => x.id === tapped.id) ?? -1) + 1;
}
