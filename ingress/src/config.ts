import { readFileSync } from 'node:fs';
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
  str,
  url,
  type VarSpec,
} from '@medcita/shared';
import { parseOperators, type OperatorAccount } from './admin/operator-accounts.js';
import { trustProxy } from './admin/trust-proxy.js';
import { inboxSchema } from './inbox/inbox-config.js';

/** `OPERATORS`: validated at start; the accounts themselves are built by loadIngressConfig. */
const operatorsVar: VarSpec<string | undefined> = {
  doc: 'Operator accounts for the inbox: id:scrypt-hash pairs separated by commas (npm run operator:hash prints a hash)',
  secret: true,
  parse(raw) {
    if (raw === undefined || raw.trim() === '') return undefined;
    parseOperators(raw);
    return raw;
  },
};

export const ingressSchema = {
  ...commonSchema,
  WHATSAPP_APP_SECRET: str({ doc: 'Meta app secret; verifies X-Hub-Signature-256 of every webhook', secret: true }),
  WHATSAPP_APP_SECRET_PREVIOUS: optionalStr({
    doc: 'The app secret being rotated out: signatures made with it are accepted too until it is unset',
    secret: true,
  }),
  PORT: int({ default: 3000, min: 0, max: 65535, doc: 'Public HTTP port of the ingress (webhook, health, metrics)' }),
  WHATSAPP_VERIFY_TOKEN: str({ doc: 'Token Meta echoes in GET /webhook verification', secret: true }),
  KEY_PREFIX: keyPrefixVar,
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
  REDIS_ACK_REPLICAS: int({
    default: 1,
    min: 0,
    max: 16,
    doc: 'Replicas that must acknowledge (replica mode: at least 1; aof: replicas that must also fsync, 0 = local only)',
  }),
  REDIS_ACK_TIMEOUT_MS: int({
    default: 1_000,
    min: 10,
    max: 1_500,
    doc: 'How long a webhook waits for durability before answering 503 (below the Redis command timeout)',
  }),
  DEDUPE_TTL_SECONDS: int({
    default: 7 * 24 * 3600,
    min: 7 * 24 * 3600,
    doc: 'How long a delivered wamid is remembered to absorb redeliveries (Meta retries for days)',
  }),
  SESSION_HASH_KEY: optionalStr({ doc: SESSION_HASH_KEY_DOC, secret: true }),
  NODE_ENV: oneOf(['development', 'test', 'production'] as const, {
    default: 'development',
    doc: 'production marks the operator session cookie Secure (the admin port must then be reached over HTTPS)',
  }),
  ADMIN_PORT: int({
    default: 3001,
    min: 0,
    max: 65535,
    doc: 'HTTP port of the admin pages (operator inbox, Bull Board, handoff API); never expose it with the public webhook',
  }),
  ADMIN_AUTH: oneOf(['on', 'off'] as const, {
    default: 'on',
    doc: 'off serves the admin pages WITHOUT authentication (local development only); never inferred from NODE_ENV',
  }),
  TRUST_PROXY: trustProxy(
    'Proxies whose X-Forwarded-For is believed (sign-in limits per address): off, a hop count, or addresses/CIDRs; default off',
  ),
  ADMIN_ORIGIN: optionalOrigin(
    'Origin operators browse the admin pages from (e.g. https://admin.clinic.example); unset: the Origin must match the Host header',
  ),
  OPERATORS: operatorsVar,
  OPERATORS_FILE: optionalStr({ doc: 'File with one id:scrypt-hash per line (a mounted secret); adds to OPERATORS' }),
  ADMIN_SESSION_TTL_SECONDS: int({ default: 12 * 3600, min: 60, doc: 'Lifetime of an operator sign-in (absolute, not sliding)' }),
  ADMIN_USER: optionalStr({ doc: 'User for Bull Board at /admin/queues (HTTP basic auth, its own protection)' }),
  ADMIN_PASSWORD: optionalStr({ doc: 'Password for Bull Board', secret: true }),
  TURN_JOB_ATTEMPTS: turnJobAttemptsVar,
  ...inboxSchema,
} as const;

function optionalOrigin(doc: string): VarSpec<string | undefined> {
  const spec = url({ doc, protocols: ['http:', 'https:'] });
  return {
    doc,
    parse(raw) {
      if (raw === undefined || raw.trim() === '') return undefined;
      const value = spec.parse(raw);
      const u = new URL(value);
      if (u.pathname !== '/' || u.search || u.hash)
        throw new Error(`must be an origin (scheme://host[:port]) without a path, got "${raw}"`);
      return u.origin;
    },
  };
}

export type IngressConfig = ReturnType<typeof loadIngressConfig>;

export function loadIngressConfig(env: Record<string, string | undefined> = process.env) {
  const config = parseEnv(ingressSchema, env);
  const problems: string[] = [];
  if (config.WEBHOOK_HEADERS_TIMEOUT_MS > config.WEBHOOK_REQUEST_TIMEOUT_MS) {
    problems.push('WEBHOOK_HEADERS_TIMEOUT_MS must not exceed WEBHOOK_REQUEST_TIMEOUT_MS');
  }
  if (config.REDIS_ACK_DURABILITY === 'replica' && config.REDIS_ACK_REPLICAS < 1) {
    problems.push('REDIS_ACK_REPLICAS must be at least 1 with REDIS_ACK_DURABILITY=replica');
  }
  const operators: OperatorAccount[] = [];
  try {
    if (config.OPERATORS) operators.push(...parseOperators(config.OPERATORS));
  } catch (err) {
    problems.push(`OPERATORS ${(err as Error).message}`);
  }
  if (config.OPERATORS_FILE) {
    try {
      const fromFile = parseOperators(readFileSync(config.OPERATORS_FILE, 'utf8'));
      const dup = fromFile.find((a) => operators.some((o) => o.id === a.id));
      if (dup) throw new Error(`repeats operator "${dup.id}" of OPERATORS`);
      operators.push(...fromFile);
    } catch (err) {
      problems.push(
        `OPERATORS_FILE ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'names a file that does not exist' : (err as Error).message}`,
      );
    }
  }
  if (config.PORT !== 0 && config.ADMIN_PORT === config.PORT) {
    problems.push('ADMIN_PORT must differ from PORT: the admin pages never share the public webhook port');
  }
  const sessionHashKey = resolveSessionHashKey(config.SESSION_HASH_KEY, config.NODE_ENV, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({ ...config, SESSION_HASH_KEY: sessionHashKey, operators: Object.freeze<OperatorAccount[]>(operators) });
}
