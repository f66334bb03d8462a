/**
 * What the webhook refuses before reading a body, the cap on bytes in
 * flight, slow uploads, and app-secret rotation (docs/operations.md,
 * "Hostile traffic"). Raw sockets play the attacker: fetch cannot hold an
 * upload half-sent.
 */
import { createLogger, signPayload } from '@medcita/shared';
import { TEST_REDIS_URL, testRedis } from '@medcita/testkit';
import { content, inbound, simUser, webhookBody, WebhookSender } from '@medcita/testkit/simulator';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { loadIngressConfig } from '../src/config.js';
import { startIngress, type RunningIngress } from '../src/ingress.js';

const SECRET = 'hostile-test-secret';
const OLD_SECRET = 'hostile-test-old-secret';

/** Waits for a condition the test cannot be told about by an event. */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never happened: ${what}`);
}

/** An upload that sends its headers and `sendBytes` of the body, then waits. */
class RawUpload {
  readonly socket: net.Socket;
  private received = '';
  readonly closed: Promise<void>;
  private readonly answered: Promise<string>;

  constructor(port: number, headers: Record<string, string | number>, sendBytes: number) {
    this.socket = net.connect(port, '127.0.0.1');
    const head = Object.entries({ host: '127.0.0.1', 'content-type': 'application/json', ...headers })
      .map(([k, v]) => `${k}: ${v}`)
      .join('\r\n');
    this.socket.write(`POST /webhook HTTP/1.1\r\n${head}\r\n\r\n`);
    if (sendBytes > 0) this.socket.write(Buffer.alloc(sendBytes, 0x20));
    this.socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => this.socket.once('close', () => resolve()));
    this.answered = new Promise((resolve) => {
      this.socket.on('data', (d) => {
        this.received += d.toString('latin1');
        if (this.received.includes('\r\n\r\n')) resolve(this.received);
      });
      this.socket.once('close', () => resolve(this.received));
    });
  }

  /** The status line's code, or 0 when the connection closed without an answer. */
  async status(): Promise<number> {
    return Number(/^HTTP\/1\.1 (\d{3})/.exec(await this.answered)?.[1] ?? 0);
  }

  destroy(): void {
    this.socket.destroy();
  }
}

describe('webhook under hostile traffic', () => {
  let ingress: RunningIngress;
  let redis: Redis;
  let sender: WebhookSender;
  const keyPrefix = `test-${randomUUID()}`;
  const queuePrefix = `{test-${randomUUID()}}`;
  const outcomes: string[] = [];
  const uploads: RawUpload[] = [];
  const goodSignature = `sha256=${'ab'.repeat(32)}`; // well-formed, wrong

  beforeAll(async () => {
    redis = testRedis();
    const config = loadIngressConfig({
      REDIS_URL: TEST_REDIS_URL,
      PORT: '0',
      ADMIN_PORT: '0',
      WHATSAPP_APP_SECRET: SECRET,
      WHATSAPP_APP_SECRET_PREVIOUS: OLD_SECRET,
      WHATSAPP_VERIFY_TOKEN: 'verify-me',
      KEY_PREFIX: keyPrefix,
      QUEUE_PREFIX: queuePrefix,
      WEBHOOK_BODY_LIMIT_BYTES: String(200 * 1024),
      WEBHOOK_INFLIGHT_LIMIT_BYTES: String(512 * 1024),
      WEBHOOK_HEADERS_TIMEOUT_MS: '1000',
      WEBHOOK_REQUEST_TIMEOUT_MS: '1500',
    });
    ingress = await startIngress(config, createLogger({ level: 'silent', service: 'test' }), (o) => outcomes.push(o));
    sender = new WebhookSender({ url: `http://127.0.0.1:${ingress.port}/webhook`, appSecret: SECRET });
  });

  afterEach(() => {
    for (const u of uploads.splice(0)) u.destroy();
  });

  afterAll(async () => {
    await ingress.queue.obliterate({ force: true });
    await ingress.close();
    const keys = await redis.keys(`${keyPrefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  const upload = (headers: Record<string, string | number>, sendBytes: number) => {
    const u = new RawUpload(ingress.port, headers, sendBytes);
    uploads.push(u);
    return u;
  };
  const aMessage = (n: number) => webhookBody([inbound(simUser(n), content.text('hola'))]);

  it.each([
    ['missing', {}],
    ['malformed', { 'x-hub-signature-256': 'sha256=not-hex' }],
    ['of another algorithm', { 'x-hub-signature-256': `sha1=${'ab'.repeat(20)}` }],
  ])('answers 401 to a signature that is %s without waiting for the body, and closes the connection', async (_what, headers) => {
    // 150 KiB announced, none sent: an answer can only come before the body.
    const u = upload({ ...headers, 'content-length': 150 * 1024 }, 0);
    expect(await u.status()).toBe(401);
    await u.closed;
  });

  it('answers 503 to a body that would pass the in-flight cap, while small signed deliveries keep being accepted', async () => {
    // Large bodies may hold 3/4 of 512 KiB: two slow 190 KiB uploads fit, a third does not.
    const slow = [
      upload({ 'x-hub-signature-256': goodSignature, 'content-length': 190 * 1024 }, 1024),
      upload({ 'x-hub-signature-256': goodSignature, 'content-length': 190 * 1024 }, 1024),
    ];
    await until(() => ingress.webhookBytesInFlight() === 2 * 190 * 1024, 'both slow uploads being read');
    outcomes.length = 0;
    const third = upload({ 'x-hub-signature-256': goodSignature, 'content-length': 190 * 1024 }, 1024);
    expect(await third.status()).toBe(503);
    expect(outcomes).toEqual(['overloaded']);
    for (let i = 0; i < 5; i++) expect((await sender.post(aMessage(10 + i))).status).toBe(200);
    for (const s of slow) s.destroy();
    await until(() => ingress.webhookBytesInFlight() === 0, 'aborted uploads released');
  });

  it('cuts an upload that is slower than the request timeout, and frees its bytes', async () => {
    const slow = upload({ 'x-hub-signature-256': goodSignature, 'content-length': 190 * 1024 }, 1024);
    await until(() => ingress.webhookBytesInFlight() === 190 * 1024, 'slow upload being read');
    await slow.closed; // closed by the server: nobody else ends it
    expect([0, 408]).toContain(await slow.status());
    await until(() => ingress.webhookBytesInFlight() === 0, 'the cut upload released');
    const a = upload({ 'x-hub-signature-256': goodSignature, 'content-length': 190 * 1024 }, 1024);
    await until(() => ingress.webhookBytesInFlight() === 190 * 1024, 'next upload being read');
    a.socket.write(Buffer.alloc(189 * 1024, 0x20));
    expect(await a.status()).toBe(401); // read to the end and refused by the HMAC
  });

  it('accepts deliveries signed with the previous app secret during a rotation, and nothing else', async () => {
    const body = JSON.stringify(aMessage(3));
    const post = (secret: string) =>
      fetch(sender.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signPayload(secret, body) },
        body,
      });
    expect((await post(OLD_SECRET)).status).toBe(200);
    expect((await post(SECRET)).status).toBe(200);
    expect((await post('some-other-secret')).status).toBe(401);
  });
});
