import { signPayload, type WebhookBody } from '@medcita/shared';
import { Agent, request, type Dispatcher } from 'undici';

/** `X-Hub-Signature-256` value: the very function the ingress verifies with. */
export const signBody = signPayload;

export type SignatureMode = 'valid' | 'bad' | 'missing';

export interface WebhookResponse {
  status: number;
  /** Parsed JSON when the response was JSON, else the text. */
  body: unknown;
}

/**
 * undici's `request` on a keep-alive pool rather than the global fetch: fetch's
 * WHATWG streams, Response and abort signals were a quarter of the pipeline
 * bench's own CPU, and the bench shares the machine with what it measures (#14).
 */
const senderAgent = new Agent({ keepAliveTimeout: 10_000 });

/** POSTs webhooks to the ingress the way Meta does: raw JSON body, signed, Meta's user agent. */
export class WebhookSender {
  readonly url: string;
  private readonly appSecret: string;

  constructor(opts: { url: string; appSecret: string }) {
    this.url = opts.url;
    this.appSecret = opts.appSecret;
  }

  /**
   * Sends one delivery. A string body goes out byte for byte (to test
   * malformed JSON or whitespace-sensitive signatures); `bad` signs with the
   * wrong secret, `missing` omits the header.
   */
  async post(body: WebhookBody | string, opts: { signature?: SignatureMode; timeoutMs?: number } = {}): Promise<WebhookResponse> {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'facebookexternalua',
    };
    const mode = opts.signature ?? 'valid';
    if (mode === 'valid') headers['x-hub-signature-256'] = signBody(this.appSecret, raw);
    if (mode === 'bad') headers['x-hub-signature-256'] = signBody(`${this.appSecret}-wrong`, raw);
    // No answer within the timeout (headers, then the rest of the body) rejects, as Meta gives up on a slow endpoint.
    const timeoutMs = opts.timeoutMs ?? 10_000;
    const res = await request(this.url, {
      method: 'POST',
      headers,
      body: raw,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      dispatcher: senderAgent,
    });
    return answer(res);
  }

  /** Meta's subscription handshake: `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`. */
  async verifySubscription(verifyToken: string, challenge: string): Promise<WebhookResponse> {
    const target = new URL(this.url);
    target.searchParams.set('hub.mode', 'subscribe');
    target.searchParams.set('hub.verify_token', verifyToken);
    target.searchParams.set('hub.challenge', challenge);
    const res = await request(target, { headersTimeout: 10_000, bodyTimeout: 10_000, dispatcher: senderAgent });
    return answer(res);
  }
}

/** The status, and the body as JSON when the response says it is JSON, else as text. */
async function answer(res: Dispatcher.ResponseData): Promise<WebhookResponse> {
  const text = await res.body.text();
  if (!String(res.headers['content-type'] ?? '').includes('json')) return { status: res.statusCode, body: text };
  try {
    return { status: res.statusCode, body: JSON.parse(text) as unknown };
  } catch {
    return { status: res.statusCode, body: text };
  }
}
