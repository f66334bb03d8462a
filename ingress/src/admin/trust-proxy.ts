import { isIP } from 'node:net';
import type { VarSpec } from '@medcita/shared';

/** What Express's `trust proxy` gets: false, a hop count, or addresses/CIDRs. */
export type TrustProxy = false | number | string[];

const NAMED = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isCidrOrIp(entry: string): boolean {
  if (NAMED.has(entry)) return true;
  const [ip, bits, extra] = entry.split('/');
  if (extra !== undefined || !ip) return false;
  const family = isIP(ip);
  if (family === 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * `TRUST_PROXY`: off (default) uses the socket's address; a number trusts
 * that many proxy hops of X-Forwarded-For; a comma list of addresses/CIDRs
 * (or loopback, linklocal, uniquelocal) trusts only those proxies. Never
 * `true`: that would let any client pick its own address.
 */
export function trustProxy(doc: string): VarSpec<TrustProxy> {
  return {
    doc,
    parse(raw) {
      const value = raw?.trim() ?? '';
      if (value === '' || value === 'off' || value === 'false' || value === '0') return false;
      if (/^\d+$/.test(value)) {
        const hops = Number(value);
        if (hops > 10) throw new Error(`must be a hop count of at most 10, got ${hops}`);
        return hops;
      }
      const entries = value
        .split(',')
        .map((e) => e.trim())
        .filter(Boolean);
      const bad = entries.filter((e) => !isCidrOrIp(e));
      if (bad.length > 0 || entries.length === 0) {
        throw new Error(`must be off, a hop count, or addresses/CIDRs separated by commas; not understood: ${bad.join(', ') || value}`);
      }
      return entries;
    },
  };
}
