/**
 * Reminder dates the Spanish way, in the clinic's time zone:
 * "mañana jueves 26 de noviembre" and "08:30", so together
 * "mañana jueves 26 de noviembre a las 08:30".
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

export interface ReminderWhen {
  /** "mañana jueves 26 de noviembre", "hoy ...", or "el jueves 26 de noviembre". */
  date: string;
  /** "08:30" (24-hour clock). */
  time: string;
  /** `${date} a las ${time}`. */
  full: string;
}

export class ReminderDateFormatter {
  private readonly fmt: Intl.DateTimeFormat;

  constructor(readonly timeZone: string) {
    this.fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    });
  }

  private local(ms: number): { y: number; m: number; d: number; hh: number; mm: number } {
    const p: Record<string, number> = {};
    for (const part of this.fmt.formatToParts(new Date(ms))) if (part.type !== 'literal') p[part.type] = Number(part.value);
    return { y: p.year!, m: p.month!, d: p.day!, hh: p.hour! % 24, mm: p.minute! };
  }

  format(startsAt: string, now: number): ReminderWhen {
    const at = this.local(Date.parse(startsAt));
    const today = this.local(now);
    // Calendar days between the two clinic-local dates (UTC arithmetic on the local dates: no DST drift).
    const days = Math.round((Date.UTC(at.y, at.m - 1, at.d) - Date.UTC(today.y, today.m - 1, today.d)) / 86_400_000);
    const weekday = WEEKDAYS[new Date(Date.UTC(at.y, at.m - 1, at.d)).getUTCDay()]!;
    const day = `${weekday} ${at.d} de ${MONTHS[at.m - 1]}${at.y === today.y ? '' : ` de ${at.y}`}`;
    const date = days === 0 ? `hoy ${day}` : days === 1 ? `mañana ${day}` : `el ${day}`;
    const time = `${String(at.hh).padStart(2, '0')}:${String(at.mm).padStart(2, '0')}`;
    return { date, time, full: `${date} a las ${time}` };
  }
}
