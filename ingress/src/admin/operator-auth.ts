import type { Logger } from '@medcita/shared';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { randomBytes } from 'node:crypto';
import { loginPage } from './login-page.js';
import { LoginThrottle } from './login-throttle.js';
import type { OperatorAccounts } from './operator-accounts.js';
import type { OperatorSessions } from './operator-sessions.js';
import { isStateChanging, readCookies, sameToken } from './request-guards.js';

export const SESSION_COOKIE = 'mc_admin';
const LOGIN_COOKIE = 'mc_login';
/** The operator id used when ADMIN_AUTH=off (development only). */
export const UNAUTHENTICATED_OPERATOR = 'dev';

export interface OperatorAuthOptions {
  accounts: OperatorAccounts;
  sessions: OperatorSessions;
  /** false only with ADMIN_AUTH=off. */
  required: boolean;
  secureCookies: boolean;
  logger: Logger;
  limits?: { perAccount?: number; perAddress?: number; windowMs?: number; maxEntries?: number };
  now?: () => number;
}

export interface OperatorLocals {
  operator: string;
  csrf: string;
}

export function operatorOf(res: Response): OperatorLocals {
  return res.locals as OperatorLocals;
}

/**
 * Sign-in with individual operator accounts → a session cookie (HttpOnly,
 * SameSite=Strict, Secure in production, path /admin). Failed sign-ins are
 * limited per account and per address in bounded memory (LoginThrottle).
 * Every state-changing request needs the session's CSRF token as well as an
 * Origin check (request-guards.ts, applied to the whole admin app).
 */
export class OperatorAuth {
  readonly perAccount: LoginThrottle;
  readonly perAddress: LoginThrottle;

  constructor(private readonly opts: OperatorAuthOptions) {
    const windowMs = opts.limits?.windowMs ?? 15 * 60_000;
    const maxEntries = opts.limits?.maxEntries ?? 10_000;
    const now = opts.now;
    this.perAccount = new LoginThrottle({ maxFailures: opts.limits?.perAccount ?? 5, windowMs, maxEntries, ...(now ? { now } : {}) });
    this.perAddress = new LoginThrottle({ maxFailures: opts.limits?.perAddress ?? 20, windowMs, maxEntries, ...(now ? { now } : {}) });
  }

  private cookie(res: Response, name: string, value: string, maxAgeSeconds: number): void {
    const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/admin', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAgeSeconds}`];
    if (this.opts.secureCookies) parts.push('Secure');
    res.append('set-cookie', parts.join('; '));
  }

  routes(): Router {
    const router = Router();
    router.get('/admin/login', async (req, res, next) => {
      try {
        if (await this.opts.sessions.get(readCookies(req)[SESSION_COOKIE])) {
          res.redirect(303, '/admin/inbox');
          return;
        }
        const token = randomBytes(18).toString('base64url');
        this.cookie(res, LOGIN_COOKIE, token, 3600);
        res.type('html').send(loginPage({ csrf: token }));
      } catch (err) {
        next(err);
      }
    });
    router.post('/admin/login', async (req, res, next) => {
      try {
        await this.signIn(req, res);
      } catch (err) {
        next(err);
      }
    });
    router.post('/admin/logout', this.require('page'), this.csrf(), async (req, res, next) => {
      try {
        await this.opts.sessions.destroy(readCookies(req)[SESSION_COOKIE]);
        this.cookie(res, SESSION_COOKIE, '', 0);
        this.opts.logger.info({ operator: operatorOf(res).operator }, 'operator signed out');
        res.redirect(303, '/admin/login');
      } catch (err) {
        next(err);
      }
    });
    return router;
  }

  private async signIn(req: Request, res: Response): Promise<void> {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const operator = typeof body.operator === 'string' ? body.operator.trim().slice(0, 64) : '';
    const password = typeof body.password === 'string' ? body.password.slice(0, 1024) : '';
    const loginToken = readCookies(req)[LOGIN_COOKIE];
    const fresh = () => {
      const token = randomBytes(18).toString('base64url');
      this.cookie(res, LOGIN_COOKIE, token, 3600);
      return token;
    };
    if (!sameToken(typeof body._csrf === 'string' ? body._csrf : undefined, loginToken)) {
      res
        .status(403)
        .type('html')
        .send(loginPage({ csrf: fresh(), operator, error: 'La página de ingreso caducó. Vuelve a intentarlo.' }));
      return;
    }
    const addressKey = `ip:${req.ip ?? 'unknown'}`;
    const accountKey = `acct:${operator.toLowerCase()}`;
    const waitMs = Math.max(this.perAddress.retryAfterMs(addressKey), this.perAccount.retryAfterMs(accountKey));
    if (waitMs > 0) {
      res.setHeader('retry-after', String(Math.ceil(waitMs / 1000)));
      res
        .status(429)
        .type('html')
        .send(loginPage({ csrf: fresh(), operator, error: 'Demasiados intentos fallidos. Espera unos minutos.' }));
      return;
    }
    if (operator === '' || !(await this.opts.accounts.verify(operator, password))) {
      this.perAddress.fail(addressKey);
      this.perAccount.fail(accountKey);
      this.opts.logger.warn({ ip: req.ip }, 'operator sign-in failed');
      res
        .status(401)
        .type('html')
        .send(loginPage({ csrf: fresh(), operator, error: 'Usuario o contraseña incorrectos.' }));
      return;
    }
    this.perAddress.succeed(addressKey);
    this.perAccount.succeed(accountKey);
    const { token } = await this.opts.sessions.create(operator);
    this.cookie(res, SESSION_COOKIE, token, this.opts.sessions.ttlSeconds);
    this.cookie(res, LOGIN_COOKIE, '', 0);
    this.opts.logger.info({ operator }, 'operator signed in');
    res.redirect(303, '/admin/inbox');
  }

  /**
   * Loads the signed-in operator into res.locals. Without a valid session a
   * page GET is sent to the sign-in form and anything else gets 401. With
   * ADMIN_AUTH=off a session for the "dev" operator is opened instead.
   */
  require(mode: 'page' | 'api'): RequestHandler {
    return async (req, res, next) => {
      try {
        const session = await this.opts.sessions.get(readCookies(req)[SESSION_COOKIE]);
        if (session) {
          Object.assign(res.locals, { operator: session.operator, csrf: session.csrf } satisfies OperatorLocals);
          next();
          return;
        }
        if (!this.opts.required) {
          const created = await this.opts.sessions.create(UNAUTHENTICATED_OPERATOR);
          this.cookie(res, SESSION_COOKIE, created.token, this.opts.sessions.ttlSeconds);
          Object.assign(res.locals, { operator: UNAUTHENTICATED_OPERATOR, csrf: created.session.csrf } satisfies OperatorLocals);
          next();
          return;
        }
        if (mode === 'page' && req.method === 'GET') {
          res.redirect(303, '/admin/login');
          return;
        }
        res.status(401).json({ error: 'sign in first' });
      } catch (err) {
        next(err);
      }
    };
  }

  /** State-changing requests must echo the session's CSRF token (form field `_csrf` or header `x-csrf-token`). */
  csrf(): RequestHandler {
    return (req, res, next) => {
      if (!isStateChanging(req)) {
        next();
        return;
      }
      const body = (req.body ?? {}) as Record<string, unknown>;
      const sent = req.get('x-csrf-token') ?? (typeof body._csrf === 'string' ? body._csrf : undefined);
      if (sameToken(sent, operatorOf(res).csrf)) {
        next();
        return;
      }
      res.status(403).json({ error: 'missing or wrong CSRF token' });
    };
  }
}
