// `npm run audit -- <wa_id | user_id> [--limit N]`: a user's recent turns from the audit stream.
import { keyPrefixVar, optionalStr, parseEnv, setSessionHashKey, url } from '@medcita/shared';
import { Redis } from 'ioredis';
import { formatAudit, sessionAudit } from './session-audit.js';

const args = process.argv.slice(2);
const user = args.find((a) => !a.startsWith('--'));
const limitIdx = args.indexOf('--limit');
const limit = limitIdx >= 0 ? Number(args[limitIdx + 1]) : 50;
if (!user || !Number.isInteger(limit) || limit <= 0) {
  process.stderr.write('usage: npm run audit -- <wa_id or user_id> [--limit N]\n');
  process.exit(2);
}
const config = parseEnv({
  REDIS_URL: url({ default: 'redis://127.0.0.1:6379', protocols: ['redis:', 'rediss:'], doc: 'Redis' }),
  KEY_PREFIX: keyPrefixVar,
  SESSION_HASH_KEY: optionalStr({ doc: "the workers' pseudonym key (the dev key when unset)", secret: true }),
});
// The audit stream names sessions by keyed pseudonyms: without the workers' key no record matches.
if (config.SESSION_HASH_KEY) setSessionHashKey(config.SESSION_HASH_KEY);
const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
try {
  await redis.connect();
  process.stdout.write(`${formatAudit(await sessionAudit(redis, config.KEY_PREFIX, user, limit))}\n`);
} catch (err) {
  process.stderr.write(`audit: ${(err as Error).message}\n`);
  process.exitCode = 1;
} finally {
  redis.disconnect();
}
