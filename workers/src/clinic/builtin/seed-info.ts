import type { ClinicInfo } from '../clinic-port.js';
import type { SeedData } from './seed-data.js';

const cache = new WeakMap<SeedData, ClinicInfo>();

/** The seed's reference data in the port's shape; fields a seed leaves out read as empty. */
export function clinicInfoOf(seed: SeedData): ClinicInfo {
  let info = cache.get(seed);
  if (!info) {
    info = {
      clinics: seed.clinics.map((c) => ({
        id: c.id,
        name: c.name,
        city: c.city ?? '',
        address: c.address ?? '',
        phone: c.phone ?? '',
        openingHours: c.openingHours ?? '',
        ...(c.location && { location: { latitude: c.location.latitude, longitude: c.location.longitude } }),
        insurance: c.insurance ?? [],
        aliases: c.aliases ?? [],
      })),
      doctors: seed.doctors.map((d) => ({ id: d.id, name: d.name, specialty: d.specialty, clinicId: d.clinicId })),
      specialties: seed.specialtyInfo ?? [],
      whatToBring: seed.whatToBring ?? [],
    };
    cache.set(seed, info);
  }
  return structuredClone(info);
}
