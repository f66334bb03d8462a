import { Router, type Request, type RequestHandler, type Response } from 'express';
import { PAGE_HEADERS } from '../admin/html.js';
import { operatorOf, type OperatorAuth } from '../admin/operator-auth.js';
import { closedPage, conversationPage, conversationUrl, conversationView, listFragment, listPage } from './inbox-pages.js';
import { INBOX_CSS, INBOX_JS } from './inbox-assets.js';
import type { ActionResult, InboxService } from './inbox-service.js';
import type { VersionWatcher } from './version-watcher.js';

export interface InboxRoutesDeps {
  inbox: InboxService;
  watcher: VersionWatcher;
  version: () => Promise<string>;
  timeZone: string;
  now?: () => number;
}

const wrap =
  (fn: (req: Request, res: Response) => Promise<void>): RequestHandler =>
  (req, res, next) => {
    fn(req, res).catch(next);
  };

const wantsJson = (req: Request) => (req.get('accept') ?? '').includes('application/json');

/** The operator inbox: list, conversation, live updates and the operators' actions (docs/operations.md). */
export function inboxRoutes(auth: OperatorAuth, deps: InboxRoutesDeps): Router {
  const now = deps.now ?? Date.now;
  const router = Router();
  router.get('/admin/assets/inbox.js', (_req, res) => {
    res.type('application/javascript').set('cache-control', 'no-cache').send(INBOX_JS);
  });
  router.get('/admin/assets/inbox.css', (_req, res) => {
    res.type('text/css').set('cache-control', 'no-cache').send(INBOX_CSS);
  });

  const page = auth.require('page');
  const guard = [page, auth.csrf()];
  const key = (req: Request) => String(req.params.sessionKey ?? '');

  router.get(
    '/admin/inbox',
    page,
    wrap(async (_req, res) => {
      const { operator, csrf } = operatorOf(res);
      res
        .set(PAGE_HEADERS)
        .type('html')
        .send(listPage(await deps.inbox.list(), now(), operator, csrf));
    }),
  );
  router.get(
    '/admin/inbox/live',
    auth.require('api'),
    wrap(async (_req, res) => {
      const version = await deps.version();
      const rows = await deps.inbox.list();
      res.set('cache-control', 'no-store').json({ version, parts: { live: listFragment(rows, now(), operatorOf(res).operator) } });
    }),
  );
  router.get('/admin/inbox/events', auth.require('api'), (_req, res) => deps.watcher.subscribe(res));

  const render = async (req: Request, res: Response, status = 200, error?: string) => {
    const { operator, csrf } = operatorOf(res);
    const c = await deps.inbox.conversation(key(req));
    res.set(PAGE_HEADERS).type('html');
    if (!c) {
      res.status(error ? status : 404).send(closedPage(operator, csrf));
      return;
    }
    res.status(status).send(conversationPage(conversationView(c, now(), operator, csrf, deps.timeZone), key(req), operator, csrf, error));
  };
  router.get(
    '/admin/inbox/c/:sessionKey',
    page,
    wrap((req, res) => render(req, res)),
  );
  router.get(
    '/admin/inbox/c/:sessionKey/live',
    auth.require('api'),
    wrap(async (req, res) => {
      const { operator, csrf } = operatorOf(res);
      const version = await deps.version();
      const c = await deps.inbox.conversation(key(req));
      if (!c) {
        res.status(404).json({ error: 'no longer handed off' });
        return;
      }
      const v = conversationView(c, now(), operator, csrf, deps.timeZone);
      res
        .set('cache-control', 'no-store')
        .json({ version, parts: { header: v.header, messages: v.messages }, actions: v.actions, actionsKey: v.actionsKey });
    }),
  );

  const answer = async (req: Request, res: Response, result: ActionResult, after: string) => {
    if (wantsJson(req)) {
      res.status(result.ok ? 200 : result.status).json(result.ok ? { ok: true } : { error: result.error });
      return;
    }
    if (result.ok) {
      res.redirect(303, after);
      return;
    }
    await render(req, res, result.status, result.error);
  };
  router.post(
    '/admin/inbox/c/:sessionKey/take',
    ...guard,
    wrap(async (req, res) => {
      await answer(req, res, await deps.inbox.take(key(req), operatorOf(res).operator), conversationUrl(key(req)));
    }),
  );
  router.post(
    '/admin/inbox/c/:sessionKey/reply',
    ...guard,
    wrap(async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const text = typeof body.text === 'string' ? body.text.trim() : '';
      const template = body.template === '1' || body.template === true;
      if (!template && (text === '' || [...text].length > 4096)) {
        await answer(req, res, { ok: false, status: 400, error: 'Escribe una respuesta (hasta 4096 caracteres).' }, '');
        return;
      }
      const result = await deps.inbox.reply(key(req), operatorOf(res).operator, template ? { template: true } : { text });
      await answer(req, res, result, conversationUrl(key(req)));
    }),
  );
  router.post(
    '/admin/inbox/c/:sessionKey/release',
    ...guard,
    wrap(async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const closing = typeof body.closing === 'string' ? body.closing.trim().slice(0, 1000) : '';
      await answer(req, res, await deps.inbox.release(key(req), operatorOf(res).operator, closing || undefined), '/admin/inbox');
    }),
  );
  return router;
}
