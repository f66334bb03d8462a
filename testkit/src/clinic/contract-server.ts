import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
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

/**
 * A failure the server plays, to test clients against a sick backend:
 * `status` answers that status instead, `hang` never answers, `late` does the
 * work and answers only after `afterMs` (the client has given up by then, the
 * effect stays). `match` limits it to requests whose "METHOD /path" it
 * matches; `times` to the next N of them (default: until cleared).
 */
export type Fault = ({ kind: 'status'; status: number } | { kind: 'hang' } | { kind: 'late'; afterMs: number }) & {
  times?: number;
  match?: RegExp;
};

export interface ContractServerOptions {
  /** Expected bearer token; when unset, no auth is required. */
  token?: string;
  maxBodyBytes?: number;
}

export interface ContractServer {
  /** Starts listening (port 0 = any free port) and resolves the base URL. */
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
  /** Plays `fault` instead of answering, for `fault.times` requests or until cleared with null. */
  setFault(fault: Fault | null): void;
  /** "METHOD /path" of every request received, faults included. */
  readonly requests: string[];
}

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly motivo: Motivo,
  ) {
    super(motivo);
  }
}

type Handler = (ctx: {
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

function routes(port: ClinicPort): [string, RegExp, Handler][] {
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

async function readJson(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpProblem(413, 'solicitud_invalida');
    chunks.push(chunk);
  }
  if (size === 0) return {};
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through to the 400 below
  }
  throw new HttpProblem(400, 'solicitud_invalida');
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

/** Answers after `ms`: the request's effect happens at once, its response comes too late for the client. */
function lateBy(ms: number): typeof send {
  return (res, status, body) => {
    setTimeout(() => {
      if (!res.destroyed) send(res, status, body);
    }, ms).unref();
  };
}

/**
 * A reference implementation of docs/clinic-api.openapi.yaml over any
 * ClinicPort (usually the builtin one): the http adapter's contract tests run
 * against it, and pipeline tests or a dev setup can use it as a stand-in
 * clinic system, including injected faults.
 */
export function createContractServer(port: ClinicPort, opts: ContractServerOptions = {}): ContractServer {
  const table = routes(port);
  const requests: string[] = [];
  let fault: Fault | null = null;
  const limit = opts.maxBodyBytes ?? 16 * 1024;

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const line = `${req.method} ${url.pathname}`;
    requests.push(line);
    const playing = fault && (!fault.match || fault.match.test(line)) ? fault : null;
    if (playing?.times !== undefined && --playing.times <= 0) fault = null;
    if (playing?.kind === 'hang') return; // never answers; the client's deadline must fire
    if (playing?.kind === 'status') return send(res, playing.status, { motivo: 'no_disponible' });
    const answer = playing?.kind === 'late' ? lateBy(playing.afterMs) : send;
    if (opts.token && req.headers.authorization !== `Bearer ${opts.token}`) {
      return answer(res, 401, { motivo: 'no_autorizado' });
    }
    void (async () => {
      try {
        const matches = table.filter(([, pattern]) => pattern.test(url.pathname));
        if (matches.length === 0) throw new HttpProblem(404, 'no_encontrado');
        const route = matches.find(([method]) => method === req.method);
        if (!route) return answer(res, 405, { motivo: 'solicitud_invalida' });
        const params = route[1].exec(url.pathname)!.slice(1).map(decodeURIComponent);
        const body = req.method === 'POST' || req.method === 'PUT' ? await readJson(req, limit) : {};
        const header = req.headers['idempotency-key'];
        const [status, payload] = await route[2]({
          params,
          query: url.searchParams,
          body,
          idempotencyKey: typeof header === 'string' ? header : undefined,
        });
        answer(res, status, payload);
      } catch (err) {
        if (err instanceof HttpProblem) return answer(res, err.status, { motivo: err.motivo });
        answer(res, 500, { motivo: 'error_interno' });
      }
    })();
  });

  return {
    requests,
    setFault(next) {
      fault = next && { ...next };
    },
    listen(portNumber = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(portNumber, host, () => {
          const { port: bound } = server.address() as AddressInfo;
          resolve(`http://${host}:${bound}`);
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
