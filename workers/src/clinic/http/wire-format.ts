/**
 * The JSON shapes of docs/clinic-api.openapi.yaml (Spanish field names, as
 * the clinics' existing systems use) and their translation to and from the
 * port's domain types. Shared by the http adapter and the contract server so
 * the two cannot drift apart.
 */
import type {
  Appointment,
  AppointmentStatus,
  Dependent,
  Patient,
  Slot,
  Specialty,
  SpecialtyCode,
  UpcomingAppointment,
} from '../clinic-port.js';

export interface PacienteWire {
  id: string;
  documento: string;
  nombres: string;
  apellidos: string;
  telefono: string;
  fecha_nacimiento: string;
  revision?: 'documento_registrado';
  consentimiento?: { aceptado_en: string; version: string };
}

export interface DependienteWire {
  id: string;
  responsable_id: string;
  nombres: string;
  apellidos: string;
  fecha_nacimiento: string;
}

export interface EspecialidadWire {
  codigo: SpecialtyCode;
  nombre: string;
}

export interface HorarioWire {
  id: string;
  especialidad: SpecialtyCode;
  medico_id: string;
  medico: string;
  clinica_id: string;
  clinica: string;
  inicio: string;
  fin: string;
}

export type EstadoCita = 'agendada' | 'confirmada' | 'cancelada';

export interface CitaWire {
  id: string;
  paciente_id: string;
  horario: HorarioWire;
  estado: EstadoCita;
  agendada_en: string;
  confirmada_en?: string;
  cancelada_en?: string;
  responsable_id?: string;
}

export interface CitaProximaWire {
  cita: CitaWire;
  paciente: Pick<PacienteWire, 'id' | 'nombres' | 'apellidos' | 'telefono'>;
  dependiente?: Pick<DependienteWire, 'id' | 'nombres' | 'apellidos'>;
  necesita_confirmacion: boolean;
}

/** Machine-readable reason in every 4xx body: `{ "motivo": ..., "mensaje"?: ... }`. */
export type Motivo =
  | 'no_encontrado'
  | 'ocupado'
  | 'reservado'
  | 'paciente_desconocido'
  | 'conflicto_idempotencia'
  | 'demasiado_tarde'
  | 'cancelada'
  | 'datos_invalidos'
  | 'telefono_registrado'
  | 'solicitud_invalida'
  | 'no_autorizado'
  /** 5xx/429 bodies; the client never relies on them. */
  | 'no_disponible'
  | 'error_interno';

const ESTADO: Record<AppointmentStatus, EstadoCita> = {
  booked: 'agendada',
  confirmed: 'confirmada',
  cancelled: 'cancelada',
};
const STATUS = Object.fromEntries(Object.entries(ESTADO).map(([k, v]) => [v, k])) as Record<EstadoCita, AppointmentStatus>;

/** Domain failure reasons of the port ↔ motivos on the wire. */
const MOTIVO_BY_REASON = {
  not_found: 'no_encontrado',
  taken: 'ocupado',
  held: 'reservado',
  unknown_patient: 'paciente_desconocido',
  idempotency_conflict: 'conflicto_idempotencia',
  too_late: 'demasiado_tarde',
  cancelled: 'cancelada',
  invalid: 'datos_invalidos',
  phone_taken: 'telefono_registrado',
} as const satisfies Record<string, Motivo>;

export type PortReason = keyof typeof MOTIVO_BY_REASON;

export function motivoOf(reason: PortReason): Motivo {
  return MOTIVO_BY_REASON[reason];
}

export function reasonOf(motivo: unknown): PortReason | undefined {
  const hit = Object.entries(MOTIVO_BY_REASON).find(([, m]) => m === motivo);
  return hit?.[0] as PortReason | undefined;
}

export const pacienteToWire = (p: Patient): PacienteWire => ({
  id: p.id,
  documento: p.documentNumber,
  nombres: p.firstName,
  apellidos: p.lastName,
  telefono: p.phone,
  fecha_nacimiento: p.birthDate,
  ...(p.needsReview && { revision: 'documento_registrado' as const }),
  ...(p.consent && { consentimiento: { aceptado_en: p.consent.at, version: p.consent.version } }),
});

export const pacienteFromWire = (w: PacienteWire): Patient => ({
  id: w.id,
  documentNumber: w.documento,
  firstName: w.nombres,
  lastName: w.apellidos,
  phone: w.telefono,
  birthDate: w.fecha_nacimiento,
  ...(w.revision && { needsReview: 'document_on_file' as const }),
  ...(w.consentimiento && { consent: { at: w.consentimiento.aceptado_en, version: w.consentimiento.version } }),
});

export const dependienteToWire = (d: Dependent): DependienteWire => ({
  id: d.id,
  responsable_id: d.holderId,
  nombres: d.firstName,
  apellidos: d.lastName,
  fecha_nacimiento: d.birthDate,
});

export const dependienteFromWire = (w: DependienteWire): Dependent => ({
  id: w.id,
  holderId: w.responsable_id,
  firstName: w.nombres,
  lastName: w.apellidos,
  birthDate: w.fecha_nacimiento,
});

export const especialidadToWire = (s: Specialty): EspecialidadWire => ({ codigo: s.code, nombre: s.name });
export const especialidadFromWire = (w: EspecialidadWire): Specialty => ({ code: w.codigo, name: w.nombre });

export const horarioToWire = (s: Slot): HorarioWire => ({
  id: s.id,
  especialidad: s.specialty,
  medico_id: s.doctorId,
  medico: s.doctorName,
  clinica_id: s.clinicId,
  clinica: s.clinicName,
  inicio: s.startsAt,
  fin: s.endsAt,
});

export const horarioFromWire = (w: HorarioWire): Slot => ({
  id: w.id,
  specialty: w.especialidad,
  doctorId: w.medico_id,
  doctorName: w.medico,
  clinicId: w.clinica_id,
  clinicName: w.clinica,
  startsAt: w.inicio,
  endsAt: w.fin,
});

export function citaToWire(a: Appointment): CitaWire {
  return {
    id: a.id,
    paciente_id: a.patientId,
    horario: horarioToWire(a.slot),
    estado: ESTADO[a.status],
    agendada_en: a.bookedAt,
    ...(a.confirmedAt && { confirmada_en: a.confirmedAt }),
    ...(a.cancelledAt && { cancelada_en: a.cancelledAt }),
    ...(a.holderId && { responsable_id: a.holderId }),
  };
}

export function citaFromWire(w: CitaWire): Appointment {
  const status = STATUS[w.estado];
  if (!status) throw new Error(`unknown estado "${w.estado}"`);
  return {
    id: w.id,
    patientId: w.paciente_id,
    slot: horarioFromWire(w.horario),
    status,
    bookedAt: w.agendada_en,
    ...(w.confirmada_en && { confirmedAt: w.confirmada_en }),
    ...(w.cancelada_en && { cancelledAt: w.cancelada_en }),
    ...(w.responsable_id && { holderId: w.responsable_id }),
  };
}

export const citaProximaToWire = (u: UpcomingAppointment): CitaProximaWire => ({
  cita: citaToWire(u.appointment),
  paciente: { id: u.patient.id, nombres: u.patient.firstName, apellidos: u.patient.lastName, telefono: u.patient.phone },
  ...(u.dependent && { dependiente: { id: u.dependent.id, nombres: u.dependent.firstName, apellidos: u.dependent.lastName } }),
  necesita_confirmacion: u.needsConfirmation,
});

export const citaProximaFromWire = (w: CitaProximaWire): UpcomingAppointment => ({
  appointment: citaFromWire(w.cita),
  patient: { id: w.paciente.id, firstName: w.paciente.nombres, lastName: w.paciente.apellidos, phone: w.paciente.telefono },
  ...(w.dependiente && { dependent: { id: w.dependiente.id, firstName: w.dependiente.nombres, lastName: w.dependiente.apellidos } }),
  needsConfirmation: w.necesita_confirmacion,
});
