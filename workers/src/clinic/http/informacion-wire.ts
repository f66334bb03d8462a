/**
 * The JSON shape of GET /informacion (docs/clinic-api.openapi.yaml): the
 * clinics, doctors and specialties the assistant answers questions from, and
 * its translation to and from the port's ClinicInfo. Fields an older clinic
 * may leave out read as empty.
 */
import type { ClinicInfo, SpecialtyCode } from '../clinic-port.js';

export interface InformacionWire {
  clinicas: {
    id: string;
    nombre: string;
    ciudad: string;
    direccion: string;
    telefono: string;
    horario_atencion: string;
    ubicacion?: { latitud: number; longitud: number };
    seguros: string[];
    alias: string[];
  }[];
  medicos: { id: string; nombre: string; especialidad: SpecialtyCode; clinica_id: string }[];
  especialidades: { codigo: SpecialtyCode; precio: number; moneda: string; preparacion?: string }[];
  que_llevar: string[];
}

export const informacionToWire = (i: ClinicInfo): InformacionWire => ({
  clinicas: i.clinics.map((c) => ({
    id: c.id,
    nombre: c.name,
    ciudad: c.city,
    direccion: c.address,
    telefono: c.phone,
    horario_atencion: c.openingHours,
    ...(c.location && { ubicacion: { latitud: c.location.latitude, longitud: c.location.longitude } }),
    seguros: c.insurance,
    alias: c.aliases,
  })),
  medicos: i.doctors.map((d) => ({ id: d.id, nombre: d.name, especialidad: d.specialty, clinica_id: d.clinicId })),
  especialidades: i.specialties.map((s) => ({
    codigo: s.code,
    precio: s.price,
    moneda: s.currency,
    ...(s.preparation && { preparacion: s.preparation }),
  })),
  que_llevar: i.whatToBring,
});

export const informacionFromWire = (w: InformacionWire): ClinicInfo => ({
  clinics: w.clinicas.map((c) => ({
    id: c.id,
    name: c.nombre,
    city: c.ciudad ?? '',
    address: c.direccion ?? '',
    phone: c.telefono ?? '',
    openingHours: c.horario_atencion ?? '',
    ...(c.ubicacion && { location: { latitude: c.ubicacion.latitud, longitude: c.ubicacion.longitud } }),
    insurance: c.seguros ?? [],
    aliases: c.alias ?? [],
  })),
  doctors: w.medicos.map((d) => ({ id: d.id, name: d.nombre, specialty: d.especialidad, clinicId: d.clinica_id })),
  specialties: w.especialidades.map((s) => ({
    code: s.codigo,
    price: s.precio,
    currency: s.moneda,
    ...(s.preparacion && { preparation: s.preparacion }),
  })),
  whatToBring: w.que_llevar ?? [],
});
