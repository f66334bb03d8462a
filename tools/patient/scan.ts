import { Cluster } from 'ioredis';
import type { RedisClient } from '@medcita/shared';

/** Glob-escapes a literal for SCAN MATCH. */
export function globLiteral(s: string): string {
  return s.replace(/[*?[\]\\]/g, '\\$&');
}

/** Every key matching `pattern` (a SCAN glob; `*` is the only wildcard the callers use unescaped), on every master. */
export async function scanKeys(redis: RedisClient, pattern: string): Promise<string[]> {
  const match = pattern.split('*').map(globLiteral).join('*');
  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
  const keys = new Set<string>();
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, batch] = await node.scan(cursor, 'MATCH', match, 'COUNT', 1000);
      for (const k of batch) keys.add(k);
      cursor = next;
    } while (cursor !== '0');
  }
  return [...keys].sort();
}
