import { commonSchema, ConfigError, int, oneOf, optionalStr, parseEnv, str } from '@medcita/shared';

export const ingressSchema = {
  ...commonSchema,
  WHATSAPP_APP_SECRET: str({ doc: 'Meta app secret; verifies X-Hub-Signature-256 of every webhook', secret: true }),
  WHATSAPP_APP_SECRET_PREVIOUS: optionalStr({
    doc: 'The app secret being rotated out: signatures made with it are accepted too until it is unset',
    secret: true,
  }),
  PORT: int({ default: 3000, min: 0, max: 65535, doc: 'HTTP port of the ingress' }),
  WHATSAPP_VERIFY_TOKEN: str({ doc: 'Token Meta echoes in GET /webhook verification', secret: true }),
  KEY_PREFIX: str({ default: 'mc', doc: 'Prefix of the per-session Redis keys (inbox, state, locks)' }),
  WEBHOOK_BODY_LIMIT_BYTES: int({
    default: 3 * 1024 * 1024,
    min: 1024,
    doc: 'Largest webhook body accepted (413 above it); Meta batches up to 1,000 updates',
  }),
  WEBHOOK_INFLIGHT_LIMIT_BYTES: int({
    default: 48 * 1024 * 1024,
    min: 64 * 1024,
    doc: 'Webhook body bytes all requests may hold at once (503 beyond it); bodies over 64 KiB may use three quarters of it',
  }),
  WEBHOOK_HEADERS_TIMEOUT_MS: int({ default: 10_000, min: 100, doc: 'Time a client has to send its request headers' }),
  WEBHOOK_REQUEST_TIMEOUT_MS: int({
    default: 30_000,
    min: 100,
    doc: 'Time a client has to send a whole request (headers and body); slower uploads are cut (408)',
  }),
  REDIS_ACK_DURABILITY: oneOf(['none', 'replica', 'aof'] as const, {
    default: 'none',
    doc: 'What a 200 to Meta waits for: none; replica (WAIT: the writes reached REDIS_ACK_REPLICAS replicas); aof (WAITAOF, Redis >= 7.2: fsynced locally and on REDIS_ACK_REPLICAS replicas). Not in time: 503',
  }),
  REDIS_ACK_REPLICAS: int({ default: 1, min: 0, max: 16, doc: 'Replicas that must acknowledge (replica mode: at least 1; aof: replicas that must also fsync, 0 = local only)' }),
  REDIS_ACK_TIMEOUT_MS: int({ default: 1_000, min: 10, max: 1_500, doc: 'How long a webhook waits for durability before answering 503 (below the Redis command timeout)' }),
  DEDUPE_TTL_SECONDS: int({
    default: 7 * 24 * 3600,
    min: 7 * 24 * 3600,
    doc: 'How long a delivered wamid is remembered to absorb redeliveries (Meta retries for days)',
  }),
  NODE_ENV: oneOf(['development', 'test', 'production'] as const, {
    default: 'development',
    doc: 'In production the admin pages are only mounted when ADMIN_USER and ADMIN_PASSWORD are set',
  }),
  ADMIN_USER: optionalStr({ doc: 'User for the admin pages (Bull Board at /admin/queues, /admin/handoffs), HTTP basic auth' }),
  ADMIN_PASSWORD: optionalStr({ doc: 'Password for the admin pages', secret: true }),
  TURN_JOB_ATTEMPTS: int({ default: 5, min: 1, doc: 'Attempts of a session-turn job before it is marked failed' }),
} as const;

export type IngressConfig = ReturnType<typeof loadIngressConfig>;

export function loadIngressConfig(env: Record<string, string | undefined> = process.env) {
  const config = parseEnv(ingressSchema, env);
  if (config.WEBHOOK_HEADERS_TIMEOUT_MS > config.WEBHOOK_REQUEST_TIMEOUT_MS) {
    throw new ConfigError(['WEBHOOK_HEADERS_TIMEOUT_MS must not exceed WEBHOOK_REQUEST_TIMEOUT_MS']);
  }
  if (config.REDIS_ACK_DURABILITY === 'replica' && config.REDIS_ACK_REPLICAS < 1) {
    throw new ConfigError(['REDIS_ACK_REPLICAS must be at least 1 with REDIS_ACK_DURABILITY=replica']);
  }
  return config;
}
