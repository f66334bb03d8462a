import { addDays, localDateOf } from '../clinic/index.js';
import type { NluResult } from '../nlu/index.js';
import type { DialogState } from './dialog-state.js';
import type { CalendarDay, ClinicDateFormatter } from './locale/dates.js';

type DateTimeMention = NluResult['entities']['dateTimes'][number];
type DayMention = Extract<DateTimeMention, { kind: 'weekday' | 'date' | 'relative_day' }>;

/**
 * "la de las 10", "la del martes a las 9", "mañana a las 10:30": the rows of
 * the list on screen that start at that time (and on that day, when one is
 * named), 1-based. A time is required: a day alone ("hoy no puedo") is too
 * often not a pick. Several candidates are the caller's cue to ask which,
 * none to say nothing shown matches: guessing would hold the wrong slot.
 */
export function pickByTime(
  text: string,
  nlu: NluResult,
  state: DialogState,
  formatter: ClinicDateFormatter,
  now: number,
): number[] | undefined {
  if (state.step !== 'CITAS_MOSTRADAS' || !state.shown) return undefined;
  const found = nlu.entities.dateTimes.find((d) => d.kind === 'time');
  const time = found?.kind === 'time' ? found : typedHour(text);
  if (!time) return undefined;
  const days = nlu.entities.dateTimes.filter(isDayMention);
  return state.shown.flatMap((slot, i) => {
    const c = formatter.clock(slot.startsAt);
    // "las 3" in a clinic means 15:00 as often as 03:00.
    const atTime = c.minute === time.minute && (c.hour === time.hour || c.hour === time.hour + 12);
    if (!atTime) return [];
    const day = formatter.calendar(slot.startsAt);
    return days.length === 0 || days.some((d) => onDay(d, day, formatter, now)) ? [i + 1] : [];
  });
}

// The time extractor wants "a las"; inside a pick step a bare "las 10" is enough.
function typedHour(text: string): { hour: number; minute: number } | undefined {
  const m = /\blas\s+(\d{1,2})(?:[:.h](\d{2}))?\b/i.exec(text);
  return m ? { hour: Number(m[1]), minute: m[2] ? Number(m[2]) : 0 } : undefined;
}

function isDayMention(d: DateTimeMention): d is DayMention {
  return d.kind === 'weekday' || d.kind === 'date' || d.kind === 'relative_day';
}

function onDay(d: DayMention, day: CalendarDay, formatter: ClinicDateFormatter, now: number): boolean {
  switch (d.kind) {
    case 'weekday':
      return day.weekday === d.weekday;
    case 'date':
      return day.day === d.day && (d.month === undefined || day.month === d.month);
    case 'relative_day': {
      const target = addDays(localDateOf(now, formatter.timeZone), d.offsetDays);
      return target.year === day.year && target.month === day.month && target.day === day.day;
    }
  }
}
