import { buildSessionKey, fleetKeys, sessionHash } from '@medcita/shared';
import type { Redis } from 'ioredis';

export type AuditEntry = { id: string; fields: Record<string, string> };

/** Turn records of one WhatsApp user (wa_id or BSUID), newest last, across every business number seen. */
export async function sessionAudit(redis: Redis, keyPrefix: string, user: string, limit = 50): Promise<AuditEntry[]> {
  const entries = (await redis.xrevrange(fleetKeys(keyPrefix).audit, '+', '-', 'COUNT', 100_000)).map(([id, flat]) => {
    const fields: Record<string, string> = {};
    for (let i = 0; i < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!;
    return { id, fields };
  });
  const businesses = new Set(entries.map((e) => e.fields.business).filter(Boolean));
  const hashes = new Set([...businesses].map((b) => sessionHash(buildSessionKey(b!, undefined, user))));
  // A record may have been published twice after a crash (same rid): show it once.
  const seen = new Set<string>();
  const unique = entries.filter((e) => {
    const rid = e.fields.rid;
    if (rid === undefined) return true;
    if (seen.has(rid)) return false;
    seen.add(rid);
    return true;
  });
  return unique
    .filter((e) => hashes.has(e.fields.session!))
    .slice(0, limit)
    .reverse();
}

const RESERVED = new Set([
  'rid',
  'session',
  'business',
  'turn',
  'wamids',
  'attempt',
  'messages',
  'replies',
  'startedAt',
  'endedAt',
  'acceptedAt',
  'outcome',
]);

/** One line per turn, for support staff. */
export function formatAudit(entries: AuditEntry[]): string {
  if (entries.length === 0) return 'no turns recorded for that user (the audit keeps 7 days by default)';
  return entries
    .map(({ fields: f }) => {
      const at = new Date(Number(f.startedAt)).toISOString();
      const ms = Number(f.endedAt) - Number(f.startedAt);
      const extra = Object.entries(f)
        .filter(([k]) => !RESERVED.has(k))
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
      return `${at}  ${f.outcome?.padEnd(12)} in=${f.messages} out=${f.replies} ${ms}ms attempt=${f.attempt}  ${extra}`;
    })
    .join('\n');
}
