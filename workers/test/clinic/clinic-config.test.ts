import { ConfigError, createLogger, parseEnv } from '@medcita/shared';
import { BuiltinClinic } from '../../src/clinic/builtin/builtin-clinic.js';
import { clinicSchema, validateClinicConfig } from '../../src/clinic/clinic-config.js';
import { createClinicBackend } from '../../src/clinic/create-clinic-backend.js';
import type { ClinicPort } from '../../src/clinic/clinic-port.js';
import { ClinicUnavailableError } from '../../src/clinic/errors/clinic-unavailable-error.js';
import { createContractServer } from '@medcita/testkit/clinic';
import { HttpClinic } from '../../src/clinic/http/http-clinic.js';
import { connectTestRedis } from './clinic-test-kit.js';

const redis = connectTestRedis();
afterAll(async () => {
  await redis.quit();
});
const logger = createLogger({ level: 'silent', service: 'test' });

describe('clinic configuration', () => {
  it('defaults to the builtin backend with 5-minute holds in La Paz time', () => {
    const cfg = parseEnv(clinicSchema, {});
    expect(cfg).toEqual(expect.objectContaining({ CLINIC_BACKEND: 'builtin', SLOT_HOLD_SECONDS: 300, CLINIC_TIMEZONE: 'America/La_Paz' }));
    expect(validateClinicConfig(cfg)).toEqual([]);
    expect(createClinicBackend(cfg, { redis, logger })).toBeInstanceOf(BuiltinClinic);
  });

  it('requires the API URL and token for the http backend, naming both', () => {
    const cfg = parseEnv(clinicSchema, { CLINIC_BACKEND: 'http' });
    expect(validateClinicConfig(cfg)).toEqual([
      'CLINIC_API_URL is required when CLINIC_BACKEND=http',
      'CLINIC_API_TOKEN is required when CLINIC_BACKEND=http',
    ]);
    expect(() => createClinicBackend(cfg, { redis, logger })).toThrow(ConfigError);
  });

  it('builds the http backend when configured', () => {
    const cfg = parseEnv(clinicSchema, {
      CLINIC_BACKEND: 'http',
      CLINIC_API_URL: 'https://clinic.example/',
      CLINIC_API_TOKEN: 'secret',
    });
    expect(createClinicBackend(cfg, { redis, logger })).toBeInstanceOf(HttpClinic);
  });

  it('applies the configured timeout and breaker threshold to the http backend', async () => {
    const server = createContractServer({} as ClinicPort);
    server.setFault({ kind: 'hang' });
    const states: string[] = [];
    try {
      const cfg = parseEnv(clinicSchema, {
        CLINIC_BACKEND: 'http',
        CLINIC_API_URL: await server.listen(),
        CLINIC_API_TOKEN: 'secret',
        CLINIC_TIMEOUT_MS: '1000', // long enough for the request to reach the server on a loaded machine
        CLINIC_BREAKER_FAILURES: '1',
      });
      const port = createClinicBackend(cfg, { redis, logger, onBreakerStateChange: (s) => states.push(s) });
      await expect(port.listSpecialties()).rejects.toEqual(expect.objectContaining({ reason: 'timeout' }));
      await expect(port.listSpecialties()).rejects.toEqual(expect.objectContaining({ reason: 'circuit_open' }));
      await expect(port.listSpecialties()).rejects.toBeInstanceOf(ClinicUnavailableError);
      expect(states).toEqual(['open']);
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('rejects an unknown time zone, a prefix without hash tag and a missing seed file', () => {
    const cfg = parseEnv(clinicSchema, {
      CLINIC_TIMEZONE: 'America/Atlantis',
      CLINIC_KEY_PREFIX: 'clinic',
      CLINIC_SEED_FILE: '/nonexistent/seed.json',
    });
    expect(validateClinicConfig(cfg)).toHaveLength(3);
  });
});
