import type { Request, RequestHandler } from 'express';
import { timingSafeEqual } from 'node:crypto';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isStateChanging(req: Request): boolean {
  return !SAFE_METHODS.has(req.method);
}

function hostOf(value: string): string | null {
  try {
    return new URL(value).host;
  } catch {
    return null;
  }
}

/**
 * Where a browser says a request comes from must be these pages: the Origin
 * (or, failing it, the Referer) must equal `allowedOrigin`, or without one the
 * Host the request was sent to. A request with neither header and no
 * `Sec-Fetch-Site` comes from a non-browser client, which cross-site forgery
 * cannot drive; cookie-authenticated routes also need the CSRF token.
 */
export function sameOrigin(req: Request, allowedOrigin: string | undefined): boolean {
  const origin = req.get('origin');
  const source = origin ?? req.get('referer');
  if (source !== undefined) {
    if (source === 'null') return false;
    if (allowedOrigin) {
      try {
        return new URL(source).origin === allowedOrigin;
      } catch {
        return false;
      }
    }
    const host = hostOf(source);
    return host !== null && host === req.get('host');
  }
  const site = req.get('sec-fetch-site');
  return site === undefined || site === 'same-origin' || site === 'none';
}

/** Refuses every state-changing request whose Origin is not the admin pages'. */
export function originGuard(allowedOrigin: string | undefined): RequestHandler {
  return (req, res, next) => {
    if (!isStateChanging(req) || sameOrigin(req, allowedOrigin)) {
      next();
      return;
    }
    res.status(403).type('text/plain').send('cross-origin request refused');
  };
}

export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Cookie header → name/value pairs (only what these pages set; no dependency for it). */
export function readCookies(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    try {
      out[name] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      // A malformed value is simply not ours.
    }
  }
  return out;
}
