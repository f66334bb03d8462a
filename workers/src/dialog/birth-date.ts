import { MONTHS } from '../nlu/extractors/datetime.js';

/**
 * A birth date as patients type it: "31/12/1990", "31-12-90", "1990-12-31",
 * "12 de abril de 1988". Returns YYYY-MM-DD (the clinic's format), or
 * undefined when it is not a plausible past date.
 */
export function parseBirthDate(text: string, now: Date): string | undefined {
  const t = text
    .trim()
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
  let y: number, m: number, d: number;
  const iso = /(?:^|\D)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:\D|$)/.exec(t);
  const dmy = /(?:^|\D)(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{2}|\d{4})(?:\D|$)/.exec(t);
  const words = /(?:^|\D)(\d{1,2})\s*(?:de\s+)?([a-z]+)\s*(?:de(?:l)?\s+)?(\d{4})(?:\D|$)/.exec(t);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (dmy) {
    [d, m, y] = [Number(dmy[1]), Number(dmy[2]), Number(dmy[3])];
    if (dmy[3]!.length === 2) y += y > now.getUTCFullYear() % 100 ? 1900 : 2000;
  } else if (words && MONTHS[words[2]!]) [d, m, y] = [Number(words[1]), MONTHS[words[2]!]!, Number(words[3])];
  else return undefined;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d || y < 1900 || date > now) return undefined;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
