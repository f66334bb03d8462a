import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

export interface OpsServerDeps {
  port: number;
  registry: Registry;
  /** Ready = model loaded and warm, Redis answering. */
  ready: () => Promise<boolean>;
}

/** The worker's small HTTP face for Kubernetes probes and Prometheus. */
export async function startOpsServer(deps: OpsServerDeps): Promise<Server> {
  const server = createServer((req, res) => {
    const send = (status: number, body: string, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') return send(200, '{"status":"ok"}');
    if (path === '/readyz') {
      deps.ready().then(
        (ok) => send(ok ? 200 : 503, JSON.stringify({ status: ok ? 'ready' : 'not ready' })),
        () => send(503, '{"status":"not ready"}'),
      );
      return;
    }
    if (path === '/metrics') {
      deps.registry.metrics().then(
        (text) => send(200, text, deps.registry.contentType),
        () => send(500, '{"error":"metrics failed"}'),
      );
      return;
    }
    send(404, '{"error":"not found"}');
  });
  await new Promise<void>((resolve) => server.listen(deps.port, resolve));
  return server;
}
