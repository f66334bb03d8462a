// The clinic's reference data (ClinicPort.clinicInfo): what patients ask about, and the names the dialog reads in their messages.
import type { SpecialtyCode } from '../domain/specialties.js';

/** One clinic (site) as patients ask about it: where, when, how to reach it, what it accepts. */
export interface ClinicSite {
  id: string;
  name: string;
  city: string;
  address: string;
  phone: string;
  /** Opening hours as the clinic words them ("lun a vie 08:00–19:00 · sáb 08:00–12:00"). */
  openingHours: string;
  location?: { latitude: number; longitude: number };
  /** Insurers and plans accepted at this site. */
  insurance: string[];
  /** Other names patients use for it ("tunari", "cocha"). */
  aliases: string[];
}

export interface DoctorInfo {
  id: string;
  name: string;
  specialty: SpecialtyCode;
  clinicId: string;
}

export interface SpecialtyInfo {
  code: SpecialtyCode;
  /** Consultation price in `currency` units. */
  price: number;
  currency: string;
  /** Preparation for the visit (fasting, studies to bring), when any. */
  preparation?: string;
}

/** Reference data for patients' questions and for reading "con la Dra. Romero" / "en el Tunari". */
export interface ClinicInfo {
  clinics: ClinicSite[];
  doctors: DoctorInfo[];
  specialties: SpecialtyInfo[];
  /** What every patient should bring to a visit. */
  whatToBring: string[];
}
