// `npm run patient:export -- <wa_id|document>` / `npm run patient:erase -- <wa_id|document>` (docs/operations.md, "Patient data requests").
import {
  commonSchema,
  ConfigError,
  connectRedis,
  DEFAULT_CLINIC_KEY_PREFIX,
  keyPrefixVar,
  optionalStr,
  parseEnv,
  resolveSessionHashKey,
  str,
  oneOf,
} from '@medcita/shared';
import { erase } from './erase.js';
import { exportDocument } from './export.js';
import { footprint } from './footprint.js';
import { identify, parseSubject, UsageError, type ToolSettings } from './identify.js';

const USAGE = 'usage: npm run patient:export -- <wa_id|document>\n       npm run patient:erase -- <wa_id|document>';

async function main(argv: string[]): Promise<number> {
  const [command, raw, ...extra] = argv;
  if (command !== 'export' && command !== 'erase') throw new UsageError(USAGE);
  if (extra.length > 0) throw new UsageError(`one person at a time; unexpected ${extra.join(' ')}`);
  const subject = parseSubject(raw);
  const config = parseEnv({
    ...commonSchema,
    KEY_PREFIX: keyPrefixVar,
    CLINIC_KEY_PREFIX: str({ default: DEFAULT_CLINIC_KEY_PREFIX, doc: 'builtin clinic store prefix' }),
    SESSION_HASH_KEY: optionalStr({ doc: "the fleet's pseudonym key", secret: true }),
    NODE_ENV: oneOf(['development', 'production', 'test'] as const, { default: 'development', doc: 'production needs SESSION_HASH_KEY' }),
  });
  const problems: string[] = [];
  const hashKey = resolveSessionHashKey(config.SESSION_HASH_KEY, config.NODE_ENV, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  const settings: ToolSettings = {
    keyPrefix: config.KEY_PREFIX,
    clinicKeyPrefix: config.CLINIC_KEY_PREFIX,
    queuePrefix: config.QUEUE_PREFIX,
    hashKey,
  };
  const redis = connectRedis(config, { role: 'blocking', connectionName: `patient-${command}` });
  try {
    const person = await identify(redis, subject, settings);
    const found = await footprint(redis, person, settings);
    const known = person.patientIds.length > 0 || found.keys.length > 0 || found.jobs.length > 0;
    if (command === 'export') {
      process.stdout.write(`${JSON.stringify(exportDocument(person, found), null, 2)}\n`);
      if (!known) process.stderr.write(`patient:export: nothing is held about ${subject}\n`);
      return 0;
    }
    if (!known) {
      process.stderr.write(`patient:erase: nothing is held about ${subject}; nothing erased\n`);
      return 1;
    }
    const counts = await erase(redis, person, settings);
    process.stdout.write(`${JSON.stringify({ erased: subject, ...counts })}\n`);
    if (counts.jobsRunning > 0)
      process.stderr.write(`patient:erase: ${counts.jobsRunning} job(s) were running; run erase again once they finish\n`);
    return 0;
  } finally {
    redis.disconnect();
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  if (err instanceof UsageError || err instanceof ConfigError) {
    process.stderr.write(`patient: ${err.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`patient: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
