import { localDateOf, type LocalDate } from '../../clinic/index.js';

/**
 * Every date and time a patient reads, in the clinic's time zone
 * (`CLINIC_TIMEZONE`): list rows and confirmations ("jue 26 nov 08:30"),
 * reminders ("mañana jueves 26 de noviembre a las 08:30"), and the
 * preference a list honours ("7/3", "9:30"). Built from Intl parts, so no
 * locale data quirk ("jue.", "p. m.") leaks in.
 */
const WEEKDAYS = ['domingo', 'lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado'];
const MONTHS = [
  'enero',
  'febrero',
  'marzo',
  'abril',
  'mayo',
  'junio',
  'julio',
  'agosto',
  'septiembre',
  'octubre',
  'noviembre',
  'diciembre',
];

export interface CalendarDay extends LocalDate {
  /** 0 = domingo, as Date#getDay and the NLU's weekday mentions. */
  weekday: number;
}

/** A date said in full, as a reminder says it. */
export interface SpokenWhen {
  /** "mañana jueves 26 de noviembre", "hoy ...", or "el jueves 26 de noviembre". */
  date: string;
  /** "08:30" (24-hour clock). */
  time: string;
  /** `${date} a las ${time}`. */
  full: string;
}

const PIECES_MEMO_SIZE = 4_096;
const pad2 = (n: number): string => String(n).padStart(2, '0');
const weekdayOf = (date: LocalDate): number => new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();

export class ClinicDateFormatter {
  private readonly parts: Intl.DateTimeFormat;

  constructor(readonly timeZone: string) {
    this.parts = new Intl.DateTimeFormat('es', {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
  }

  /** Parts of the slot times already formatted: every slot list formats the same few hundred times again (#14). */
  private readonly seen = new Map<string, Readonly<Record<string, string>>>();

  private pieces(iso: string): Readonly<Record<string, string>> {
    const known = this.seen.get(iso);
    if (known) return known;
    const out: Record<string, string> = {};
    for (const p of this.parts.formatToParts(new Date(iso))) out[p.type] = p.value.replace(/\.$/, '');
    // Bounded: a week of 5-minute slots fits; past that it starts over.
    if (this.seen.size >= PIECES_MEMO_SIZE) this.seen.clear();
    this.seen.set(iso, out);
    return out;
  }

  /** "jue 26 nov 08:30" (16 characters: fits a list row title). */
  short(iso: string): string {
    const p = this.pieces(iso);
    return `${p.weekday} ${p.day} ${p.month} ${p.hour}:${p.minute}`;
  }

  /** Clinic-local hour and minute, to match "la de las 10". */
  clock(iso: string): { hour: number; minute: number } {
    const p = this.pieces(iso);
    return { hour: Number(p.hour), minute: Number(p.minute) };
  }

  /** Clinic-local calendar day, to match "la del martes". */
  calendar(iso: string): CalendarDay {
    const date = localDateOf(Date.parse(iso), this.timeZone);
    return { weekday: weekdayOf(date), ...date };
  }

  /** "mañana jueves 26 de noviembre a las 08:30", relative to `now` in clinic-local days; the year only when it is not this one. */
  spoken(iso: string, now: number): SpokenWhen {
    const at = this.calendar(iso);
    const today = localDateOf(now, this.timeZone);
    // Calendar days between the two clinic-local dates (UTC arithmetic on the local dates: no DST drift).
    const days = Math.round((Date.UTC(at.year, at.month - 1, at.day) - Date.UTC(today.year, today.month - 1, today.day)) / 86_400_000);
    const day = `${WEEKDAYS[at.weekday]} ${at.day} de ${MONTHS[at.month - 1]}${at.year === today.year ? '' : ` de ${at.year}`}`;
    const date = days === 0 ? `hoy ${day}` : days === 1 ? `mañana ${day}` : `el ${day}`;
    const { hour, minute } = this.clock(iso);
    const time = `${pad2(hour)}:${pad2(minute)}`;
    return { date, time, full: `${date} a las ${time}` };
  }
}

/** Clinic-local minutes after midnight as "9:30". */
export const minuteOfDay = (minute: number): string => `${Math.floor(minute / 60)}:${pad2(minute % 60)}`;

/** A clinic-local "YYYY-MM-DD" as "7/3" (day/month). */
export function dayMonth(isoDate: string): string {
  const [, month, day] = isoDate.split('-').map(Number);
  return `${day}/${month}`;
}
