import type { SlotFilters, SpecialtyCode } from '../../clinic/index.js';

/**
 * What the patient wants of a slot, resolved when said ("mañana" stays the
 * day it meant), with the words to tell them what was applied. Lives in
 * the dialog state while a booking is in progress.
 */
export interface SlotPreference {
  /** Clinic-local days "YYYY-MM-DD". */
  days?: string[];
  day?: DayLabel;
  /** Clinic-local minutes after midnight: fromMinute ≤ start < toMinute. */
  fromMinute?: number;
  toMinute?: number;
  time?: TimeLabel;
  doctorId?: string;
  doctorName?: string;
  clinicId?: string;
  clinicName?: string;
}

export type DayLabel =
  | { kind: 'relative'; offset: number }
  | { kind: 'weekday'; weekday: number; date: string }
  | { kind: 'date'; date: string }
  | { kind: 'week'; which: 'this' | 'next' }
  | { kind: 'weekend' }
  | { kind: 'weekdays'; weekdays: number[] };

export type TimeLabel =
  { kind: 'part'; part: 'manana' | 'tarde' | 'noche' | 'temprano' | 'mediodia' } | { kind: 'after' | 'before' | 'at'; minute: number };

export type PreferenceField = 'day' | 'time' | 'doctor' | 'clinic';

/** A message's effect on the preference: fields to set, fields to drop, and a specialty a named doctor implies. */
export interface PreferenceUpdate {
  set: SlotPreference;
  clear: PreferenceField[];
  specialty?: SpecialtyCode;
}

/** The preference after an update: new fields replace old ones, cleared ones go. */
export function applyPreference(current: SlotPreference | undefined, update: PreferenceUpdate | undefined): SlotPreference {
  let next: SlotPreference = { ...(current ?? {}) };
  if (!update) return next;
  for (const field of update.clear) next = without(next, field);
  if (update.set.days) next = without(next, 'day');
  if (update.set.fromMinute !== undefined || update.set.toMinute !== undefined) next = without(next, 'time');
  return { ...next, ...update.set };
}

export function without(p: SlotPreference, field: PreferenceField): SlotPreference {
  const { days, day, fromMinute, toMinute, time, doctorId, doctorName, clinicId, clinicName, ...rest } = p;
  return {
    ...rest,
    ...(field !== 'day' && days && { days, day }),
    ...(field !== 'time' && time && { time, ...(fromMinute !== undefined && { fromMinute }), ...(toMinute !== undefined && { toMinute }) }),
    ...(field !== 'doctor' && doctorId && { doctorId, doctorName }),
    ...(field !== 'clinic' && clinicId && { clinicId, clinicName }),
  };
}

export function isEmptyPreference(p: SlotPreference | undefined): boolean {
  return !p || (p.days === undefined && p.fromMinute === undefined && p.toMinute === undefined && !p.doctorId && !p.clinicId);
}

/** The port's filters for a preference. */
export function toFilters(p: SlotPreference | undefined): SlotFilters | undefined {
  if (isEmptyPreference(p)) return undefined;
  return {
    ...(p!.days && { days: p!.days }),
    ...(p!.fromMinute !== undefined && { fromMinute: p!.fromMinute }),
    ...(p!.toMinute !== undefined && { toMinute: p!.toMinute }),
    ...(p!.doctorId && { doctorId: p!.doctorId }),
    ...(p!.clinicId && { clinicId: p!.clinicId }),
  };
}
