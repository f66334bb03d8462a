/**
 * Bull Board behind its own basic auth on the admin port (absent without
 * credentials), the handoff API behind operator sessions, and /metrics
 * counters that move with traffic.
 */
import { captureLogger, TEST_REDIS_URL as REDIS_URL } from '@medcita/testkit';
import { content, inbound, simUser, statusUpdate, webhookBody, WebhookSender } from '@medcita/testkit/simulator';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { loadIngressConfig } from '../src/config.js';
import { startIngress, type RunningIngress } from '../src/ingress.js';

const SECRET = 'admin-test-secret';

async function start(extra: Record<string, string>) {
  const captured = captureLogger({ service: 'ingress' });
  const keyPrefix = `test-${randomUUID()}`;
  const ingress = await startIngress(
    loadIngressConfig({
      REDIS_URL,
      PORT: '0',
      ADMIN_PORT: '0',
      WHATSAPP_APP_SECRET: SECRET,
      WHATSAPP_VERIFY_TOKEN: 'v',
      KEY_PREFIX: keyPrefix,
      QUEUE_PREFIX: `{test-${randomUUID()}}`,
      ...extra,
    }),
    captured.logger,
  );
  return {
    ingress,
    keyPrefix,
    url: `http://127.0.0.1:${ingress.port}`,
    admin: `http://127.0.0.1:${ingress.adminPort}`,
    logs: () => captured.lines.join(''),
  };
}

const basic = (user: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});

describe('admin pages and metrics', () => {
  const started: { ingress: RunningIngress; keyPrefix: string }[] = [];
  const redis = new Redis(REDIS_URL);

  afterAll(async () => {
    for (const { ingress, keyPrefix } of started) {
      await ingress.queue.obliterate({ force: true });
      await ingress.close();
      const keys = await redis.keys(`${keyPrefix}:*`);
      if (keys.length) await redis.del(...keys);
    }
    await redis.quit();
  });

  describe('when credentials are configured', () => {
    let url: string;
    beforeAll(async () => {
      const s = await start({ ADMIN_USER: 'ops', ADMIN_PASSWORD: 's3cret', NODE_ENV: 'production', SESSION_HASH_KEY: 'k'.repeat(32) });
      started.push(s);
      url = s.admin;
      // Never on the public port.
      expect((await fetch(`${s.url}/admin/queues`, { headers: basic('ops', 's3cret') })).status).toBe(404);
    });

    it('asks for credentials, rejects wrong ones, and lists the queues with the right ones', async () => {
      const anonymous = await fetch(`${url}/admin/queues`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toContain('Basic');
      expect((await fetch(`${url}/admin/queues`, { headers: basic('ops', 'nope') })).status).toBe(401);

      const page = await fetch(`${url}/admin/queues`, { headers: basic('ops', 's3cret') });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<html');
      const api = await fetch(`${url}/admin/queues/api/queues`, { headers: basic('ops', 's3cret') });
      const body = (await api.json()) as { queues: { name: string }[] };
      expect(body.queues.map((q) => q.name).sort()).toEqual(['identity-alerts', 'operator-replies', 'owed-cancels', 'reminders', 'turns']);
    });

    it('does not open the handoff API to Bull Board credentials (it needs an operator session)', async () => {
      expect((await fetch(`${url}/admin/handoffs`)).status).toBe(404);
      expect((await fetch(`${url}/admin/handoffs`, { headers: basic('ops', 's3cret') })).status).toBe(404);
    });

    it('answers 429 after repeated failed logins from one address', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        statuses.push((await fetch(`${url}/admin/queues`, { headers: basic('ops', `guess-${i}`) })).status);
      }
      expect(statuses.slice(0, 8).every((s) => s === 401)).toBe(true);
      expect(statuses.at(-1)).toBe(429);
      // Even the right password waits out the window.
      expect((await fetch(`${url}/admin/queues`, { headers: basic('ops', 's3cret') })).status).toBe(429);
    });
  });

  it('serves nothing unauthenticated without credentials, whatever NODE_ENV says, and says so', async () => {
    const s = await start({});
    started.push(s);
    for (const path of ['/admin/queues', '/admin/handoffs', '/admin/inbox']) {
      expect((await fetch(`${s.admin}${path}`)).status).toBe(404);
      expect((await fetch(`${s.url}${path}`)).status).toBe(404);
    }
    expect(s.logs()).toContain('Bull Board NOT mounted');
    expect(s.logs()).toContain('operator inbox NOT served');
  });

  it('exposes webhook, message, status and queue series that move with traffic', async () => {
    const s = await start({});
    started.push(s);
    const sender = new WebhookSender({ url: `${s.url}/webhook`, appSecret: SECRET });
    const user = simUser(77);
    const body = webhookBody([inbound(user, content.text('hola')), inbound(user, content.image())]);
    await sender.post(body);
    await sender.post(body);
    await sender.post(webhookBody([statusUpdate(user, 'wamid.x', 'failed')]));
    await sender.post('{', {});
    await sender.post(body, { signature: 'bad' });

    const text = await (await fetch(`${s.url}/metrics`)).text();
    const value = (series: string) => Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value('medcita_webhooks_total{outcome="accepted"}')).toBe(2); // one message delivery, one status
    expect(value('medcita_webhooks_total{outcome="duplicate"}')).toBe(1);
    expect(value('medcita_webhooks_total{outcome="unparseable"}')).toBe(1);
    expect(value('medcita_webhooks_total{outcome="bad_signature"}')).toBe(1);
    expect(value('medcita_inbound_messages_total{type="text"}')).toBe(2);
    expect(value('medcita_inbound_messages_total{type="image"}')).toBe(2);
    expect(value('medcita_status_events_total{status="failed"}')).toBe(1);
    expect(value('medcita_queue_jobs{queue="turns",state="waiting"}')).toBe(1);
    expect(value('medcita_webhook_duration_seconds_count{status="200"}')).toBe(4);
    expect(value('medcita_webhook_duration_seconds_count{status="401"}')).toBe(1);
    expect(text).toContain('process_resident_memory_bytes');
    expect(text).not.toContain(user.waId!);
  });
});
