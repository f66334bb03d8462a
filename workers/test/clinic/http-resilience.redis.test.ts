import { BuiltinClinic } from '../../src/clinic/builtin/builtin-clinic.js';
import { ClinicRequestError } from '../../src/clinic/errors/clinic-request-error.js';
import { ClinicUnavailableError } from '../../src/clinic/errors/clinic-unavailable-error.js';
import { CircuitBreaker } from '../../src/clinic/http/circuit-breaker.js';
import { ClinicHttpClient } from '../../src/clinic/http/clinic-http-client.js';
import { createContractServer, type ContractServer } from '@medcita/testkit/clinic';
import { HttpClinic } from '../../src/clinic/http/http-clinic.js';
import { connectTestRedis, deleteKeys, fixedClock, testSeed, uniquePrefix } from './clinic-test-kit.js';

const redis = connectTestRedis();
afterAll(async () => {
  await redis.quit();
});

const TOKEN = 'test-token';
const COOLDOWN_MS = 30_000;

describe('HttpClinic when the clinic backend is sick', () => {
  let prefix: string;
  let server: ContractServer;
  let baseUrl: string;
  let now: number;
  let breaker: CircuitBreaker;
  let port: HttpClinic;

  // Generous enough for a loaded CI machine; only the hanging cases ever wait it out.
  function clientFor(token = TOKEN, timeoutMs = 1_000) {
    return new ClinicHttpClient({ baseUrl, token, timeoutMs, breaker, backoffMs: 5 });
  }

  beforeEach(async () => {
    prefix = uniquePrefix();
    const backend = new BuiltinClinic({ redis, seed: testSeed(0), keyPrefix: prefix, timeZone: 'America/La_Paz', clock: fixedClock });
    await backend.seed(); // so no request below pays for the lazy first seeding
    server = createContractServer(backend, { token: TOKEN });
    baseUrl = await server.listen();
    now = 0;
    breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: COOLDOWN_MS, clock: () => now });
    port = new HttpClinic(clientFor());
  });

  afterEach(async () => {
    await server.close();
    await deleteKeys(redis, prefix);
  });

  const unavailable = (reason: string) => expect.objectContaining({ name: 'ClinicUnavailableError', reason });

  it('gives up with ClinicUnavailableError when the backend never answers', async () => {
    server.setFault({ kind: 'hang' });
    const call = port.listSpecialties();
    await expect(call).rejects.toBeInstanceOf(ClinicUnavailableError);
    await expect(call).rejects.toEqual(unavailable('timeout'));
  });

  it('retries a read that got a 500 and succeeds when the backend recovers', async () => {
    server.setFault({ kind: 'status', status: 500, times: 2 });
    expect(await port.listSpecialties()).toHaveLength(12);
    expect(server.requests).toEqual(Array(3).fill('GET /api/v1/especialidades'));
  });

  it('retries a POST that carries an Idempotency-Key, and books once', async () => {
    const { slots } = await port.listFreeSlots({ specialty: 'pediatria', page: 1, pageSize: 1 });
    server.setFault({ kind: 'status', status: 503, times: 1 });
    const result = await port.book({ slotId: slots[0]!.id, patientId: 'pac-001', holderId: 's1', idempotencyKey: 'turn-1' });
    expect(result.ok).toBe(true);
    expect(server.requests.filter((r) => r === 'POST /api/v1/citas')).toHaveLength(2);
    expect(await port.listAppointments('pac-001')).toHaveLength(1);
  });

  it('a booking answered too late times out, yet it was made: the look-up by its key finds it and a repeat books nothing new', async () => {
    const { slots } = await port.listFreeSlots({ specialty: 'pediatria', page: 1, pageSize: 1 });
    server.setFault({ kind: 'late', afterMs: 5_000, times: 1, match: /^POST \/api\/v1\/citas$/ });
    const request = { slotId: slots[0]!.id, patientId: 'pac-001', holderId: 's1', idempotencyKey: 'hold-1' };
    await expect(port.book(request)).rejects.toEqual(unavailable('timeout'));
    const found = await port.findBooking({ idempotencyKey: 'hold-1', patientId: 'pac-001' });
    expect(found?.slot.id).toBe(slots[0]!.id);
    expect(await port.book(request)).toEqual({ ok: true, appointment: found });
    expect(await port.listAppointments('pac-001')).toHaveLength(1);
  });

  it('never retries a POST without an Idempotency-Key', async () => {
    server.setFault({ kind: 'status', status: 500 });
    const call = clientFor().request({ method: 'POST', path: '/api/v1/citas', body: {} });
    await expect(call).rejects.toEqual(unavailable('server_error'));
    expect(server.requests).toEqual(['POST /api/v1/citas']);
  });

  it('opens the breaker after 3 failed calls and then fails fast without calling the backend', async () => {
    server.setFault({ kind: 'status', status: 500 });
    for (let i = 0; i < 3; i++) await expect(port.listSpecialties()).rejects.toEqual(unavailable('server_error'));
    expect(breaker.state).toBe('open');
    const seen = server.requests.length;
    await expect(port.listSpecialties()).rejects.toEqual(unavailable('circuit_open'));
    await expect(port.findPatientByDocument('1234567')).rejects.toEqual(unavailable('circuit_open'));
    expect(server.requests).toHaveLength(seen);
  });

  it('lets one trial call through after the cooldown and closes when it succeeds', async () => {
    server.setFault({ kind: 'status', status: 500 });
    for (let i = 0; i < 3; i++) await expect(port.listSpecialties()).rejects.toThrow(ClinicUnavailableError);
    server.setFault(null);
    now += COOLDOWN_MS - 1;
    await expect(port.listSpecialties()).rejects.toEqual(unavailable('circuit_open'));
    now += 1;
    expect(await port.listSpecialties()).toHaveLength(12);
    expect(breaker.state).toBe('closed');
    expect(await port.findPatientByDocument('1234567')).toEqual(expect.objectContaining({ id: 'pac-001' }));
  });

  it('reopens for another cooldown when the trial call fails', async () => {
    server.setFault({ kind: 'hang' });
    for (let i = 0; i < 3; i++) await expect(port.listSpecialties()).rejects.toEqual(unavailable('timeout'));
    now += COOLDOWN_MS;
    await expect(port.listSpecialties()).rejects.toEqual(unavailable('timeout'));
    expect(breaker.state).toBe('open');
    await expect(port.listSpecialties()).rejects.toEqual(unavailable('circuit_open'));
  });

  it('reports unhealthy instead of throwing while the backend is down', async () => {
    server.setFault({ kind: 'status', status: 502 });
    expect(await port.health()).toEqual(expect.objectContaining({ ok: false, backend: 'http' }));
  });

  it('treats a rejected token as a request error: not retried, not counted against the backend', async () => {
    const wrong = new HttpClinic(clientFor('wrong-token'));
    for (let i = 0; i < 4; i++) await expect(wrong.listSpecialties()).rejects.toBeInstanceOf(ClinicRequestError);
    expect(server.requests).toHaveLength(4);
    expect(breaker.state).toBe('closed');
  });
});
