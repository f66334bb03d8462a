import type { Logger } from '@medcita/shared';
import type { RequestHandler } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';

export interface BasicAuthOptions {
  user: string;
  password: string;
  realm: string;
  /** Failed attempts allowed per client address within `windowMs` before 429. */
  maxFailures: number;
  windowMs: number;
  logger: Logger;
  now?: () => number;
}

// Hashing first gives equal-length buffers, so the comparison time says nothing about the secret.
const digest = (s: string) => createHash('sha256').update(s).digest();
const same = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

/**
 * HTTP basic auth for operator pages. Failures are counted per client address
 * in this process (operators are few; an attacker guessing passwords gets 429).
 */
export function basicAuth(opts: BasicAuthOptions): RequestHandler {
  const now = opts.now ?? Date.now;
  const failures = new Map<string, number[]>();
  const recent = (ip: string) => (failures.get(ip) ?? []).filter((t) => now() - t < opts.windowMs);
  return (req, res, next) => {
    const ip = req.ip ?? 'unknown';
    const fails = recent(ip);
    if (fails.length >= opts.maxFailures) {
      res.setHeader('retry-after', String(Math.ceil(opts.windowMs / 1000)));
      res.status(429).json({ error: 'too many failed logins, try again later' });
      return;
    }
    const header = req.get('authorization') ?? '';
    const [scheme, encoded] = header.split(' ');
    if (scheme === 'Basic' && encoded) {
      const decoded = Buffer.from(encoded, 'base64').toString('utf8');
      const sep = decoded.indexOf(':');
      const user = sep >= 0 ? decoded.slice(0, sep) : '';
      const password = sep >= 0 ? decoded.slice(sep + 1) : '';
      // Both compared every time: no early exit that would reveal a valid user name.
      const ok = [same(user, opts.user), same(password, opts.password)].every(Boolean);
      if (ok) {
        failures.delete(ip);
        next();
        return;
      }
      fails.push(now());
      failures.set(ip, fails);
      opts.logger.warn({ ip, failures: fails.length }, 'admin login failed');
    }
    res.setHeader('www-authenticate', `Basic realm="${opts.realm}", charset="UTF-8"`);
    res.status(401).json({ error: 'authentication required' });
  };
}
