import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { HandoffStore, Logger } from '@medcita/shared';
import type { Queue } from 'bullmq';
import { Router, type RequestHandler } from 'express';
import { handoffRoutes } from '../routes/handoff.js';
import { basicAuth } from './basic-auth.js';

export interface AdminSettings {
  ADMIN_USER?: string | undefined;
  ADMIN_PASSWORD?: string | undefined;
  NODE_ENV: string;
}

export const BULL_BOARD_PATH = '/admin/queues';

/**
 * Operator pages: Bull Board over every queue, and the handoff endpoints.
 * With credentials they sit behind basic auth; in production without
 * credentials they are not mounted at all (and the start-up log says so); in
 * development without credentials they are open, with a warning.
 */
export function adminRoutes(
  settings: AdminSettings,
  deps: { queues: Queue[]; handoff: HandoffStore; logger: Logger },
): Router | null {
  const { logger } = deps;
  const hasCredentials = Boolean(settings.ADMIN_USER && settings.ADMIN_PASSWORD);
  if (!hasCredentials && settings.NODE_ENV === 'production') {
    logger.warn('admin pages (Bull Board, handoffs) NOT mounted: set ADMIN_USER and ADMIN_PASSWORD to enable them');
    return null;
  }
  let auth: RequestHandler;
  if (hasCredentials) {
    auth = basicAuth({
      user: settings.ADMIN_USER!,
      password: settings.ADMIN_PASSWORD!,
      realm: 'medcita admin',
      maxFailures: 10,
      windowMs: 5 * 60_000,
      logger,
    });
  } else {
    logger.warn('admin pages mounted WITHOUT authentication (no ADMIN_USER/ADMIN_PASSWORD, NODE_ENV is not production)');
    auth = (_req, _res, next) => next();
  }

  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({ queues: deps.queues.map((q) => new BullMQAdapter(q)), serverAdapter });

  const router = Router();
  router.use(BULL_BOARD_PATH, auth, serverAdapter.getRouter() as RequestHandler);
  router.use(handoffRoutes(deps.handoff, auth));
  return router;
}
