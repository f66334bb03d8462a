import {
  commonSchema,
  keyPrefixVar,
  turnJobAttemptsVar,
  ConfigError,
  int,
  oneOf,
  optionalStr,
  parseEnv,
  resolveSessionHashKey,
  SESSION_HASH_KEY_DOC,
  type ConfigOf,
} from '@medcita/shared';
import { clinicSchema } from './clinic/index.js';
import { dialogSchema } from './dialog/dialog-config.js';
import { nluConfigSchema } from './nlu/index.js';
import { graphEnvSchema } from './whatsapp/graph-env.js';
import { remindersSchema, validateRemindersConfig } from './reminders/reminder-config.js';
import { workerHandoffSchema } from './handoff/handoff-config.js';
import { identityAlertSchema, validateIdentityAlertConfig } from './identity-alert/identity-alert-config.js';

export const pipelineSchema = {
  ...commonSchema,
  KEY_PREFIX: keyPrefixVar,
  TURN_JOB_ATTEMPTS: turnJobAttemptsVar,
  SESSION_TTL_SECONDS: int({ default: 1800, min: 60, doc: 'Idle time after which a conversation expires' }),
  WORKER_CONCURRENCY: int({ default: 8, min: 1, max: 512, doc: 'Turns one worker process runs at once (different sessions)' }),
  METRICS_PORT: int({ default: 9464, min: 0, max: 65535, doc: 'Worker HTTP port for /metrics, /healthz, /readyz' }),
  SESSION_LOCK_TTL_MS: int({
    default: 30_000,
    min: 1_000,
    doc: 'Session lock lifetime; extended while a turn runs, so a dead worker frees a session after at most this',
  }),
  JOB_STALLED_INTERVAL_MS: int({ default: 30_000, min: 500, doc: 'How often BullMQ looks for jobs of dead workers' }),
  TURN_MAX_BATCH: int({ default: 20, min: 1, doc: 'Most rapid-fire messages coalesced into one turn' }),
  TURN_MAX_ATTEMPTS: int({ default: 5, min: 1, doc: 'Failures of one batch before it is answered with an apology and set aside' }),
  SESSION_RATE_LIMIT_PER_MINUTE: int({
    default: 10,
    min: 0,
    doc: 'Messages a session may send per minute; the excess waits, in order, for the window (up to as many again; beyond that the user is told the newest were not read); 0 = off',
  }),
  HISTORY_CAP: int({ default: 20, min: 1, doc: 'Messages kept in a session history' }),
  AUDIT_MAX_AGE_DAYS: int({ default: 7, min: 1, doc: 'Age cap of the turn audit stream' }),
  NODE_ENV: oneOf(['development', 'test', 'production'] as const, {
    default: 'development',
    doc: 'In production SESSION_HASH_KEY is required',
  }),
  SESSION_HASH_KEY: optionalStr({ doc: SESSION_HASH_KEY_DOC, secret: true }),
} as const;

export type PipelineConfig = ConfigOf<typeof pipelineSchema>;

/** Everything a worker process reads from its environment. */
export const workerSchema = {
  ...pipelineSchema,
  ...graphEnvSchema,
  ...nluConfigSchema,
  ...clinicSchema,
  ...dialogSchema,
  ...remindersSchema,
  ...workerHandoffSchema,
  ...identityAlertSchema,
} as const;
export type WorkerConfig = Omit<ConfigOf<typeof workerSchema>, 'SESSION_HASH_KEY'> & { SESSION_HASH_KEY: string };

export function loadWorkerConfig(env: Record<string, string | undefined> = process.env): WorkerConfig {
  const config = parseEnv(workerSchema, env);
  const problems = [...validateRemindersConfig(config), ...validateIdentityAlertConfig(config)];
  const key = resolveSessionHashKey(config.SESSION_HASH_KEY, config.NODE_ENV, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return { ...config, SESSION_HASH_KEY: key };
}
