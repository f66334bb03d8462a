import type { Slot } from '../clinic-port.js';
import type { SeedData } from './seed-data.js';
import { WEEKDAYS } from './seed-data.js';
import { addDays, formatDate, localDateOf, weekdayIndex, zonedInstant } from './zoned-time.js';

export interface SlotWindow {
  now: number;
  timeZone: string;
  /** Calendar days starting today (clinic-local). */
  days: number;
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Every slot of every doctor's weekly schedule in the window, not yet
 * started, ordered by start then id. Ids are derived from doctor and local
 * start time, so regenerating (on a re-seed, in another process) yields the
 * same ids and never duplicates a slot.
 */
export function generateSlots(seed: SeedData, window: SlotWindow): Slot[] {
  const clinicNames = new Map(seed.clinics.map((c) => [c.id, c.name]));
  const today = localDateOf(window.now, window.timeZone);
  const slots: Slot[] = [];
  for (let i = 0; i < window.days; i++) {
    const date = addDays(today, i);
    const weekday = WEEKDAYS[weekdayIndex(date)]!;
    const compactDate = formatDate(date).replaceAll('-', '');
    for (const doctor of seed.doctors) {
      for (const hours of doctor.schedule) {
        if (!hours.days.includes(weekday)) continue;
        const end = minutesOf(hours.to);
        for (let m = minutesOf(hours.from); m + doctor.slotMinutes <= end; m += doctor.slotMinutes) {
          const startsAt = zonedInstant(date, m, window.timeZone);
          if (startsAt <= window.now) continue;
          slots.push({
            id: `${doctor.id}-${compactDate}${pad(Math.floor(m / 60))}${pad(m % 60)}`,
            specialty: doctor.specialty,
            doctorId: doctor.id,
            doctorName: doctor.name,
            clinicId: doctor.clinicId,
            clinicName: clinicNames.get(doctor.clinicId) ?? doctor.clinicId,
            startsAt: new Date(startsAt).toISOString(),
            endsAt: new Date(zonedInstant(date, m + doctor.slotMinutes, window.timeZone)).toISOString(),
          });
        }
      }
    }
  }
  return slots.sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.id.localeCompare(b.id));
}
