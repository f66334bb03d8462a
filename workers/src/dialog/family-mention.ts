/**
 * "es para mi hijo de 5 años", "mi mamá necesita cardiólogo", "para la nena":
 * who else an appointment is for, and the age when given. A reading of the
 * patient's words only; whom it matches among their dependents is decided
 * with them (docs/dialog.md, Family members).
 */
import { NUMBER_WORDS } from '../nlu/extractors/option.js';

export interface RelativeMention {
  /** As the patient would say it, with accents: "hijo", "mamá", "nena". */
  relation: string;
  ageYears?: number;
  ageMonths?: number;
}

const DISPLAY: Readonly<Record<string, string>> = {
  mama: 'mamá',
  mami: 'mami',
  papa: 'papá',
  papi: 'papi',
  bebe: 'bebé',
  bebito: 'bebito',
  bebita: 'bebita',
  nino: 'niño',
  nina: 'niña',
  ninito: 'niñito',
  ninita: 'niñita',
  tio: 'tío',
  tia: 'tía',
  cunado: 'cuñado',
  cunada: 'cuñada',
};

const RELATIONS =
  'hij[oa]s?|hijit[oa]|nen[ea]|nenit[oa]|nin[oa]|ninit[oa]|bebe|bebit[oa]|guagua|wawa|peque|chiquit[oa]|' +
  'mama|mami|madre|mamita|papa|papi|padre|papito|abuel[oa]|abuelit[oa]|espos[oa]|marido|herman[oa]|hermanit[oa]|' +
  'ti[oa]|sobrin[oa]|niet[oa]|suegr[oa]|cunad[oa]|pareja|familiar';
// "mi hijo", "mis hijos", "para la nena", "a mi mamá"; not "con mi mamá" (going with someone is not booking for them).
const MENTION = new RegExp(`(?:^|[^a-z])(?<!con )(?:mi|mis|para (?:el|la|los|las)|de (?:el|la))\\s+(${RELATIONS})(?![a-z])`);
const AGE = new RegExp(`(?:^|[^\\d])(\\d{1,3}|${Object.keys(NUMBER_WORDS).join('|')})\\s*(anos?|anitos?|a\\b|mes(?:es)?|mesecitos?)`);

export function fold(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ñ/g, 'n');
}

export function findRelative(text: string): RelativeMention | undefined {
  const t = fold(text);
  const m = MENTION.exec(t);
  if (!m) return undefined;
  const word = m[1]!.replace(/s$/, '');
  const mention: RelativeMention = { relation: DISPLAY[word] ?? word };
  const age = AGE.exec(t.slice(m.index));
  if (age) {
    const n = NUMBER_WORDS[age[1]!] ?? Number(age[1]);
    if (age[2]!.startsWith('mes')) mention.ageMonths = n;
    else if (n <= 120) mention.ageYears = n;
  }
  return mention;
}
