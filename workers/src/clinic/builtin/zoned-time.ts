/**
 * Wall-clock ↔ instant conversion for a IANA time zone using only Intl, so
 * schedules written in clinic-local time stay right across DST changes
 * without a date library.
 */

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/**
 * One formatter per time zone for these options (a process has one or two
 * zones): building one costs more than the scan or conversion that uses it (#14).
 */
export function zonedFormatter(
  locale: string,
  options: Omit<Intl.DateTimeFormatOptions, 'timeZone'>,
): (timeZone: string) => Intl.DateTimeFormat {
  const formats = new Map<string, Intl.DateTimeFormat>();
  return (timeZone) => {
    let format = formats.get(timeZone);
    if (!format) {
      format = new Intl.DateTimeFormat(locale, { ...options, timeZone });
      formats.set(timeZone, format);
    }
    return format;
  };
}

const formatter = zonedFormatter('en-US', {
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/** Throws a RangeError for an unknown zone; used to validate configuration. */
export function assertTimeZone(timeZone: string): void {
  formatter(timeZone);
}

function wallClockAsUtc(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return Date.UTC(parts.year!, parts.month! - 1, parts.day, parts.hour, parts.minute, parts.second);
}

/** The clinic-local calendar date of an instant. */
export function localDateOf(instant: number, timeZone: string): LocalDate {
  const d = new Date(wallClockAsUtc(instant, timeZone));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Calendar arithmetic on dates only (no time zone involved). */
export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayIndex(date: LocalDate): number {
  return (new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() + 6) % 7;
}

export function formatDate(date: LocalDate): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.year}-${pad(date.month)}-${pad(date.day)}`;
}

/**
 * The instant at which clocks in `timeZone` show `date` at `minutes` after
 * midnight. Two passes settle the offset on either side of a DST change; a
 * wall time skipped by a spring-forward lands just after the gap.
 */
export function zonedInstant(date: LocalDate, minutes: number, timeZone: string): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day, 0, minutes);
  const first = wall - (wallClockAsUtc(wall, timeZone) - wall);
  const offset = wallClockAsUtc(first, timeZone) - first;
  return wall - offset;
}
