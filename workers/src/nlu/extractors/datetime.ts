import { simpleText } from './simple-text.js';

/**
 * A date or time as the user wrote it. Not resolved to a calendar date: that
 * needs the clinic's time zone and "now", which the dialog owns.
 */
export type DateTimeMention =
  | { readonly kind: 'relative_day'; readonly offsetDays: number; readonly text: string }
  | { readonly kind: 'relative_week'; readonly offsetWeeks: number; readonly text: string }
  | { readonly kind: 'weekday'; readonly weekday: number; readonly text: string }
  | { readonly kind: 'date'; readonly day: number; readonly month?: number; readonly year?: number; readonly text: string }
  | { readonly kind: 'time'; readonly hour: number; readonly minute: number; readonly text: string }
  | { readonly kind: 'part_of_day'; readonly part: 'manana' | 'tarde' | 'noche'; readonly text: string };

/** 0 = domingo … 6 = sabado, as Date#getDay. */
const WEEKDAYS: Readonly<Record<string, number>> = {
  domingo: 0,
  lunes: 1,
  martes: 2,
  miercoles: 3,
  jueves: 4,
  viernes: 5,
  sabado: 6,
};

/** Spanish month names (both spellings of September) → month number. */
export const MONTHS: Readonly<Record<string, number>> = {
  enero: 1,
  febrero: 2,
  marzo: 3,
  abril: 4,
  mayo: 5,
  junio: 6,
  julio: 7,
  agosto: 8,
  septiembre: 9,
  setiembre: 9,
  octubre: 10,
  noviembre: 11,
  diciembre: 12,
};
const MONTH_WORD = Object.keys(MONTHS).join('|');

interface Found {
  readonly at: number;
  readonly mention: DateTimeMention;
}

function relativeDays(t: string, out: Found[]): void {
  for (const m of t.matchAll(/\b(pasado manana|manana|hoy)\b/g)) {
    const word = m[1] as string;
    // "en la mañana", "por la mañana", "de la mañana" is the morning, not tomorrow.
    if (word === 'manana' && /(?:la|las|esta|en la)\s$/.test(t.slice(0, m.index))) continue;
    if (word === 'manana' && t.slice(0, m.index).endsWith('pasado ')) continue;
    const offsetDays = word === 'hoy' ? 0 : word === 'manana' ? 1 : 2;
    out.push({ at: m.index, mention: { kind: 'relative_day', offsetDays, text: m[0] } });
  }
  for (const m of t.matchAll(/\b(?:la )?(?:semana que viene|proxima semana|otra semana|siguiente semana)\b/g)) {
    out.push({ at: m.index, mention: { kind: 'relative_week', offsetWeeks: 1, text: m[0] } });
  }
}

function weekdays(t: string, out: Found[]): void {
  for (const m of t.matchAll(/\b(domingo|lunes|martes|miercoles|jueves|viernes|sabado)s?\b/g)) {
    out.push({ at: m.index, mention: { kind: 'weekday', weekday: WEEKDAYS[m[1] as string] as number, text: m[0] } });
  }
}

function dates(t: string, out: Found[]): void {
  for (const m of t.matchAll(/\b(\d{1,2})[/-](\d{1,2})(?:[/-](\d{2,4}))?\b/g)) {
    const day = Number(m[1]);
    const month = Number(m[2]);
    if (day < 1 || day > 31 || month < 1 || month > 12) continue;
    const year = m[3] === undefined ? undefined : Number(m[3].length === 2 ? `20${m[3]}` : m[3]);
    out.push({ at: m.index, mention: { kind: 'date', day, month, ...(year ? { year } : {}), text: m[0] } });
  }
  for (const m of t.matchAll(new RegExp(`\\b(\\d{1,2}) de (${MONTH_WORD})\\b`, 'g'))) {
    const day = Number(m[1]);
    if (day >= 1 && day <= 31) {
      out.push({ at: m.index, mention: { kind: 'date', day, month: MONTHS[m[2] as string] as number, text: m[0] } });
    }
  }
  // A bare day needs "el dia 5" or a day too large to be a list pick ("el 15").
  for (const m of t.matchAll(/\bel (dia )?(\d{1,2})\b(?! de (?:la|las)\b)(?!\s*(?::|am|pm|de \w+))/g)) {
    const day = Number(m[2]);
    if (day >= 1 && day <= 31 && (m[1] !== undefined || day > 10)) {
      out.push({ at: m.index, mention: { kind: 'date', day, text: m[0] } });
    }
  }
}

function hour24(hour: number, marker: string | undefined): number {
  if (marker === undefined) return hour;
  const pm = /^(?:pm|p\.m\.|p m|de la tarde|de la noche)$/.test(marker);
  if (pm && hour < 12) return hour + 12;
  if (!pm && hour === 12) return 0;
  return hour;
}

function times(t: string, out: Found[]): void {
  const marker = '(am|pm|a\\.m\\.|p\\.m\\.|de la manana|de la tarde|de la noche)';
  const patterns = [
    new RegExp(`\\b(\\d{1,2}):(\\d{2})\\s*${marker}?`, 'g'),
    // "a las 3", "la de las 10"; a singular "la 3" is a list pick, except "a la 1".
    new RegExp(`\\b(?:a las|a la|las) (\\d{1,2})(?: y (media|cuarto))?()\\s*${marker}?`, 'g'),
    new RegExp(`(?<![:\\d])\\b(\\d{1,2})()\\s*${marker}`, 'g'),
  ];
  const seen = new Set<number>();
  for (const pattern of patterns) {
    for (const m of t.matchAll(pattern)) {
      const start = m.index + m[0].search(/\d/);
      if (seen.has(start)) continue;
      seen.add(start);
      const hour = Number(m[1]);
      const minuteText = m[2] ?? '';
      const minute = minuteText === 'media' ? 30 : minuteText === 'cuarto' ? 15 : minuteText === '' ? 0 : Number(minuteText);
      const mark = m[4] ?? m[3];
      if (hour > 23 || minute > 59) continue;
      out.push({ at: m.index, mention: { kind: 'time', hour: hour24(hour, mark || undefined), minute, text: m[0].trim() } });
    }
  }
  for (const m of t.matchAll(/\b(?:al )?mediodia\b/g)) {
    out.push({ at: m.index, mention: { kind: 'time', hour: 12, minute: 0, text: m[0] } });
  }
}

function partsOfDay(t: string, out: Found[]): void {
  for (const m of t.matchAll(/\b(?:en|por|de|a) la (manana|tarde|noche)\b|\b(?:en|por) las (mananas|tardes|noches)\b/g)) {
    // "a las 3 de la tarde" is already a time; its "de la tarde" is not a separate part of day.
    if (/\d\s*$/.test(t.slice(0, m.index))) continue;
    const part = (m[1] ?? (m[2] as string).replace(/s$/, '')) as 'manana' | 'tarde' | 'noche';
    out.push({ at: m.index, mention: { kind: 'part_of_day', part, text: m[0] } });
  }
}

// Cheap gate: most messages mention no date at all, and the full scan is a dozen regexes.
const MAYBE_DATE = /\d|hoy|ma[nñ]ana|lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo|semana|tarde|noche|mediod[ií]a/i;

/** Every date, weekday, time and part of day mentioned in a message, in reading order. */
export function extractDateTimes(text: string): DateTimeMention[] {
  if (!MAYBE_DATE.test(text)) return [];
  const t = simpleText(text);
  const found: Found[] = [];
  relativeDays(t, found);
  weekdays(t, found);
  dates(t, found);
  times(t, found);
  partsOfDay(t, found);
  return found.sort((a, b) => a.at - b.at).map((f) => f.mention);
}
