import type { RedisClient } from '@medcita/shared';
import { Router } from 'express';

/** Liveness says the process answers; readiness says it can record a webhook (Redis answers). */
export function healthRoutes(redis: RedisClient): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      await redis.ping();
      res.json({ status: 'ready', redis: 'up' });
    } catch {
      res.status(503).json({ status: 'not ready', redis: 'down' });
    }
  });
  return router;
}
