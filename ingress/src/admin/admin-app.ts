import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Logger, RedisClient } from '@medcita/shared';
import type { Queue } from 'bullmq';
import express, { type ErrorRequestHandler, type Express, type RequestHandler, type Router } from 'express';
import { healthRoutes } from '../routes/health.js';
import { basicAuth } from './basic-auth.js';
import { OperatorAccounts, type OperatorAccount } from './operator-accounts.js';
import { OperatorAuth } from './operator-auth.js';
import { OperatorSessions } from './operator-sessions.js';
import { originGuard } from './request-guards.js';
import type { TrustProxy } from './trust-proxy.js';

export const BULL_BOARD_PATH = '/admin/queues';

export interface AdminSettings {
  ADMIN_AUTH: 'on' | 'off';
  ADMIN_USER?: string | undefined;
  ADMIN_PASSWORD?: string | undefined;
  ADMIN_ORIGIN?: string | undefined;
  ADMIN_SESSION_TTL_SECONDS: number;
  TRUST_PROXY: TrustProxy;
  NODE_ENV: string;
  KEY_PREFIX: string;
  operators: readonly OperatorAccount[];
}

export interface AdminDeps {
  redis: RedisClient;
  queues: Queue[];
  logger: Logger;
  /** Operator pages and APIs, mounted behind the operator session; `auth` gives them the guards. */
  mount?: (auth: OperatorAuth) => Router[];
  now?: () => number;
}

/**
 * The admin port's app: operator sign-in, the inbox and handoff API behind
 * operator sessions, Bull Board behind its own basic auth. Every
 * state-changing request passes an Origin check; cookie-authenticated ones
 * also need the CSRF token. Nothing is served unauthenticated unless
 * ADMIN_AUTH=off was set explicitly.
 */
export function createAdminApp(settings: AdminSettings, deps: AdminDeps): Express {
  const { logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', settings.TRUST_PROXY);
  app.use(healthRoutes(deps.redis));
  app.use(originGuard(settings.ADMIN_ORIGIN));
  app.use('/admin', express.urlencoded({ extended: false, limit: '32kb' }), express.json({ limit: '32kb' }));

  const authOff = settings.ADMIN_AUTH === 'off';
  if (authOff) logger.warn('ADMIN_AUTH=off: admin pages are served WITHOUT authentication; never do this outside local development');

  const auth = new OperatorAuth({
    accounts: new OperatorAccounts([...settings.operators]),
    sessions: new OperatorSessions(deps.redis, {
      keyPrefix: settings.KEY_PREFIX,
      ttlSeconds: settings.ADMIN_SESSION_TTL_SECONDS,
      ...(deps.now ? { now: deps.now } : {}),
    }),
    required: !authOff,
    secureCookies: settings.NODE_ENV === 'production',
    logger,
    ...(deps.now ? { now: deps.now } : {}),
  });
  if (!authOff && settings.operators.length === 0) {
    logger.warn(
      'operator inbox NOT served: set OPERATORS or OPERATORS_FILE (npm run operator:hash), or ADMIN_AUTH=off for local development',
    );
  } else {
    app.use(auth.routes());
    for (const router of deps.mount?.(auth) ?? []) app.use(router);
    app.get(['/', '/admin'], (_req, res) => res.redirect(303, '/admin/inbox'));
  }

  const hasBasic = Boolean(settings.ADMIN_USER && settings.ADMIN_PASSWORD);
  if (hasBasic || authOff) {
    const guard: RequestHandler = hasBasic
      ? basicAuth({
          user: settings.ADMIN_USER!,
          password: settings.ADMIN_PASSWORD!,
          realm: 'medcita admin',
          maxFailures: 10,
          windowMs: 5 * 60_000,
          logger,
          ...(deps.now ? { now: deps.now } : {}),
        })
      : (_req, _res, next) => next();
    const serverAdapter = new ExpressAdapter();
    serverAdapter.setBasePath(BULL_BOARD_PATH);
    // The workers record BullMQ's per-minute metrics (WORKER_METRICS); showMetrics charts them on each queue's page.
    createBullBoard({ queues: deps.queues.map((q) => new BullMQAdapter(q)), serverAdapter, options: { uiConfig: { showMetrics: true } } });
    app.use(BULL_BOARD_PATH, guard, serverAdapter.getRouter() as RequestHandler);
  } else {
    logger.warn('Bull Board NOT mounted: set ADMIN_USER and ADMIN_PASSWORD to enable it');
  }

  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    const raw = (err as { status?: unknown } | undefined)?.status;
    const status = typeof raw === 'number' ? raw : 500;
    if (status >= 400 && status < 500) {
      res.status(status).json({ error: status === 413 ? 'request too large' : 'bad request' });
      return;
    }
    logger.error({ err }, 'unhandled admin error');
    res.status(500).json({ error: 'internal error' });
  };
  app.use(onError);
  return app;
}
