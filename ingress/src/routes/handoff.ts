import { Router, type RequestHandler } from 'express';

/** What the routes need of the handoff store (shared/src/handoff: HandoffStore). */
export interface HandoffOperations {
  list(): Promise<{ sessionKey: string; reason: string; flaggedAt: number; expiresAt: number }[]>;
  release(sessionKey: string): Promise<boolean>;
}

/**
 * Operator endpoints for human handoff, behind `auth` (basic auth on the
 * ingress): `GET /admin/handoffs` lists flagged sessions, `POST
 * /admin/handoffs/:sessionKey/release` (session key URL-encoded) lets the bot
 * answer that user again; their next message gets a fresh greeting.
 */
export function handoffRoutes(store: HandoffOperations, auth: RequestHandler): Router {
  const router = Router();
  router.get('/admin/handoffs', auth, async (_req, res, next) => {
    try {
      const handoffs = await store.list();
      res.json({
        handoffs: handoffs.map((h) => ({
          ...h,
          flaggedAt: new Date(h.flaggedAt).toISOString(),
          expiresAt: new Date(h.expiresAt).toISOString(),
        })),
      });
    } catch (err) {
      next(err);
    }
  });
  router.post('/admin/handoffs/:sessionKey/release', auth, async (req, res, next) => {
    try {
      // Express already decoded the path segment ("123%3A591…" → "123:591…").
      const sessionKey = String(req.params.sessionKey ?? '');
      const released = await store.release(sessionKey);
      res.status(released ? 200 : 404).json({ released });
    } catch (err) {
      next(err);
    }
  });
  return router;
}
