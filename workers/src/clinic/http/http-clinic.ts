import { randomUUID } from 'node:crypto';
import {
  MAX_PAGE_SIZE,
  type Appointment,
  type AppointmentAction,
  type BookRequest,
  type BookResult,
  type BookingLookup,
  type CancelResult,
  type ClinicHealth,
  type ClinicInfo,
  type ClinicPort,
  type Clock,
  type ConfirmResult,
  type HoldOptions,
  type AddDependentRequest,
  type AddDependentResult,
  type Dependent,
  type RegisterPatientRequest,
  type RegisterPatientResult,
  type HoldResult,
  type ListFreeSlotsQuery,
  type Patient,
  type SlotPage,
  type Specialty,
  type UpcomingAppointment,
} from '../clinic-port.js';
import { ClinicRequestError } from '../errors/clinic-request-error.js';
import { ClinicUnavailableError } from '../errors/clinic-unavailable-error.js';
import type { ClinicHttpClient, ClinicRequest, ClinicResponse } from './clinic-http-client.js';
import { API, callClinic, field, refusalReason, seg } from './clinic-response.js';
import { HttpPatientRecords } from './http-patient-records.js';
import { informacionFromWire, type InformacionWire } from './informacion-wire.js';
import { filtersToQuery } from './slot-filters-query.js';
import {
  citaFromWire,
  citaProximaFromWire,
  especialidadFromWire,
  horarioFromWire,
  type CitaProximaWire,
  type CitaWire,
  type EspecialidadWire,
  type HorarioWire,
} from './wire-format.js';

/**
 * The port over the REST contract in docs/clinic-api.openapi.yaml. Expected
 * refusals (404/409/422 with a `motivo`) become `{ ok: false, reason }`;
 * anything else outside the contract is a ClinicRequestError.
 */
export interface HttpClinicOptions {
  /** No slot starting sooner than this is listed, held or booked (default 0). */
  minLeadMinutes?: number;
  clock?: Clock;
}

export class HttpClinic implements ClinicPort {
  private readonly clock: Clock;

  private readonly patients: HttpPatientRecords;

  constructor(
    private readonly client: ClinicHttpClient,
    private readonly opts: HttpClinicOptions = {},
  ) {
    this.clock = opts.clock ?? Date.now;
    this.patients = new HttpPatientRecords(client);
  }

  /**
   * The earliest start the minimum lead time allows, sent with every list,
   * hold and book so the backend refuses sooner slots atomically; lists are
   * also filtered here, in case a backend ignores the bound.
   */
  private earliest(asked?: string): number {
    const lead = this.clock() + (this.opts.minLeadMinutes ?? 0) * 60_000 + 1;
    const at = asked ? Date.parse(asked) : NaN;
    return Number.isNaN(at) ? lead : Math.max(lead, at);
  }

  findPatientByDocument(documentNumber: string): Promise<Patient | null> {
    return this.patients.findPatientByDocument(documentNumber);
  }

  findPatientByPhone(phone: string): Promise<Patient | null> {
    return this.patients.findPatientByPhone(phone);
  }

  registerPatient(request: RegisterPatientRequest): Promise<RegisterPatientResult> {
    return this.patients.registerPatient(request);
  }

  listDependents(holderId: string): Promise<Dependent[]> {
    return this.patients.listDependents(holderId);
  }

  addDependent(request: AddDependentRequest): Promise<AddDependentResult> {
    return this.patients.addDependent(request);
  }

  async listSpecialties(): Promise<Specialty[]> {
    const res = await this.call({ method: 'GET', path: `${API}/especialidades` }, [200]);
    return field<EspecialidadWire[]>(res, 'especialidades').map(especialidadFromWire);
  }

  async listFreeSlots(query: ListFreeSlotsQuery): Promise<SlotPage> {
    const earliest = this.earliest(query.from);
    const res = await this.call(
      {
        method: 'GET',
        path: `${API}/horarios-disponibles`,
        query: {
          especialidad: query.specialty,
          desde: new Date(earliest).toISOString(),
          ...filtersToQuery(query.filters),
          page: query.page,
          page_size: Math.min(MAX_PAGE_SIZE, query.pageSize),
          titular: query.holderId,
        },
      },
      [200],
    );
    return {
      slots: field<HorarioWire[]>(res, 'horarios')
        .map(horarioFromWire)
        .filter((s) => Date.parse(s.startsAt) >= earliest),
      page: field<number>(res, 'page'),
      hasMore: field<boolean>(res, 'has_more'),
    };
  }

  async holdSlot(slotId: string, holderId: string, ttlSeconds: number, options?: HoldOptions): Promise<HoldResult> {
    const body = {
      titular: holderId,
      ttl_segundos: ttlSeconds,
      inicio_minimo: new Date(this.earliest(options?.earliestStart)).toISOString(),
    };
    const res = await this.call({ method: 'PUT', path: `${API}/horarios-disponibles/${seg(slotId)}/reserva`, body }, [200, 404, 409]);
    if (res.status !== 200) return { ok: false, reason: refusalReason(res, ['not_found', 'taken', 'held']) };
    return { ok: true, expiresAt: field<string>(res, 'expira_en') };
  }

  async releaseHold(slotId: string, holderId: string): Promise<void> {
    await this.call(
      { method: 'DELETE', path: `${API}/horarios-disponibles/${seg(slotId)}/reserva`, query: { titular: holderId } },
      [204, 404],
    );
  }

  async book(request: BookRequest): Promise<BookResult> {
    const res = await this.call(
      {
        method: 'POST',
        path: `${API}/citas`,
        body: {
          horario_id: request.slotId,
          paciente_id: request.patientId,
          titular: request.holderId,
          inicio_minimo: new Date(this.earliest(request.earliestStart)).toISOString(),
        },
        idempotencyKey: request.idempotencyKey,
      },
      [200, 201, 404, 409, 422],
    );
    if (res.status >= 400) {
      return {
        ok: false,
        reason: refusalReason(res, ['not_found', 'taken', 'held', 'unknown_patient', 'idempotency_conflict']),
      };
    }
    return { ok: true, appointment: citaFromWire(res.body as CitaWire) };
  }

  async findBooking(lookup: BookingLookup): Promise<Appointment | null> {
    const res = await this.call(
      {
        method: 'GET',
        path: `${API}/citas/por-clave/${seg(lookup.idempotencyKey)}`,
        query: { paciente_id: lookup.patientId },
      },
      [200, 404],
    );
    return res.status === 404 ? null : citaFromWire(res.body as CitaWire);
  }

  async listAppointments(patientId: string): Promise<Appointment[]> {
    const res = await this.call({ method: 'GET', path: `${API}/pacientes/${seg(patientId)}/citas` }, [200]);
    return field<CitaWire[]>(res, 'citas').map(citaFromWire);
  }

  async cancelAppointment(action: AppointmentAction): Promise<CancelResult> {
    const res = await this.appointmentAction(action, 'cancelar');
    if (res.status !== 200) return { ok: false, reason: refusalReason(res, ['not_found', 'too_late']) };
    return { ok: true, appointment: citaFromWire(res.body as CitaWire) };
  }

  async confirmAppointment(action: AppointmentAction): Promise<ConfirmResult> {
    const res = await this.appointmentAction(action, 'confirmar');
    if (res.status !== 200) return { ok: false, reason: refusalReason(res, ['not_found', 'cancelled', 'too_late']) };
    return { ok: true, appointment: citaFromWire(res.body as CitaWire) };
  }

  async upcomingAppointments(window: { from: string; to: string }): Promise<UpcomingAppointment[]> {
    const res = await this.call({ method: 'GET', path: `${API}/citas/proximas`, query: { desde: window.from, hasta: window.to } }, [200]);
    return field<CitaProximaWire[]>(res, 'citas_proximas').map(citaProximaFromWire);
  }

  async clinicInfo(): Promise<ClinicInfo> {
    const res = await this.call({ method: 'GET', path: `${API}/informacion` }, [200]);
    for (const name of ['clinicas', 'medicos', 'especialidades']) field<unknown[]>(res, name);
    return informacionFromWire(res.body as InformacionWire);
  }

  async health(): Promise<ClinicHealth> {
    try {
      await this.call({ method: 'GET', path: `${API}/health` }, [200]);
      return { ok: true, backend: 'http' };
    } catch (err) {
      if (err instanceof ClinicUnavailableError || err instanceof ClinicRequestError) {
        return { ok: false, backend: 'http', detail: err.message };
      }
      throw err;
    }
  }

  // Cancelling or confirming twice ends in the same state, so a per-call key lets the client retry.
  private appointmentAction(action: AppointmentAction, verb: 'cancelar' | 'confirmar'): Promise<ClinicResponse> {
    return this.call(
      {
        method: 'POST',
        path: `${API}/citas/${seg(action.appointmentId)}/${verb}`,
        body: { paciente_id: action.patientId },
        idempotencyKey: randomUUID(),
      },
      [200, 404, 409],
    );
  }

  private call(req: ClinicRequest, expected: number[]): Promise<ClinicResponse> {
    return callClinic(this.client, req, expected);
  }
}
