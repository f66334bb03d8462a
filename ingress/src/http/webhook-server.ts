import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { WebhookHandler, WebhookOutcome } from '../services/webhook-handler.js';
import { InFlightBudget } from './inflight-budget.js';

/** Meta's deliveries; everything else (verification GET, health, admin) goes to Express. */
export function isWebhookDelivery(req: IncomingMessage): boolean {
  return req.method === 'POST' && (req.url === '/webhook' || req.url?.startsWith('/webhook?') === true);
}

/** What Meta sends: `sha256=` and 64 hex digits. Anything else cannot verify, so the body is not worth reading. */
const SIGNATURE_SHAPE = /^sha256=[0-9a-f]{64}$/i;

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export interface WebhookListenerOptions {
  /** Largest body accepted (413 above it, without reading it). */
  limitBytes: number;
  /** Bytes all webhook bodies being read may hold together (503 beyond it). */
  inFlightBudget: InFlightBudget;
  onOutcome?: (o: WebhookOutcome) => void;
  /** Request start → response written, with its HTTP status. */
  onDone?: (status: number, seconds: number) => void;
}

/**
 * POST /webhook served straight from node:http: the hot path skips Express's
 * router and body parser, which cost ~15 % of the ingress's CPU per delivery
 * (docs/benchmarks.md). Everything that can be refused is refused before the
 * body is read (docs/operations.md, "Hostile traffic"): a missing or
 * malformed signature (401), a declared size over the limit (413), a body
 * that would push the bytes in flight past the budget (503). Refused
 * requests close their connection so an unread upload cannot hold it.
 */
export function webhookListener(handle: WebhookHandler, opts: WebhookListenerOptions) {
  const { limitBytes, inFlightBudget: budget, onOutcome, onDone } = opts;
  return (req: IncomingMessage, res: ServerResponse): void => {
    const started = process.hrtime.bigint();
    res.once('finish', () => onDone?.(res.statusCode, Number(process.hrtime.bigint() - started) / 1e9));
    const requestId = (req.headers['x-request-id'] as string | undefined) ?? randomUUID();
    res.setHeader('x-request-id', requestId);

    let complete = false;
    const refuse = (status: number, outcome: WebhookOutcome, error: string) => {
      onOutcome?.(outcome);
      res.setHeader('connection', 'close');
      // A client still uploading would keep the socket (and our parser busy) after the answer.
      res.once('finish', () => {
        if (!complete) req.socket.destroy();
      });
      reply(res, status, { error });
    };

    const rawSignature = req.headers['x-hub-signature-256'];
    const signature = Array.isArray(rawSignature) ? rawSignature[0] : rawSignature;
    if (!signature || !SIGNATURE_SHAPE.test(signature)) return refuse(401, 'bad_signature', 'invalid signature');

    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > limitBytes) return refuse(413, 'too_large', `body larger than ${limitBytes} bytes`);
    // Without a declared length (chunked), reserve the whole limit: the budget must hold whatever arrives.
    const reserved = Number.isFinite(declared) && declared >= 0 ? declared : limitBytes;
    if (!budget.reserve(reserved)) return refuse(503, 'overloaded', 'too many bytes in flight, retry later');
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      budget.release(reserved);
    };
    res.once('close', release);

    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > Math.min(limitBytes, reserved)) {
        over = true;
        chunks.length = 0;
        release();
        refuse(413, 'too_large', `body larger than ${Math.min(limitBytes, reserved)} bytes`);
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => {
      release();
      res.destroy();
    });
    req.on('end', () => {
      complete = true;
      if (over) return;
      // A delivery usually arrives in one chunk: use it rather than copy it.
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      chunks.length = 0;
      handle(body, signature, { requestId, ip: req.socket.remoteAddress })
        .then(
          (r) => reply(res, r.status, r.body),
          () => reply(res, 500, { error: 'internal error' }),
        )
        .finally(release);
    });
  };
}

/** One listener for the server: deliveries to the fast path, the rest to Express. */
export function routeRequests(fast: RequestListener, app: RequestListener): RequestListener {
  return (req, res) => (isWebhookDelivery(req) ? fast(req, res) : app(req, res));
}
