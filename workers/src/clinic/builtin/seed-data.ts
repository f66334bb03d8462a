import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  isSpecialtyCode,
  normalizeDocument,
  type ClinicSite,
  type Patient,
  type Specialty,
  type SpecialtyCode,
  type SpecialtyInfo,
} from '../clinic-port.js';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface WorkingHours {
  days: Weekday[];
  /** Clinic-local "HH:MM". */
  from: string;
  to: string;
}

export interface SeedDoctor {
  id: string;
  name: string;
  specialty: SpecialtyCode;
  clinicId: string;
  slotMinutes: number;
  schedule: WorkingHours[];
}

/** A clinic of the seed: id and name required; the rest answers patients' questions (empty when absent). */
export type SeedClinic = Pick<ClinicSite, 'id' | 'name'> & Partial<Omit<ClinicSite, 'id' | 'name'>>;

export interface SeedData {
  specialties: Specialty[];
  clinics: SeedClinic[];
  doctors: SeedDoctor[];
  patients: Patient[];
  specialtyInfo?: SpecialtyInfo[];
  whatToBring?: string[];
}

export const DEMO_SEED_FILE = fileURLToPath(new URL('./demo-clinics.json', import.meta.url));

const ID = /^[A-Za-z0-9_-]{1,40}$/;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Reads and validates a seed file; the default is the bundled demo data. */
export function loadSeedFile(file: string = DEMO_SEED_FILE): SeedData {
  return parseSeedData(JSON.parse(readFileSync(file, 'utf8')), file);
}

/**
 * Checks the shape and the cross references (doctor → clinic, specialty)
 * up front, so a bad seed file fails the boot instead of a patient's turn.
 */
export function parseSeedData(raw: unknown, source = 'seed data'): SeedData {
  const problems: string[] = [];
  const data = raw as Partial<SeedData>;
  const list = <T>(value: T[] | undefined, name: string): T[] => {
    if (!Array.isArray(value)) problems.push(`${name} must be an array`);
    return Array.isArray(value) ? value : [];
  };
  const specialties = list(data.specialties, 'specialties');
  const clinics = list(data.clinics, 'clinics');
  const doctors = list(data.doctors, 'doctors');
  const patients = list(data.patients, 'patients');

  for (const s of specialties) if (!isSpecialtyCode(s.code)) problems.push(`unknown specialty code "${s.code as string}"`);
  const clinicIds = new Set(clinics.map((c) => c.id));
  for (const c of clinics) if (!ID.test(c.id) || !c.name) problems.push(`clinic "${c.id}" needs an id and a name`);
  for (const d of doctors) {
    const where = `doctor "${d.id}"`;
    if (!ID.test(d.id) || !d.name) problems.push(`${where} needs an id and a name`);
    if (!specialties.some((s) => s.code === d.specialty)) problems.push(`${where} has unlisted specialty "${d.specialty}"`);
    if (!clinicIds.has(d.clinicId)) problems.push(`${where} refers to unknown clinic "${d.clinicId}"`);
    if (!Number.isInteger(d.slotMinutes) || d.slotMinutes < 5) problems.push(`${where} slotMinutes must be an integer >= 5`);
    for (const h of list(d.schedule, `${where} schedule`)) {
      if (!HHMM.test(h.from) || !HHMM.test(h.to) || h.from >= h.to) problems.push(`${where} has bad hours ${h.from}-${h.to}`);
      for (const day of list(h.days, `${where} days`)) {
        if (!(WEEKDAYS as readonly string[]).includes(day)) problems.push(`${where} has bad weekday "${day}"`);
      }
    }
  }
  for (const c of clinics) {
    const loc = c.location;
    if (loc && !(Math.abs(loc.latitude) <= 90 && Math.abs(loc.longitude) <= 180)) problems.push(`clinic "${c.id}" has a bad location`);
    if (c.insurance !== undefined && !Array.isArray(c.insurance)) problems.push(`clinic "${c.id}" insurance must be an array`);
  }
  for (const i of data.specialtyInfo ?? []) {
    if (!specialties.some((s) => s.code === i.code)) problems.push(`specialtyInfo has unlisted specialty "${i.code}"`);
    if (typeof i.price !== 'number' || i.price < 0 || !i.currency)
      problems.push(`specialtyInfo "${i.code}" needs a price >= 0 and a currency`);
  }
  for (const p of patients) {
    const where = `patient "${p.id}"`;
    if (!ID.test(p.id)) problems.push(`${where} needs an id`);
    if (!p.documentNumber || normalizeDocument(p.documentNumber) !== p.documentNumber) {
      problems.push(`${where} documentNumber must be normalized (no dots, spaces or dashes)`);
    }
    if (!/^\d{8,15}$/.test(p.phone ?? '')) problems.push(`${where} phone must be 8-15 digits like a wa_id`);
    if (!DATE.test(p.birthDate ?? '')) problems.push(`${where} birthDate must be YYYY-MM-DD`);
  }
  if (problems.length > 0) throw new Error(`${source} is invalid:\n  - ${problems.join('\n  - ')}`);
  return {
    specialties,
    clinics,
    doctors,
    patients,
    ...(data.specialtyInfo && { specialtyInfo: data.specialtyInfo }),
    ...(data.whatToBring && { whatToBring: data.whatToBring }),
  };
}
