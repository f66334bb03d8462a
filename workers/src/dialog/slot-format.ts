/** WhatsApp interactive limits (Cloud API reference). */
export const LIMITS = { rowTitle: 24, rowDescription: 72, buttonTitle: 20, listButton: 20, body: 1024 } as const;

/** Cuts text to `max` characters, ending with "…" when cut. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

export interface CalendarDay {
  weekday: number;
  day: number;
  month: number;
  year: number;
}

const WEEKDAY_INDEX: Readonly<Record<string, number>> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/**
 * Dates as patients read them, in the clinic's time zone: "jue 26 nov 08:30".
 * Built from Intl parts so no locale data quirk ("jue.", "p. m.") leaks in.
 */
export class SlotFormatter {
  private readonly parts: Intl.DateTimeFormat;
  private readonly numeric: Intl.DateTimeFormat;

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
    this.numeric = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', day: 'numeric', month: 'numeric', year: 'numeric' });
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
    const out: Record<string, string> = {};
    for (const p of this.numeric.formatToParts(new Date(iso))) out[p.type] = p.value;
    return { weekday: WEEKDAY_INDEX[out.weekday!] ?? -1, day: Number(out.day), month: Number(out.month), year: Number(out.year) };
  }
}
