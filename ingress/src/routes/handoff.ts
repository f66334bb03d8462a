import { Router, type RequestHandler } from 'express';

/** What the routes need of the handoffs (the inbox service on the ingress, or shared/src/handoff: HandoffStore). */
export interface HandoffOperations {
  list(): Promise<{ sessionKey: string; reason: string; flaggedAt: number; expiresAt: number; assignee?: string }[]>;
  /** true released, false not handed off, 'held' another operator holds it. */
  release(sessionKey: string, operator?: string): Promise<boolean | 'held'>;
}

/**
 * JSON endpoints for human handoff, behind `auth` (on the admin port: an
 * operator session plus the CSRF token on POST): `GET /admin/handoffs` lists
 * flagged sessions, `POST /admin/handoffs/:sessionKey/release` (session key
 * URL-encoded) lets the bot answer that user again; their next message gets a
 * fresh greeting. The inbox pages (/admin/inbox) do the same for people.
 */
export function handoffRoutes(store: HandoffOperations, auth: RequestHandler): Router {
  const router = Router();
  router.get('/admin/handoffs', auth, async (_req, res, next) => {
    try {
      const handoffs = await store.list();
      res.json({
        handoffs: handoffs.map((h) => ({
          sessionKey: h.sessionKey,
          reason: h.reason,
          flaggedAt: new Date(h.flaggedAt).toISOString(),
          expiresAt: new Date(h.expiresAt).toISOString(),
          ...(h.assignee ? { assignee: h.assignee } : {}),
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
      const operator = typeof res.locals.operator === 'string' ? res.locals.operator : undefined;
      const released = await store.release(sessionKey, operator);
      res.status(released === 'held' ? 409 : released ? 200 : 404).json({ released: released === true });
    } catch (err) {
      next(err);
    }
  });
  return router;
}
