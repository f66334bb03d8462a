import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { WebhookHandler, WebhookOutcome } from '../services/webhook-handler.js';

/** Meta's deliveries; everything else (verification GET, health, admin) goes to Express. */
export function isWebhookDelivery(req: IncomingMessage): boolean {
  return req.method === 'POST' && (req.url === '/webhook' || req.url?.startsWith('/webhook?') === true);
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * POST /webhook served straight from node:http: the hot path skips Express's
 * router and body parser, which cost ~15 % of the ingress's CPU per delivery
 * (docs/benchmarks.md). Bodies over `limitBytes` get 413 without being read.
 */
export function webhookListener(handle: WebhookHandler, limitBytes: number, onOutcome?: (o: WebhookOutcome) => void) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const requestId = (req.headers['x-request-id'] as string | undefined) ?? randomUUID();
    res.setHeader('x-request-id', requestId);
    const tooLarge = () => {
      onOutcome?.('too_large');
      res.setHeader('connection', 'close');
      reply(res, 413, { error: `body larger than ${limitBytes} bytes` });
      req.resume();
    };
    if (Number(req.headers['content-length'] ?? 0) > limitBytes) return tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limitBytes) {
        over = true;
        tooLarge();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      if (over) return;
      const signature = req.headers['x-hub-signature-256'];
      handle(Buffer.concat(chunks, size), Array.isArray(signature) ? signature[0] : signature, {
        requestId,
        ip: req.socket.remoteAddress,
      }).then(
        (r) => reply(res, r.status, r.body),
        () => reply(res, 500, { error: 'internal error' }),
      );
    });
  };
}

/** One listener for the server: deliveries to the fast path, the rest to Express. */
export function routeRequests(fast: RequestListener, app: RequestListener): RequestListener {
  return (req, res) => (isWebhookDelivery(req) ? fast(req, res) : app(req, res));
}
