import { ConfigError, type Logger, type RedisClient } from '@medcita/shared';
import { BuiltinClinic } from './builtin/builtin-clinic.js';
import { loadSeedFile } from './builtin/seed-data.js';
import type { ClinicPort, Clock } from './clinic-port.js';
import { validateClinicConfig, type ClinicConfig } from './clinic-config.js';
import { CircuitBreaker, type BreakerState } from './http/circuit-breaker.js';
import { ClinicHttpClient } from './http/clinic-http-client.js';
import { HttpClinic } from './http/http-clinic.js';

export interface ClinicDeps {
  redis: RedisClient;
  logger: Logger;
  clock?: Clock;
  /** Tests may substitute fetch; production uses the global one. */
  fetch?: typeof fetch;
  /** For a breaker-state gauge; state changes are logged either way. */
  onBreakerStateChange?: (state: BreakerState) => void;
}

/**
 * Builds the port selected by CLINIC_BACKEND. Throws ConfigError listing
 * every problem (see validateClinicConfig), or when the seed file is invalid.
 */
export function createClinicBackend(config: ClinicConfig, deps: ClinicDeps): ClinicPort {
  const problems = validateClinicConfig(config);
  if (problems.length > 0) throw new ConfigError(problems);
  const logger = deps.logger.child({ component: 'clinic', backend: config.CLINIC_BACKEND });

  if (config.CLINIC_BACKEND === 'builtin') {
    let seed;
    try {
      seed = loadSeedFile(config.CLINIC_SEED_FILE);
    } catch (err) {
      throw new ConfigError([`CLINIC_SEED_FILE: ${(err as Error).message}`]);
    }
    return new BuiltinClinic({
      redis: deps.redis,
      seed,
      keyPrefix: config.CLINIC_KEY_PREFIX,
      timeZone: config.CLINIC_TIMEZONE,
      minLeadMinutes: config.SLOT_MIN_LEAD_MINUTES,
      logger,
      ...(deps.clock && { clock: deps.clock }),
    });
  }

  const breaker = new CircuitBreaker({
    failureThreshold: config.CLINIC_BREAKER_FAILURES,
    cooldownMs: config.CLINIC_BREAKER_COOLDOWN_MS,
    ...(deps.clock && { clock: deps.clock }),
    onStateChange: (from, to) => {
      logger[to === 'open' ? 'warn' : 'info']({ from, to }, 'clinic circuit breaker');
      deps.onBreakerStateChange?.(to);
    },
  });
  const client = new ClinicHttpClient({
    baseUrl: config.CLINIC_API_URL!,
    token: config.CLINIC_API_TOKEN,
    timeoutMs: config.CLINIC_TIMEOUT_MS,
    breaker,
    logger,
    ...(deps.fetch && { fetch: deps.fetch }),
  });
  return new HttpClinic(client, { minLeadMinutes: config.SLOT_MIN_LEAD_MINUTES, ...(deps.clock && { clock: deps.clock }) });
}
