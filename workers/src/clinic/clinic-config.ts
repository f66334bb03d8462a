import { existsSync } from 'node:fs';
import { int, oneOf, optionalStr, str, type ConfigOf } from '@medcita/shared';
import { DEFAULT_KEY_PREFIX } from './builtin/keys.js';
import { assertTimeZone } from './builtin/zoned-time.js';

/** Environment variables of the clinic backend; merge into the worker's schema. */
export const clinicSchema = {
  CLINIC_BACKEND: oneOf(['builtin', 'http'] as const, {
    default: 'builtin',
    doc: 'Clinic scheduling backend: builtin (Redis demo store) or http (REST contract, docs/clinic-api.openapi.yaml)',
  }),
  CLINIC_API_URL: optionalStr({ doc: 'Base URL of the clinic REST API (required when CLINIC_BACKEND=http), without /api/v1' }),
  CLINIC_API_TOKEN: optionalStr({ doc: 'Bearer token for the clinic REST API (required when CLINIC_BACKEND=http)', secret: true }),
  CLINIC_TIMEOUT_MS: int({
    default: 2500,
    min: 100,
    max: 60_000,
    doc: 'Budget for one clinic API call including retries; past it the patient gets "intenta más tarde"',
  }),
  CLINIC_BREAKER_FAILURES: int({ default: 5, min: 1, doc: 'Consecutive failed clinic API calls that open the circuit breaker' }),
  CLINIC_BREAKER_COOLDOWN_MS: int({
    default: 30_000,
    min: 100,
    doc: 'How long an open breaker fails fast before one trial call is let through',
  }),
  SLOT_HOLD_SECONDS: int({ default: 300, min: 30, max: 3600, doc: 'How long a chosen slot stays held while the patient confirms' }),
  SLOT_MIN_LEAD_MINUTES: int({
    default: 120,
    min: 0,
    max: 7 * 24 * 60,
    doc: 'No slot starting sooner than this many minutes from now is offered, held or booked',
  }),
  CLINIC_TIMEZONE: str({
    default: 'America/La_Paz',
    doc: 'IANA time zone of the clinics (builtin slot schedules, dates shown to patients)',
  }),
  CLINIC_SEED_FILE: optionalStr({ doc: 'JSON seed for the builtin backend; defaults to the bundled demo clinics' }),
  CLINIC_KEY_PREFIX: str({
    default: DEFAULT_KEY_PREFIX,
    doc: 'Redis key prefix of the builtin store; must contain a {hash tag} (one cluster slot)',
  }),
} as const;

export type ClinicConfig = ConfigOf<typeof clinicSchema>;

/** Checks that need more than one variable or the outside world; returns every problem found. */
export function validateClinicConfig(cfg: ClinicConfig): string[] {
  const problems: string[] = [];
  if (cfg.CLINIC_BACKEND === 'http') {
    if (!cfg.CLINIC_API_URL) problems.push('CLINIC_API_URL is required when CLINIC_BACKEND=http');
    else if (!/^https?:$/.test(safeProtocol(cfg.CLINIC_API_URL))) {
      problems.push(`CLINIC_API_URL must be an http(s) URL, got "${cfg.CLINIC_API_URL}"`);
    }
    if (!cfg.CLINIC_API_TOKEN) problems.push('CLINIC_API_TOKEN is required when CLINIC_BACKEND=http');
  }
  try {
    assertTimeZone(cfg.CLINIC_TIMEZONE);
  } catch {
    problems.push(`CLINIC_TIMEZONE must be an IANA time zone, got "${cfg.CLINIC_TIMEZONE}"`);
  }
  if (!/\{[^{}]+\}/.test(cfg.CLINIC_KEY_PREFIX)) {
    problems.push(`CLINIC_KEY_PREFIX must contain a {hash tag}, got "${cfg.CLINIC_KEY_PREFIX}"`);
  }
  if (cfg.CLINIC_BACKEND === 'builtin' && cfg.CLINIC_SEED_FILE && !existsSync(cfg.CLINIC_SEED_FILE)) {
    problems.push(`CLINIC_SEED_FILE does not exist: ${cfg.CLINIC_SEED_FILE}`);
  }
  return problems;
}

function safeProtocol(value: string): string {
  try {
    return new URL(value).protocol;
  } catch {
    return '';
  }
}
