import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { content, inbound, signBody, simUser, webhookBody, WebhookSender } from '@medcita/testkit/simulator';

const SECRET = 'app-secret-for-tests';

/** What an ingress does: HMAC the raw bytes and compare in constant time. */
function verifies(rawBody: string, header: string | undefined): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const expected = createHmac('sha256', SECRET).update(rawBody).digest();
  const given = Buffer.from(header.slice(7), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('signBody', () => {
  it('produces a signature that node:crypto HMAC verification accepts', () => {
    const raw = JSON.stringify(webhookBody([inbound(simUser(1), content.text('hola'))]));
    expect(signBody(SECRET, raw)).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifies(raw, signBody(SECRET, raw))).toBe(true);
  });

  it('changes when one byte of the body changes', () => {
    expect(verifies('{"a":1} ', signBody(SECRET, '{"a":1}'))).toBe(false);
  });
});

describe(WebhookSender.name, () => {
  let server: Server;
  let received: { headers: IncomingHttpHeaders; raw: string }[];
  let url: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        received.push({ headers: req.headers, raw });
        const ok = verifies(raw, req.headers['x-hub-signature-256'] as string | undefined);
        res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
  });
  beforeEach(() => (received = []));
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('signs the exact bytes it posts, like Meta', async () => {
    const sender = new WebhookSender({ url, appSecret: SECRET });
    const res = await sender.post(webhookBody([inbound(simUser(2), content.text('quiero una cita'))]));
    expect(res).toEqual({ status: 200, body: { ok: true } });
    expect(received[0]!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(received[0]!.raw).object).toBe('whatsapp_business_account');
  });

  it('sends a raw string byte for byte, signed', async () => {
    const sender = new WebhookSender({ url, appSecret: SECRET });
    const raw = '{ "object" :"whatsapp_business_account",\n "entry": [] }';
    expect((await sender.post(raw)).status).toBe(200);
    expect(received[0]!.raw).toBe(raw);
  });

  it('can send a wrongly signed or unsigned body', async () => {
    const sender = new WebhookSender({ url, appSecret: SECRET });
    const body = webhookBody([inbound(simUser(3), content.text('hola'))]);
    expect((await sender.post(body, { signature: 'bad' })).status).toBe(401);
    expect((await sender.post(body, { signature: 'missing' })).status).toBe(401);
    expect(received[1]!.headers['x-hub-signature-256']).toBeUndefined();
  });
});
