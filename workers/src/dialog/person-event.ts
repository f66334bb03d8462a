import type { InboxEntry } from '@medcita/shared';
import { parseBirthDate } from './birth-date.js';
import { interpret, type DialogEvent, type EventName } from './dialog-event.js';
import type { DialogState } from './dialog-state.js';
import { findRelative, fold } from './family-mention.js';
import { parseName } from './full-name.js';
import { parseReplyId } from './reply-ids.js';

type Deps = Parameters<typeof interpret>[2];

// Requests a relative can be attached to: "mi mamá necesita cardiólogo", "es para mi nena", "hola, es para mi hijo".
const FOR_RELATIVE = new Set<EventName>(['specialty', 'symptoms', 'book', 'unclear', 'greet', 'help', 'yes']);
const DATA_STEPS = new Set(['REGISTRO', 'REGISTRO_FAMILIAR', 'PARA_QUIEN']);
const YES = /^(?:s[ií]+|acepto|aceptar|de acuerdo|ok(?:ay|a)?|dale|claro|va|listo|bueno|est[aá] bien|perfecto|sip)\b/i;
const NO = /^(?:no|nop|nel|no acepto)\b/i;
const SELF = /^(?:es\s+)?(?:para\s+)?(?:mi|mi mism[oa]|yo|yo mism[oa]|el titular|la titular)\s*$/;
const NEW_PERSON = /\b(?:otr[oa]|nuev[oa]|registrar|agregar|anadir|alguien mas)\b/;
const NUMBER = /^(?:la\s+|el\s+|opcion\s+|nro\.?\s+)?(\d)\s*$/;
const LONG_NUMBER = /\d{6}/;

/**
 * Reads a message for the family-member and registration steps first (their
 * free-text answers: a name, a date, "para mí"), then as the dialog always
 * does (`interpret`), and marks a request that names a relative
 * ("es para mi hijo de 5 años") as `for_relative`.
 */
export async function interpretWithPeople(entry: InboxEntry, state: DialogState, deps: Deps): Promise<DialogEvent> {
  const text = entry.message.text ?? '';
  const replyId = entry.message.replyId;
  const readable = entry.message.kind === 'text' || entry.message.kind === 'interactive' || entry.message.kind === 'button';
  if (readable && state.step === 'PARA_QUIEN') {
    const tapped = parseReplyId(replyId);
    const personId = tapped?.kind === 'person' ? tapped.id : replyId ? undefined : typedPerson(text, state);
    if (personId) return { name: 'person', text, personId };
  }
  if (readable && !replyId && (state.step === 'REGISTRO' || state.step === 'REGISTRO_FAMILIAR')) {
    const answer = dataAnswer(text, state, deps.now);
    if (answer) return answer;
  }
  const base = await interpret(entry, state, deps);
  if (replyId || DATA_STEPS.has(state.step) || !FOR_RELATIVE.has(base.name)) return base;
  const relative = findRelative(text);
  return relative ? { ...base, name: 'for_relative', relative } : base;
}

/** PARA_QUIEN typed: "para mí", "otra persona", a dependent's name ("sofi"), or "la 2". */
function typedPerson(text: string, state: DialogState): string | undefined {
  const t = fold(text)
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (SELF.test(t)) return 'self';
  const choices = state.dependentChoices ?? [];
  const n = NUMBER.exec(t);
  if (n) return choices[Number(n[1]) - 1]?.id;
  const words = t.split(' ').filter((w) => w.length >= 3);
  const named = choices.filter((c) => {
    const name = fold(c.firstName.split(' ')[0]!);
    return words.some((w) => w === name || (w.length >= 3 && name.startsWith(w)));
  });
  if (named.length === 1) return named[0]!.id;
  if (NEW_PERSON.test(t)) return 'new';
  return undefined;
}

/** REGISTRO / REGISTRO_FAMILIAR: a name or a birth date typed as the answer; consent yes/no once the name is known. */
function dataAnswer(text: string, state: DialogState, now: number): DialogEvent | undefined {
  const trimmed = text.trim();
  if (state.step === 'REGISTRO') {
    if (state.registration?.firstName) {
      if (NO.test(trimmed)) return { name: 'no', text };
      if (YES.test(trimmed)) return { name: 'yes', text };
    }
    if (LONG_NUMBER.test(trimmed)) return undefined; // a document typed again: the identity path reads it
    return parseName(trimmed, { minWords: 2 }) ? { name: 'answer', text } : undefined;
  }
  if (parseBirthDate(trimmed, new Date(now)) || parseName(trimmed, { minWords: 1 })) return { name: 'answer', text };
  return undefined;
}
