import { DEFAULT_KEY_PREFIX, fleetKeys } from '@medcita/shared';
import type { Redis } from 'ioredis';

export type AuditRecord = Record<string, string>;

/**
 * All turn records of the audit stream, oldest first. A record is published
 * at least once (from the session's outbox), so one seen twice with the same
 * `rid` is one commit and counts once; two commits always differ in `rid`.
 */
export async function readAudit(redis: Redis, key = fleetKeys(DEFAULT_KEY_PREFIX).audit): Promise<AuditRecord[]> {
  const entries = await redis.xrange(key, '-', '+');
  const seen = new Set<string>();
  const records: AuditRecord[] = [];
  for (const [, fields] of entries) {
    const rec: AuditRecord = {};
    for (let i = 0; i < fields.length; i += 2) rec[fields[i]!] = fields[i + 1]!;
    if (rec.rid !== undefined && seen.has(rec.rid)) continue;
    if (rec.rid !== undefined) seen.add(rec.rid);
    records.push(rec);
  }
  return records;
}

/** How many committed turns consumed each wamid. */
export function turnsPerWamid(records: AuditRecord[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of records) {
    for (const id of (r.wamids ?? '').split(',').filter(Boolean)) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/**
 * Turns of each session whose run started before the previous one ended
 * (docs/product.md, invariant 3, says none may): returns the session hashes with overlaps, and
 * how many sessions had turns at all.
 */
export function overlappingTurns(records: AuditRecord[]): { sessions: number; overlapping: string[] } {
  const bySession = new Map<string, { start: number; end: number }[]>();
  for (const rec of records) {
    const list = bySession.get(rec.session!) ?? [];
    list.push({ start: Number(rec.startedAt), end: Number(rec.endedAt) });
    bySession.set(rec.session!, list);
  }
  const overlapping = [...bySession].filter(([, turns]) => {
    turns.sort((a, b) => a.start - b.start);
    return turns.some((t, i) => i > 0 && t.start < turns[i - 1]!.end);
  });
  return { sessions: bySession.size, overlapping: overlapping.map(([s]) => s) };
}
