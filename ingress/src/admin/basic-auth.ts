import type { Logger } from '@medcita/shared';
import type { RequestHandler } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { LoginThrottle } from './login-throttle.js';

export interface BasicAuthOptions {
  user: string;
  password: string;
  realm: string;
  /** Failed attempts allowed per client address within `windowMs` before 429. */
  maxFailures: number;
  windowMs: number;
  /** Addresses tracked at most (bounded memory; oldest dropped first). */
  maxEntries?: number;
  logger: Logger;
  now?: () => number;
}

// Hashing first gives equal-length buffers, so the comparison time says nothing about the secret.
const digest = (s: string) => createHash('sha256').update(s).digest();
const same = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

/**
 * HTTP basic auth for Bull Board (its own protection, apart from operator
 * accounts). Failures are counted per client address in this process, in
 * bounded memory; `req.ip` only follows X-Forwarded-For through the proxies
 * TRUST_PROXY names.
 */
export function basicAuth(opts: BasicAuthOptions): RequestHandler {
  const throttle = new LoginThrottle({
    maxFailures: opts.maxFailures,
    windowMs: opts.windowMs,
    maxEntries: opts.maxEntries ?? 10_000,
    ...(opts.now ? { now: opts.now } : {}),
  });
  return (req, res, next) => {
    const ip = req.ip ?? 'unknown';
    const waitMs = throttle.retryAfterMs(ip);
    if (waitMs > 0) {
      res.setHeader('retry-after', String(Math.ceil(waitMs / 1000)));
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
        throttle.succeed(ip);
        next();
        return;
      }
      throttle.fail(ip);
      opts.logger.warn({ ip }, 'admin login failed');
    }
    res.setHeader('www-authenticate', `Basic realm="${opts.realm}", charset="UTF-8"`);
    res.status(401).json({ error: 'authentication required' });
  };
}
