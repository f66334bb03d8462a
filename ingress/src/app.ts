import type { Logger, RedisClient } from '@medcita/shared';
import express, { type ErrorRequestHandler, type Express } from 'express';
import type { Registry } from 'prom-client';
import { pinoHttp } from 'pino-http';
import { randomUUID } from 'node:crypto';
import { healthRoutes } from './routes/health.js';
import { webhookVerifyRoute } from './routes/webhook-verify.js';
import type { TrustProxy } from './admin/trust-proxy.js';

export interface IngressAppDeps {
  config: { WHATSAPP_VERIFY_TOKEN: string; TRUST_PROXY: TrustProxy };
  redis: RedisClient;
  logger: Logger;
  /** Prometheus registry served at GET /metrics. */
  registry?: Registry;
}

/**
 * Everything but webhook deliveries (those take the node:http fast path in
 * http/webhook-server.ts): verification, health, metrics. The admin pages
 * have their own port (admin/admin-app.ts).
 */
export function createIngressApp(deps: IngressAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.TRUST_PROXY);
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const id = (req.headers['x-request-id'] as string | undefined) ?? randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'debug'),
    }),
  );

  app.use(healthRoutes(deps.redis));
  if (deps.registry) {
    const registry = deps.registry;
    app.get('/metrics', async (_req, res, next) => {
      try {
        res.type(registry.contentType).send(await registry.metrics());
      } catch (err) {
        next(err);
      }
    });
  }
  app.get('/webhook', webhookVerifyRoute(deps.config.WHATSAPP_VERIFY_TOKEN));

  const onError: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
    const { status: given, message } = (err ?? {}) as { status?: unknown; message?: unknown };
    const status = typeof given === 'number' ? given : 500;
    if (status >= 400 && status < 500) {
      res.status(status).json({ error: typeof message === 'string' ? message : 'bad request' });
      return;
    }
    deps.logger.error({ err }, 'unhandled error');
    res.status(500).json({ error: 'internal error' });
  };
  app.use(onError);
  return app;
}
