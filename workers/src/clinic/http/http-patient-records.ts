import { randomUUID } from 'node:crypto';
import {
  normalizeDocument,
  type AddDependentRequest,
  type AddDependentResult,
  type Dependent,
  type Patient,
  type RegisterPatientRequest,
  type RegisterPatientResult,
} from '../clinic-port.js';
import type { ClinicHttpClient } from './clinic-http-client.js';
import { API, callClinic, field, refusalReason, seg } from './clinic-response.js';
import { dependienteFromWire, pacienteFromWire, type DependienteWire, type PacienteWire } from './wire-format.js';

/** Patients and family members over the REST contract (docs/clinic-api.openapi.yaml), for HttpClinic. */
export class HttpPatientRecords {
  constructor(private readonly client: ClinicHttpClient) {}

  async findPatientByDocument(documentNumber: string): Promise<Patient | null> {
    // POST keeps the document number out of URLs and access logs; the key makes the lookup retryable.
    const res = await callClinic(
      this.client,
      {
        method: 'POST',
        path: `${API}/pacientes/buscar`,
        body: { documento: normalizeDocument(documentNumber) },
        idempotencyKey: randomUUID(),
      },
      [200, 404],
    );
    return res.status === 404 ? null : pacienteFromWire(res.body as PacienteWire);
  }

  async findPatientByPhone(phone: string): Promise<Patient | null> {
    const res = await callClinic(
      this.client,
      { method: 'POST', path: `${API}/pacientes/buscar`, body: { telefono: phone.replace(/\D/g, '') }, idempotencyKey: randomUUID() },
      [200, 404],
    );
    return res.status === 404 ? null : pacienteFromWire(res.body as PacienteWire);
  }

  async registerPatient(request: RegisterPatientRequest): Promise<RegisterPatientResult> {
    // Registration is idempotent by document and phone, so a fresh key per call is safe to retry.
    const res = await callClinic(
      this.client,
      {
        method: 'POST',
        path: `${API}/pacientes`,
        body: {
          documento: normalizeDocument(request.documentNumber),
          nombres: request.firstName,
          apellidos: request.lastName,
          fecha_nacimiento: request.birthDate,
          telefono: request.phone,
          consentimiento: { aceptado_en: request.consent.at, version: request.consent.version },
        },
        idempotencyKey: randomUUID(),
      },
      [200, 201, 409, 422],
    );
    if (res.status >= 400) return { ok: false, reason: refusalReason(res, ['invalid', 'phone_taken']) };
    return { ok: true, patient: pacienteFromWire(res.body as PacienteWire) };
  }

  async listDependents(holderId: string): Promise<Dependent[]> {
    const res = await callClinic(this.client, { method: 'GET', path: `${API}/pacientes/${seg(holderId)}/dependientes` }, [200]);
    return field<DependienteWire[]>(res, 'dependientes').map(dependienteFromWire);
  }

  async addDependent(request: AddDependentRequest): Promise<AddDependentResult> {
    const res = await callClinic(
      this.client,
      {
        method: 'POST',
        path: `${API}/pacientes/${seg(request.holderId)}/dependientes`,
        body: { nombres: request.firstName, apellidos: request.lastName, fecha_nacimiento: request.birthDate },
        idempotencyKey: randomUUID(),
      },
      [200, 201, 404, 422],
    );
    if (res.status >= 400) return { ok: false, reason: refusalReason(res, ['invalid', 'unknown_patient']) };
    return { ok: true, dependent: dependienteFromWire(res.body as DependienteWire) };
  }
}
