import { DEFAULT_KEY_PREFIX } from '../redis/keys.js';
import { tracingSchema } from '../tracing/tracing-config.js';
import { bool, int, oneOf, optionalStr, str, url } from './env-schema.js';

/** Variables every process reads; each service extends this with its own. */
export const commonSchema = {
  REDIS_URL: url({
    default: 'redis://127.0.0.1:6379',
    protocols: ['redis:', 'rediss:'],
    doc: 'Redis for queues, inboxes, sessions and locks',
  }),
  REDIS_CLUSTER_NODES: optionalStr({
    doc: 'Comma-separated host:port seeds; when set, connect to Redis Cluster instead of REDIS_URL',
  }),
  QUEUE_PREFIX: str({ default: '{medcita}', doc: 'BullMQ key prefix (a {hash tag} keeps a queue in one cluster slot)' }),
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, {
    default: 'info',
    doc: 'pino log level',
  }),
  // Read by createLogger itself (it runs before and without a parsed config);
  // declared here so a bad value stops the process and the docs list it.
  LOG_PRETTY: bool({ default: true, doc: 'Pretty, coloured logs when stdout is a terminal; 0 keeps JSON even then' }),
  // Read by startTracing before the rest of the service loads; declared here so the service validates them too.
  ...tracingSchema,
} as const;

/** KEY_PREFIX, declared once: every process and tool reading the session and fleet keys (redis/keys.ts) takes it from here. */
export const keyPrefixVar = str({ default: DEFAULT_KEY_PREFIX, doc: 'Prefix of the per-session Redis keys (inbox, state, locks)' });

/** TURN_JOB_ATTEMPTS, declared once: the ingress schedules turns with it and the workers their follow-ups. */
export const turnJobAttemptsVar = int({ default: 5, min: 1, doc: 'Attempts of a session-turn job before it is marked failed' });
