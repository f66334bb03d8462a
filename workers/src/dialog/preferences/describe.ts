import { dayMonth, minuteOfDay } from '../locale/dates.js';
import type { DialogTexts } from '../locale/es.js';
import type { SlotPreference } from './slot-preference.js';

/** "jueves 7/3 por la tarde · Dra. Romero · Centro Médico Guapay": what a list honours, for its header. */
export function describePreference(p: SlotPreference | undefined, texts: DialogTexts): string {
  if (!p) return '';
  const t = texts.preference;
  const day = p.day && p.days ? dayWords(p, texts) : '';
  const time = p.time ? (p.time.kind === 'part' ? t.parts[p.time.part] : t[p.time.kind](minuteOfDay(p.time.minute))) : '';
  return [[day, time].filter(Boolean).join(' '), p.doctorName, p.clinicName].filter(Boolean).join(' · ');
}

function dayWords(p: SlotPreference, texts: DialogTexts): string {
  const t = texts.preference;
  const d = p.day!;
  switch (d.kind) {
    case 'relative':
      return t.relative(d.offset);
    case 'weekday':
      return `${t.weekdays[d.weekday]} ${dayMonth(d.date)}`;
    case 'date':
      return t.date(dayMonth(d.date));
    case 'week':
      return d.which === 'next' ? t.nextWeek : t.thisWeek;
    case 'weekend':
      return t.weekend;
    case 'weekdays':
      return d.weekdays.map((w) => t.weekdays[w]).join(' o ');
  }
}
