import { localDateOf, type LocalDate } from '../clinic/index.js';

/** WhatsApp interactive limits (Cloud API reference). */
export const LIMITS = { rowTitle: 24, rowDescription: 72, buttonTitle: 20, listButton: 20, body: 1024 } as const;

/** Cuts text to `max` characters, ending with "…" when cut. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

export interface CalendarDay extends LocalDate {
  weekday: number;
}

/** A clinic-local date with its weekday (0 = domingo, as Date#getDay and the NLU's weekday mentions). */
function calendarDay(date: LocalDate): CalendarDay {
  return { weekday: new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay(), ...date };
}

/**
 * Dates as patients read them, in the clinic's time zone: "jue 26 nov 08:30".
 * Built from Intl parts so no locale data quirk ("jue.", "p. m.") leaks in.
 */
export class SlotFormatter {
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

  private pieces(iso: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const p of this.parts.formatToParts(new Date(iso))) out[p.type] = p.value.replace(/\.$/, '');
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

  /** Clinic-local calendar day (weekday 0 = domingo, as Date#getDay), to match "la del martes". */
  calendar(iso: string): CalendarDay {
    return calendarDay(localDateOf(Date.parse(iso), this.timeZone));
  }
}
