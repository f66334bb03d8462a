import { signPayload, type WebhookBody } from '@medcita/shared';

/** `X-Hub-Signature-256` value: the very function the ingress verifies with. */
export const signBody = signPayload;

export type SignatureMode = 'valid' | 'bad' | 'missing';

export interface WebhookResponse {
  status: number;
  /** Parsed JSON when the response was JSON, else the text. */
  body: unknown;
}

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
    const res = await fetch(this.url, {
      method: 'POST',
      headers,
      body: raw,
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
    });
    return { status: res.status, body: await readBody(res) };
  }

  /** Meta's subscription handshake: `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`. */
  async verifySubscription(verifyToken: string, challenge: string): Promise<WebhookResponse> {
    const target = new URL(this.url);
    target.searchParams.set('hub.mode', 'subscribe');
    target.searchParams.set('hub.verify_token', verifyToken);
    target.searchParams.set('hub.challenge', challenge);
    const res = await fetch(target, { signal: AbortSignal.timeout(10_000) });
    return { status: res.status, body: await readBody(res) };
  }
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!(res.headers.get('content-type') ?? '').includes('json')) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
