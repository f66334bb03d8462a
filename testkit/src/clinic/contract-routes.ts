import {
  citaProximaToWire,
  citaToWire,
  dependienteToWire,
  especialidadToWire,
  filtersFromQuery,
  horarioToWire,
  informacionToWire,
  isSpecialtyCode,
  motivoOf,
  pacienteToWire,
  type ClinicPort,
  type Motivo,
  type PortReason,
} from '@medcita/workers/clinic';

/** A refusal a handler throws: answered with `status` and `{ motivo }`. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly motivo: Motivo,
  ) {
    super(motivo);
  }
}

export type Handler = (ctx: {
  params: string[];
  query: URLSearchParams;
  body: Record<string, unknown>;
  idempotencyKey: string | undefined;
}) => Promise<[number, unknown]>;

/** Optional `inicio_minimo` (ISO instant): slots starting earlier are refused as not found. */
function earliest(v: unknown): { earliestStart?: string } {
  if (v === undefined) return {};
  if (typeof v !== 'string' || Number.isNaN(Date.parse(v))) throw new HttpProblem(400, 'solicitud_invalida');
  return { earliestStart: v };
}

const refusal = (status: number, reason: PortReason): [number, unknown] => [status, { motivo: motivoOf(reason) }];

/** docs/clinic-api.openapi.yaml's endpoints over `port`: method, path pattern (its groups are `params`) and handler. */
export function routes(port: ClinicPort): [string, RegExp, Handler][] {
  const text = (v: unknown): string => {
    if (typeof v !== 'string' || v === '') throw new HttpProblem(400, 'solicitud_invalida');
    return v;
  };
  // Patient-typed fields go to the port as they came, so its validation answers 422 like the builtin adapter's `invalid`.
  const loose = (v: unknown): string => (typeof v === 'string' ? v : '');
  return [
    ['GET', /^\/api\/v1\/health$/, async () => [200, { estado: 'ok' }]],
    [
      'POST',
      /^\/api\/v1\/pacientes\/buscar$/,
      async ({ body }) => {
        const patient =
          body.telefono !== undefined
            ? await port.findPatientByPhone(text(body.telefono))
            : await port.findPatientByDocument(text(body.documento));
        return patient ? [200, pacienteToWire(patient)] : refusal(404, 'not_found');
      },
    ],
    [
      'POST',
      /^\/api\/v1\/pacientes$/,
      async ({ body }) => {
        const consent = (body.consentimiento ?? {}) as Record<string, unknown>;
        const result = await port.registerPatient({
          documentNumber: loose(body.documento),
          firstName: loose(body.nombres),
          lastName: loose(body.apellidos),
          birthDate: loose(body.fecha_nacimiento),
          phone: loose(body.telefono),
          consent: { at: loose(consent.aceptado_en), version: loose(consent.version) },
        });
        if (result.ok) return [201, pacienteToWire(result.patient)];
        return refusal(result.reason === 'invalid' ? 422 : 409, result.reason);
      },
    ],
    [
      'GET',
      /^\/api\/v1\/pacientes\/([^/]+)\/dependientes$/,
      async ({ params }) => [200, { dependientes: (await port.listDependents(params[0]!)).map(dependienteToWire) }],
    ],
    [
      'POST',
      /^\/api\/v1\/pacientes\/([^/]+)\/dependientes$/,
      async ({ params, body }) => {
        const result = await port.addDependent({
          holderId: params[0]!,
          firstName: loose(body.nombres),
          lastName: loose(body.apellidos),
          birthDate: loose(body.fecha_nacimiento),
        });
        if (result.ok) return [201, dependienteToWire(result.dependent)];
        return refusal(result.reason === 'invalid' ? 422 : 404, result.reason);
      },
    ],
    ['GET', /^\/api\/v1\/especialidades$/, async () => [200, { especialidades: (await port.listSpecialties()).map(especialidadToWire) }]],
    [
      'GET',
      /^\/api\/v1\/horarios-disponibles$/,
      async ({ query }) => {
        const specialty = query.get('especialidad') ?? '';
        const page = Number(query.get('page') ?? '1');
        const pageSize = Number(query.get('page_size') ?? '10');
        const filters = filtersFromQuery(query);
        if (
          !isSpecialtyCode(specialty) ||
          !Number.isInteger(page) ||
          page < 1 ||
          !Number.isInteger(pageSize) ||
          pageSize < 1 ||
          pageSize > 10 ||
          !filters
        ) {
          throw new HttpProblem(400, 'solicitud_invalida');
        }
        const result = await port.listFreeSlots({
          specialty,
          page,
          pageSize,
          ...(Object.keys(filters).length > 0 && { filters }),
          ...(query.get('desde') && { from: query.get('desde')! }),
          ...(query.get('titular') && { holderId: query.get('titular')! }),
        });
        return [200, { page: result.page, page_size: pageSize, has_more: result.hasMore, horarios: result.slots.map(horarioToWire) }];
      },
    ],
    [
      'PUT',
      /^\/api\/v1\/horarios-disponibles\/([^/]+)\/reserva$/,
      async ({ params, body }) => {
        const ttl = body.ttl_segundos;
        if (typeof ttl !== 'number' || !(ttl > 0) || ttl > 3600) throw new HttpProblem(400, 'solicitud_invalida');
        const holder = text(body.titular);
        const result = await port.holdSlot(params[0]!, holder, ttl, earliest(body.inicio_minimo));
        if (!result.ok) return refusal(result.reason === 'not_found' ? 404 : 409, result.reason);
        return [200, { horario_id: params[0], titular: holder, expira_en: result.expiresAt }];
      },
    ],
    [
      'DELETE',
      /^\/api\/v1\/horarios-disponibles\/([^/]+)\/reserva$/,
      async ({ params, query }) => {
        await port.releaseHold(params[0]!, text(query.get('titular')));
        return [204, undefined];
      },
    ],
    [
      'POST',
      /^\/api\/v1\/citas$/,
      async ({ body, idempotencyKey }) => {
        const result = await port.book({
          slotId: text(body.horario_id),
          patientId: text(body.paciente_id),
          holderId: text(body.titular),
          idempotencyKey: text(idempotencyKey),
          ...earliest(body.inicio_minimo),
        });
        if (result.ok) return [201, citaToWire(result.appointment)];
        const status = { not_found: 404, unknown_patient: 422, taken: 409, held: 409, idempotency_conflict: 409 }[result.reason];
        return refusal(status, result.reason);
      },
    ],
    [
      'GET',
      /^\/api\/v1\/citas\/por-clave\/([^/]+)$/,
      async ({ params, query }) => {
        const appointment = await port.findBooking({ idempotencyKey: params[0]!, patientId: text(query.get('paciente_id')) });
        return appointment ? [200, citaToWire(appointment)] : refusal(404, 'not_found');
      },
    ],
    [
      'GET',
      /^\/api\/v1\/pacientes\/([^/]+)\/citas$/,
      async ({ params }) => [200, { citas: (await port.listAppointments(params[0]!)).map(citaToWire) }],
    ],
    [
      'POST',
      /^\/api\/v1\/citas\/([^/]+)\/(cancelar|confirmar)$/,
      async ({ params, body }) => {
        const action = { appointmentId: params[0]!, patientId: text(body.paciente_id) };
        const result = params[1] === 'cancelar' ? await port.cancelAppointment(action) : await port.confirmAppointment(action);
        if (result.ok) return [200, citaToWire(result.appointment)];
        return refusal(result.reason === 'not_found' ? 404 : 409, result.reason);
      },
    ],
    ['GET', /^\/api\/v1\/informacion$/, async () => [200, informacionToWire(await port.clinicInfo())]],
    [
      'GET',
      /^\/api\/v1\/citas\/proximas$/,
      async ({ query }) => {
        const from = query.get('desde');
        const to = query.get('hasta');
        if (!from || !to || Number.isNaN(Date.parse(from)) || Number.isNaN(Date.parse(to))) {
          throw new HttpProblem(400, 'solicitud_invalida');
        }
        return [200, { citas_proximas: (await port.upcomingAppointments({ from, to })).map(citaProximaToWire) }];
      },
    ],
  ];
}
